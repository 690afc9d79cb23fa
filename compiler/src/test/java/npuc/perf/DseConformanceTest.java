package npuc.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.BadInputException;
import npuc.CompileOptions;
import npuc.CompileSession;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.SharedData;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.TfliteReader;

/**
 * The reference's sweep over arena cache sizes: the scheduler's memory target changes the cascades, stripes and
 * weight buffering, so each size is a different schedule. Compares cycles and SRAM used with Vela's where it
 * completed. Where Vela failed its own staging-limit assertion, npuc either compiles with the Size strategy's
 * schedule and says so, or stops with a one-line error giving the SRAM needed and the arena cache size.
 */
class DseConformanceTest {
    /** Rows within 2% (and equal) of Vela's cycles_total: raised as the scheduler improves. */
    private static final int CYCLES_WITHIN_FLOOR = 55;
    private static final int CYCLES_EQUAL_FLOOR = 55;
    /** Rows whose sram_memory_used equals Vela's. */
    private static final int SRAM_EQUAL_FLOOR = 55;

    @Test
    void cyclesAcrossArenaSizes() throws Exception {
        Path csv = SharedData.referenceDir().resolve("dse.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        int completed = 0;
        int within = 0;
        int equal = 0;
        int sramEqual = 0;
        int velaFailed = 0;
        StringBuilder table = new StringBuilder();
        // The compiles share one session, as a sweep's do.
        CompileSession session = CompileSession.create();
        for (Map<String, String> row : rows) {
            Path model = SharedData.modelsDir().resolve(row.get("model") + ".tflite");
            assumeTrue(Files.isRegularFile(model), "skipped: model absent " + model);
            CompileOptions options = CompileOptions.defaults()
                    .withStrategy(OptimizationStrategy.valueOf(row.get("optimise")));
            long arena = Long.parseLong(row.get("arena_cache_size"));
            String label = String.format(Locale.ROOT, "%-30s %-14s %8d", row.get("model"),
                    row.get("accelerator_config"), arena);
            CompileResult r;
            try {
                r = Compiler.compile(row.get("model"), TfliteReader.read(Files.readAllBytes(model)),
                        Targets.resolve(new TargetOptions(row.get("accelerator_config"), row.get("system_config"),
                                row.get("memory_mode"), null, arena)), options,
                        session);
            } catch (BadInputException e) {
                assertTrue(!"0".equals(row.get("vela_exit")), () -> label + ": Vela completed, npuc: " + e.getMessage());
                assertTrue(e.getMessage().matches(".* does not fit: it needs \\d+ bytes of SRAM, the arena cache size is "
                        + arena + " bytes"), e::getMessage);
                assertFalse(e.getMessage().contains("\n"), e::getMessage);
                table.append(label).append("  Vela failed, npuc: ").append(e.getMessage()).append('\n');
                velaFailed++;
                continue;
            }
            double ours = ((Number) r.summary().get("cycles_total")).doubleValue();
            if (!"0".equals(row.get("vela_exit"))) {
                assertTrue(r.warnings().stream().anyMatch(w -> w.contains("Size strategy")), label);
                table.append(label).append("  Vela failed, npuc with the Size strategy's schedule: ")
                        .append(String.format(Locale.ROOT, "%.0f", ours)).append(" cycles\n");
                velaFailed++;
                continue;
            }
            completed++;
            double vela = Double.parseDouble(row.get("cycles_total"));
            double ratio = ours / vela;
            within += Math.abs(ratio - 1) <= 0.02 ? 1 : 0;
            equal += Math.abs(ours - vela) <= 1e-6 * vela ? 1 : 0;
            double sram = ((Number) r.summary().get("sram_memory_used")).doubleValue();
            boolean sramSame = sram == Double.parseDouble(row.get("sram_memory_used"));
            sramEqual += sramSame ? 1 : 0;
            table.append(label).append(String.format(Locale.ROOT, "  %.4f%s  sram %.3f KiB%s%n", ratio,
                    Math.abs(ratio - 1) <= 0.02 ? "" : " <", sram, sramSame ? "" : " (Vela " + row.get("sram_memory_used")
                            + ")"));
        }
        table.append(String.format(Locale.ROOT, "cycles_total within 2%%: %d, equal: %d; sram_memory_used equal: %d; "
                + "of %d completed; %d where Vela failed%n", within, equal, sramEqual, completed, velaFailed));
        System.out.println(table);
        assertTrue(within >= CYCLES_WITHIN_FLOOR && equal >= CYCLES_EQUAL_FLOOR, table::toString);
        assertTrue(sramEqual >= SRAM_EQUAL_FLOOR, table::toString);
        assertTrue(velaFailed == rows.size() - completed, table::toString);
    }
}
