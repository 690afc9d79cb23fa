package npuc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.Compiler;
import npuc.SharedData;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.tflite.TfliteReader;

/**
 * The text summary npuc prints against the one Vela printed for the same model and target (the reference's
 * per-layer files end with it), line for line, the memory-used lines included.
 */
class TextSummaryTest {

    @Test
    void summaryMatchesVelasForEveryReferenceTarget() throws Exception {
        Path perLayer = SharedData.referenceDir().resolve("per-layer");
        Path models = SharedData.modelsDir();
        List<String> differing = new ArrayList<>();
        int compared = 0;
        try (Stream<Path> files = Files.list(perLayer)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                String[] parts = file.getFileName().toString().replace(".txt", "").split("__");
                List<String> vela = summaryLines(Files.readAllLines(file));
                if (vela.isEmpty()) {
                    continue;
                }
                var graph = TfliteReader.read(Files.readAllBytes(models.resolve(parts[0] + ".tflite")));
                var target = Targets.resolve(TargetOptions.of(parts[1], parts[2], parts[3]));
                var result = Compiler.compile(parts[0], graph, target, CompileOptions.defaults());
                List<String> ours = summaryLines(result.textSummary().lines().toList());
                compared++;
                if (!ours.equals(vela)) {
                    differing.add(file.getFileName() + ":\n  vela " + vela + "\n  npuc " + ours);
                }
            }
        }
        assertTrue(compared > 0, "no reference summaries found");
        assertEquals(List.of(), differing, differing.size() + " of " + compared + " summaries differ");
    }

    /** From "Network summary for" to the inference-time line. */
    private static List<String> summaryLines(List<String> text) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : text) {
            if (line.startsWith("Network summary for")) {
                in = true;
            }
            if (!in) {
                continue;
            }
            out.add(line);
            if (line.startsWith("Batch Inference time")) {
                break;
            }
        }
        return out;
    }
}
