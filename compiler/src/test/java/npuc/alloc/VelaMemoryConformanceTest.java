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

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.SharedData;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.TfliteReader;

/**
 * Compiles every row of the reference summary and compares the memory each allocation reached with Vela's
 * {@code *_memory_used} columns where Vela completed; where it crashed, npuc must complete, and the warnings it
 * gives are printed.
 */
class VelaMemoryConformanceTest {
    /** Rows whose sram_memory_used is within 2% of Vela's or below it, and rows equal to it. */
    private static final int SRAM_WITHIN_FLOOR = 56;
    private static final int SRAM_EQUAL_FLOOR = 56;

    @Test
    void memoryUsedAgainstVela() throws Exception {
        Path csv = SharedData.referenceDir().resolve("summary.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        int completed = 0;
        int within = 0;
        int equal = 0;
        int rescued = 0;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-50s %12s %12s%n", "row",
                "sram KiB", "Vela"));
        for (Map<String, String> row : rows) {
            Path model = SharedData.modelsDir().resolve(row.get("model") + ".tflite");
            assumeTrue(Files.isRegularFile(model), "skipped: model absent " + model);
            CompileResult r = Compiler.compile(row.get("model"), TfliteReader.read(Files.readAllBytes(model)),
                    Targets.resolve(TargetOptions.of(row.get("accelerator_config"), row.get("system_config"),
                            row.get("memory_mode"))), CompileOptions.defaults()
                            .withStrategy(OptimizationStrategy.valueOf(row.get("optimise"))));
            String label = row.get("model") + " " + row.get("accelerator_config") + " " + row.get("optimise");
            double sram = ((Number) r.summary().get("sram_memory_used")).doubleValue();
            if (!"0".equals(row.get("vela_exit"))) {
                rescued++;
                table.append(String.format(Locale.ROOT, "%-50s %12.3f %12s %s%n", label, sram, "crashed",
                        r.warnings().stream().filter(w -> w.contains("buffer")).toList()));
                continue;
            }
            completed++;
            double vela = Double.parseDouble(row.get("sram_memory_used"));
            boolean ok = sram <= vela || Math.abs(sram - vela) <= 0.02 * vela;
            within += ok ? 1 : 0;
            equal += sram == vela ? 1 : 0;
            table.append(String.format(Locale.ROOT, "%-50s %12.3f %12.3f%s%n", label, sram, vela,
                    sram == vela ? "" : ok ? " (below)" : " <"));
        }
        table.append(String.format(Locale.ROOT, "sram_memory_used within 2%% or below: %d, equal: %d, of %d completed; "
                + "%d completed where Vela crashed%n", within, equal, completed, rescued));
        System.out.println(table);
        assertTrue(within >= SRAM_WITHIN_FLOOR && equal >= SRAM_EQUAL_FLOOR, table::toString);
        assertEquals(rows.size() - completed, rescued, table::toString);
    }
}
