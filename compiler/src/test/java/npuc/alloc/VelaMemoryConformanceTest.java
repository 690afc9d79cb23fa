package npuc.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileResult;
import npuc.SharedData;

/**
 * Compiles every row of the reference summary and compares the four {@code *_memory_used} columns with Vela's
 * where Vela completed; where it crashed, npuc must complete, and the warnings it gives are printed.
 */
class VelaMemoryConformanceTest {
    private static final List<String> COLUMNS = List.of("sram_memory_used", "dram_memory_used",
            "on_chip_flash_memory_used", "off_chip_flash_memory_used");
    /** Rows within 2% of Vela's (for SRAM: or below it), per column: raised as allocation improves. */
    private static final int WITHIN_FLOOR = 56;
    /** Rows equal to Vela's, per column. */
    private static final int EQUAL_FLOOR = 56;

    @Test
    void memoryUsedAgainstVela() throws Exception {
        Path csv = SharedData.referenceDir().resolve("summary.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        int completed = 0;
        int[] within = new int[COLUMNS.size()];
        int[] equal = new int[COLUMNS.size()];
        int rescued = 0;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-50s %s%n", "row",
                "KiB npuc/Vela for sram, dram, on-chip flash, off-chip flash"));
        for (Map<String, String> row : rows) {
            CompileResult r = SharedData.compile(row);
            String label = row.get("model") + " " + row.get("accelerator_config") + " " + row.get("optimise");
            boolean crashed = !"0".equals(row.get("vela_exit"));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-50s", label));
            for (int c = 0; c < COLUMNS.size(); c++) {
                double ours = ((Number) r.summary().get(COLUMNS.get(c))).doubleValue();
                if (crashed) {
                    line.append(String.format(Locale.ROOT, " %10.3f", ours));
                    continue;
                }
                double vela = Double.parseDouble(row.get(COLUMNS.get(c)));
                boolean ok = Math.abs(ours - vela) <= 0.02 * vela || (c == 0 && ours <= vela);
                within[c] += ok ? 1 : 0;
                equal[c] += ours == vela ? 1 : 0;
                line.append(String.format(Locale.ROOT, " %10.3f/%-10.3f%s", ours, vela, ours == vela ? " " : ok ? "~" : "<"));
            }
            if (crashed) {
                rescued++;
                line.append(" Vela crashed; npuc: ").append(r.warnings().stream().filter(w -> w.contains("buffer"))
                        .toList());
            } else {
                completed++;
            }
            table.append(line).append('\n');
        }
        for (int c = 0; c < COLUMNS.size(); c++) {
            table.append(String.format(Locale.ROOT, "%-28s within 2%%%s: %d, equal: %d, of %d completed%n",
                    COLUMNS.get(c), c == 0 ? " or below" : "", within[c], equal[c], completed));
        }
        table.append(String.format(Locale.ROOT, "%d completed where Vela crashed%n", rescued));
        System.out.println(table);
        for (int c = 0; c < COLUMNS.size(); c++) {
            assertTrue(within[c] >= WITHIN_FLOOR && equal[c] >= EQUAL_FLOOR, COLUMNS.get(c) + "\n" + table);
        }
        assertEquals(rows.size() - completed, rescued, table::toString);
    }
}
