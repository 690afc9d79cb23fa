package npuc.perf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
import npuc.schedule.WeightEncodingCache;
import npuc.tflite.TfliteReader;

/**
 * The reference's sweep over arena cache sizes: the scheduler's memory target changes the cascades, stripes and
 * weight buffering, so each size is a different schedule. Compares cycles with Vela's where it completed, and
 * requires npuc to complete where Vela failed its own staging-limit assertion.
 */
class DseConformanceTest {
    /** Rows within 2% (and equal) of Vela's cycles_total: raised as the scheduler improves. */
    private static final int CYCLES_WITHIN_FLOOR = 55;
    private static final int CYCLES_EQUAL_FLOOR = 55;

    @Test
    void cyclesAcrossArenaSizes() throws Exception {
        Path csv = SharedData.referenceDir().resolve("dse.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = VelaPerformanceConformanceTest.readCsv(csv);
        int completed = 0;
        int within = 0;
        int equal = 0;
        StringBuilder table = new StringBuilder();
        // One model's compiles share their encoded weights, as a sweep would.
        Map<String, WeightEncodingCache> encodings = new HashMap<>();
        for (Map<String, String> row : rows) {
            Path model = SharedData.modelsDir().resolve(row.get("model") + ".tflite");
            assumeTrue(Files.isRegularFile(model), "skipped: model absent " + model);
            CompileOptions options = CompileOptions.defaults()
                    .withStrategy(OptimizationStrategy.valueOf(row.get("optimise")));
            long arena = Long.parseLong(row.get("arena_cache_size"));
            CompileResult r = Compiler.compile(row.get("model"), TfliteReader.read(Files.readAllBytes(model)),
                    Targets.resolve(new TargetOptions(row.get("accelerator_config"), row.get("system_config"),
                            row.get("memory_mode"), null, arena)), options,
                    encodings.computeIfAbsent(row.get("model"), m -> new WeightEncodingCache()));
            double ours = ((Number) r.summary().get("cycles_total")).doubleValue();
            String label = String.format(Locale.ROOT, "%-30s %-14s %8d", row.get("model"),
                    row.get("accelerator_config"), arena);
            if (!"0".equals(row.get("vela_exit"))) {
                table.append(label).append("  Vela failed, npuc ").append(String.format(Locale.ROOT, "%.0f", ours))
                        .append(" cycles\n");
                continue;
            }
            completed++;
            double vela = Double.parseDouble(row.get("cycles_total"));
            double ratio = ours / vela;
            within += Math.abs(ratio - 1) <= 0.02 ? 1 : 0;
            equal += Math.abs(ours - vela) <= 1e-6 * vela ? 1 : 0;
            table.append(label).append(String.format(Locale.ROOT, "  %.4f%s%n", ratio,
                    Math.abs(ratio - 1) <= 0.02 ? "" : " <"));
        }
        table.append(String.format(Locale.ROOT, "cycles_total within 2%%: %d, equal: %d, of %d completed%n", within,
                equal, completed));
        System.out.println(table);
        assertTrue(within >= CYCLES_WITHIN_FLOOR && equal >= CYCLES_EQUAL_FLOOR, table::toString);
    }
}
