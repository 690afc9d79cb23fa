package npuc.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import npuc.arch.MemoryArea;
import npuc.perf.CycleKind;

/**
 * The columns of Vela's summary CSV, in Vela's order, each with the kind of value it holds (Vela writes
 * some as Python ints, most as Python floats; a script reading the CSV sees the same text).
 */
public record SummaryColumn(String name, Kind kind) {

    public enum Kind { TEXT, INTEGER, DECIMAL }

    /** Memory areas as Vela reports them (SHRAM is left out: its figures only cover lookup tables). */
    public static final List<String> MEMORY_AREAS =
            MemoryArea.PORT_AREAS.stream().map(MemoryArea::identifierName).toList();

    /** Vela's cycle kinds, in its order. */
    public static final List<String> CYCLE_KINDS =
            Stream.of(CycleKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList();

    public static final List<SummaryColumn> ALL = all();

    private static List<SummaryColumn> all() {
        List<SummaryColumn> c = new ArrayList<>();
        text(c, "experiment", "network", "accelerator_configuration", "system_config", "memory_mode");
        decimal(c, "core_clock", "arena_cache_size");
        MEMORY_AREAS.forEach(a -> decimal(c, a + "_bandwidth"));
        text(c, "weights_storage_area", "feature_map_storage_area");
        decimal(c, "inferences_per_second");
        integer(c, "batch_size");
        decimal(c, "inference_time");
        integer(c, "passes_before_fusing", "passes_after_fusing");
        MEMORY_AREAS.forEach(a -> decimal(c, a + "_memory_used"));
        integer(c, "total_original_weights", "total_npu_encoded_weights");
        for (String a : MEMORY_AREAS) {
            decimal(c, a + "_feature_map_read_bytes", a + "_feature_map_write_bytes", a + "_weight_read_bytes",
                    a + "_weight_write_bytes", a + "_total_bytes");
        }
        integer(c, "nn_macs");
        decimal(c, "nn_tops");
        CYCLE_KINDS.forEach(k -> decimal(c, "cycles_" + k));
        return List.copyOf(c);
    }

    /** The column with this name; IllegalArgumentException for a name Vela does not write. */
    public static SummaryColumn named(String name) {
        for (SummaryColumn c : ALL) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no summary column named " + name);
    }

    private static void text(List<SummaryColumn> c, String... names) {
        for (String n : names) {
            c.add(new SummaryColumn(n, Kind.TEXT));
        }
    }

    private static void integer(List<SummaryColumn> c, String... names) {
        for (String n : names) {
            c.add(new SummaryColumn(n, Kind.INTEGER));
        }
    }

    private static void decimal(List<SummaryColumn> c, String... names) {
        for (String n : names) {
            c.add(new SummaryColumn(n, Kind.DECIMAL));
        }
    }
}
