package npuc.perf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileResult;
import npuc.SharedData;

/**
 * Compiles every row of the reference summary that Vela completed and compares the performance columns with
 * Vela's: prints a table of npuc/Vela ratios and asserts how many rows are within 2% per column.
 */
class VelaPerformanceConformanceTest {
    static final List<String> COLUMNS = columns();

    private static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("cycles_total", "cycles_npu"));
        for (String a : List.of("sram", "dram", "on_chip_flash", "off_chip_flash")) {
            for (String k : List.of("feature_map_read_bytes", "feature_map_write_bytes", "weight_read_bytes",
                    "weight_write_bytes", "total_bytes")) {
                c.add(a + "_" + k);
            }
        }
        return List.copyOf(c);
    }

    /** Rows within 2% required per column: raised as the model improves, never above what it reaches. */
    private static final int CYCLES_TOTAL_FLOOR = 56;
    private static final int BYTES_FLOOR = 56;
    /** Rows equal to Vela's (to a millionth) per column. */
    private static final int EXACT_FLOOR = 56;
    /** Rows whose total_npu_encoded_weights equals Vela's exactly. */
    private static final int ENCODED_WEIGHTS_FLOOR = 56;

    @Test
    void performanceColumnsAgainstVela() throws Exception {
        Path reference = SharedData.referenceDir();
        Path csv = reference.resolve("summary.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        Map<String, Integer> within = new LinkedHashMap<>();
        Map<String, Integer> exact = new LinkedHashMap<>();
        COLUMNS.forEach(c -> within.put(c, 0));
        COLUMNS.forEach(c -> exact.put(c, 0));
        int completed = 0;
        int encodedEqual = 0;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-48s %8s %8s %s%n", "row", "total",
                "npu", "bytes columns off by more than 2% (npuc/vela)"));
        for (Map<String, String> row : rows) {
            if (!"0".equals(row.get("vela_exit"))) {
                continue;
            }
            completed++;
            CompileResult r = SharedData.compile(row);
            String label = row.get("model") + " " + row.get("accelerator_config") + " " + row.get("optimise");
            StringBuilder off = new StringBuilder();
            double[] ratios = new double[COLUMNS.size()];
            for (int i = 0; i < COLUMNS.size(); i++) {
                String c = COLUMNS.get(i);
                double vela = Double.parseDouble(row.get(c));
                double ours = ((Number) r.summary().get(c)).doubleValue();
                ratios[i] = vela == 0 ? (ours == 0 ? 1 : Double.POSITIVE_INFINITY) : ours / vela;
                if (Math.abs(ours - vela) <= 1e-6 * Math.max(1, Math.abs(vela))) {
                    exact.merge(c, 1, Integer::sum);
                }
                if (Math.abs(ratios[i] - 1) <= 0.02) {
                    within.merge(c, 1, Integer::sum);
                } else if (i >= 2) {
                    off.append(String.format(Locale.ROOT, " %s=%.3f", c, ratios[i]));
                }
            }
            long velaEncoded = Long.parseLong(row.get("total_npu_encoded_weights"));
            long ourEncoded = ((Number) r.summary().get("total_npu_encoded_weights")).longValue();
            if (velaEncoded == ourEncoded) {
                encodedEqual++;
            } else {
                off.append(String.format(Locale.ROOT, " total_npu_encoded_weights=%d/%d", ourEncoded, velaEncoded));
            }
            table.append(String.format(Locale.ROOT, "%-48s %8.3f %8.3f%s%n", label, ratios[0], ratios[1], off));
        }
        table.append(String.format(Locale.ROOT, "rows within 2%% of Vela (and equal to it), of %d completed:%n",
                completed));
        within.forEach((c, n) -> table.append(String.format(Locale.ROOT, "  %-40s %3d (%3d)%n", c, n, exact.get(c))));
        table.append(String.format(Locale.ROOT, "  %-40s %3d (equal)%n", "total_npu_encoded_weights", encodedEqual));
        System.out.println(table);
        assertTrue(encodedEqual >= ENCODED_WEIGHTS_FLOOR, table::toString);
        assertTrue(within.get("cycles_total") >= CYCLES_TOTAL_FLOOR, table::toString);
        for (String c : COLUMNS.subList(2, COLUMNS.size())) {
            assertTrue(within.get(c) >= BYTES_FLOOR, () -> c + "\n" + table);
        }
        for (String c : COLUMNS) {
            assertTrue(exact.get(c) >= EXACT_FLOOR, () -> c + " equal\n" + table);
        }
    }

}
