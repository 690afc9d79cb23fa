package npuc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.SharedData;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.tflite.TfliteReader;

/**
 * Compiles every model of the reference summary for its target and compares the front end's six figures with
 * Vela 3.10's: where Vela completed they must be equal; where Vela crashed npuc's front end must complete.
 */
class VelaConformanceTest {
    private static final String[] FIGURES = {"cpu_operators", "npu_operators", "passes_before_fusing",
            "passes_after_fusing", "nn_macs", "total_original_weights"};

    @Test
    void frontEndFiguresMatchVela() throws Exception {
        Path reference = SharedData.referenceDir();
        assumeTrue(reference != null && Files.isRegularFile(reference.resolve("summary.csv")),
                "reference data absent: shared/reference/vela-3.10/summary.csv not found");
        List<Map<String, String>> rows = SharedData.readCsv(reference.resolve("summary.csv"));
        int completed = 0;
        int matching = 0;
        int crashedCompleted = 0;
        int crashed = 0;
        StringBuilder differences = new StringBuilder();
        for (Map<String, String> row : rows) {
            Path model = SharedData.modelsDir().resolve(row.get("model") + ".tflite");
            assumeTrue(Files.isRegularFile(model), "model absent: " + model);
            Graph graph = TfliteReader.read(Files.readAllBytes(model));
            TargetOptions t = TargetOptions.of(row.get("accelerator_config"), row.get("system_config"),
                    row.get("memory_mode"));
            String label = row.get("model") + " " + row.get("accelerator_config") + " " + row.get("memory_mode");
            boolean velaCompleted = "0".equals(row.get("vela_exit"));
            CompileResult r;
            try {
                r = Compiler.compile(row.get("model"), graph, Targets.resolve(t), CompileOptions.defaults());
            } catch (Exception e) {
                differences.append(String.format("%-55s front end failed: %s%n", label, e));
                if (velaCompleted) {
                    completed++;
                } else {
                    crashed++;
                }
                continue;
            }
            if (!velaCompleted) {
                crashed++;
                crashedCompleted++;
                continue;
            }
            completed++;
            Map<String, Long> ours = new HashMap<>();
            ours.put("cpu_operators", (long) r.frontEnd().cpuOperators().size());
            ours.put("npu_operators", (long) r.frontEnd().npuOperators().size());
            for (String f : FIGURES) {
                if (!ours.containsKey(f)) {
                    ours.put(f, ((Number) r.summary().get(f)).longValue());
                }
            }
            StringBuilder diff = new StringBuilder();
            for (String f : FIGURES) {
                long theirs = (long) Double.parseDouble(row.get(f));
                if (theirs != ours.get(f)) {
                    diff.append(' ').append(f).append(' ').append(ours.get(f)).append(" (Vela ").append(theirs)
                            .append(')');
                }
            }
            if (diff.isEmpty()) {
                matching++;
            } else {
                differences.append(String.format("%-55s%s%n", label, diff));
            }
        }
        System.out.printf("front end vs Vela 3.10: %d of %d completed rows match; %d of %d crashed rows complete%n%s",
                matching, completed, crashedCompleted, crashed, differences);
        assertTrue(completed > 0, "no completed rows in the reference");
        assertEquals(completed, matching, "rows where Vela completed must match:\n" + differences);
        assertEquals(crashed, crashedCompleted, "rows where Vela crashed must complete in npuc");
    }

}
