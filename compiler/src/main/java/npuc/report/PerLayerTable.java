package npuc.report;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.Target;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.graph.BuiltinOperator;
import npuc.perf.CycleKind;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;

/** Vela's {@code --verbose-performance} table: one per NPU subgraph, one row per scheduled operation. */
public final class PerLayerTable {
    private record Column(String name, boolean left, int width, int precision) {
    }

    private static final Column[] COLUMNS = {
        new Column("TFLite_operator", true, 20, -1), new Column("NNG Operator", true, 20, -1),
        new Column("SRAM Usage", false, 10, 0), new Column("Peak%", false, 6, 2),
        new Column("Op Cycles", false, 10, 0), new Column("Network%", false, 8, 2),
        new Column("NPU", false, 10, 0), new Column("SRAM AC", false, 10, 0), new Column("DRAM AC", false, 10, 0),
        new Column("OnFlash AC", false, 10, 0), new Column("OffFlash AC", false, 11, 0),
        new Column("MAC Count", false, 10, 0), new Column("Network%", false, 8, 2),
        new Column("Util%", false, 6, 2), new Column("Name", true, 20, -1)};

    private PerLayerTable() {
    }

    /**
     * The tables as Vela prints them. Peak% is relative to the most fast storage any subgraph's schedule holds
     * (0 when none is used: Vela then has no SRAM figure to divide by).
     */
    public static String of(NetworkSchedule schedule, Target target) {
        StringBuilder s = new StringBuilder();
        for (ScheduledSubgraph sg : schedule.subgraphs()) {
            s.append('\n').append("#".repeat(80)).append('\n');
            s.append("Performance for NPU Subgraph ").append(sg.name()).append('\n');
            StringBuilder header = new StringBuilder();
            StringBuilder dashes = new StringBuilder();
            for (Column c : COLUMNS) {
                String cell = pad(c.name(), c.width(), c.left());
                header.append(cell).append(' ');
                dashes.append("-".repeat(cell.length())).append(' ');
            }
            s.append(header).append('\n').append(dashes).append('\n');
            for (Object[] row : rows(schedule, target, sg)) {
                for (int i = 0; i < COLUMNS.length; i++) {
                    Column c = COLUMNS[i];
                    String cell = c.precision() < 0 ? pad(String.valueOf(row[i]), c.width(), c.left())
                            : pad(fixed(((Number) row[i]).doubleValue(), c.precision()), c.width(), false);
                    s.append(cell).append(' ');
                }
                s.append('\n');
            }
        }
        s.append('\n');
        return s.toString();
    }

    /**
     * Vela's {@code <network>_per-layer.csv}: for each NPU subgraph the header row, then one row per operation,
     * numbers as Python writes them (usage and MAC counts as integers, the rest as floats).
     */
    public static String csv(NetworkSchedule schedule, Target target) {
        StringBuilder s = new StringBuilder();
        for (ScheduledSubgraph sg : schedule.subgraphs()) {
            List<String> header = new ArrayList<>();
            for (Column c : COLUMNS) {
                header.add(c.name());
            }
            s.append(String.join(",", header)).append("\r\n");
            for (Object[] row : rows(schedule, target, sg)) {
                List<String> cells = new ArrayList<>();
                for (Object v : row) {
                    String cell = v instanceof Double d ? PythonFloat.repr(d) : String.valueOf(v);
                    cells.add(cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\""
                            : cell);
                }
                s.append(String.join(",", cells)).append("\r\n");
            }
        }
        return s.toString();
    }

    private static List<Object[]> rows(NetworkSchedule schedule, Target target, ScheduledSubgraph sg) {
        double networkTotal = schedule.performance().cycles(CycleKind.TOTAL);
        long networkMacs = schedule.performance().macs();
        long peak = 0;
        for (ScheduledSubgraph other : schedule.subgraphs()) {
            peak = Math.max(peak, other.peakUsage());
        }
        List<Object[]> rows = new ArrayList<>();
        for (ScheduledOp op : sg.ops()) {
            double total = op.performance().cycles(CycleKind.TOTAL);
            double maxMacs = total * target.accelerator().macs() * target.accelerator().cores();
            rows.add(new Object[] {tfliteOperator(op.op().primary()), op.op().type().name(), op.memoryUsage(),
                peak == 0 ? 0.0 : percentage(op.memoryUsage(), peak), total, percentage(total, networkTotal),
                op.performance().cycles(CycleKind.NPU), op.performance().cycles(CycleKind.SRAM_ACCESS),
                op.performance().cycles(CycleKind.DRAM_ACCESS), op.performance().cycles(CycleKind.ON_CHIP_FLASH_ACCESS),
                op.performance().cycles(CycleKind.OFF_CHIP_FLASH_ACCESS), op.performance().macs(),
                percentage(op.performance().macs(), networkMacs), percentage(op.performance().macs(), maxMacs),
                op.op().name()});
        }
        return rows;
    }

    /** Python's fixed-point formatting: the exact binary value rounded half to even. */
    private static String fixed(double v, int digits) {
        return new java.math.BigDecimal(v).setScale(digits, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Vela's percentage: a zero whole counts as 100%. */
    private static double percentage(double part, double whole) {
        return whole == 0 ? 100.0 : part / whole * 100.0;
    }

    /** The TFLite operator the operation came from: its type before the rewrites where they changed it. */
    private static String tfliteOperator(OperationInfo op) {
        npuc.frontend.OpType original = op.hardware().originalType();
        BuiltinOperator b = (original != null ? original : op.type()).builtin();
        return b == null ? "None" : b.name();
    }

    private static String pad(String v, int width, boolean left) {
        if (v.length() >= width) {
            return v;
        }
        String fill = " ".repeat(width - v.length());
        return left ? v + fill : fill + v;
    }
}
