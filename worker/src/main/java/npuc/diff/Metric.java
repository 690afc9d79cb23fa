package npuc.diff;

import java.util.OptionalDouble;

import npuc.sweep.PointResult;
import npuc.worker.PipelineCompiler;

/**
 * A figure {@code npuc diff} compares, named as {@code --threshold} names it, with the unit an absolute
 * threshold is in and which way is worse.
 */
public enum Metric {
    CYCLES("cycles", "cycles_total", 1, "cycles", true),
    TIME("time", "inference_time", 1000, "ms", true),
    SRAM("sram", "sram_memory_used", 1, "KiB", true),
    DRAM("dram", "dram_memory_used", 1, "KiB", true),
    NPU_OPS("npu_ops", PipelineCompiler.NPU_OPERATORS, 1, "operators", false),
    CPU_OPS("cpu_ops", PipelineCompiler.CPU_OPERATORS, 1, "operators", true);

    private final String option;
    private final String column;
    private final double scale;
    private final String unit;
    private final boolean higherIsWorse;

    Metric(String option, String column, double scale, String unit, boolean higherIsWorse) {
        this.option = option;
        this.column = column;
        this.scale = scale;
        this.unit = unit;
        this.higherIsWorse = higherIsWorse;
    }

    /** The name {@code --threshold} gives it. */
    public String option() {
        return option;
    }

    /** The sweep column it is read from. */
    public String column() {
        return column;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsWorse() {
        return higherIsWorse;
    }

    /** The point's figure in this metric's unit. */
    public OptionalDouble of(PointResult result) {
        OptionalDouble v = result.metric(column);
        return v.isPresent() ? OptionalDouble.of(v.getAsDouble() * scale) : v;
    }

    public static Metric named(String option) {
        for (Metric m : values()) {
            if (m.option.equals(option)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metric '" + option + "' (known: " + names() + ")");
    }

    static String names() {
        StringBuilder s = new StringBuilder();
        for (Metric m : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(m.option);
        }
        return s.toString();
    }
}
