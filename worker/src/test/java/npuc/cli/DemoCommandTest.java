package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import npuc.worker.PipelineCompiler;
import npuc.worker.SimulatedCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
    private static String run(DemoCommand demo, int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(demo);
        line.setOut(new PrintWriter(out, true));
        int exit = line.execute(args);
        assertEquals(expectedExit, exit, out.toString());
        return out.toString();
    }

    @Test
    void builtModelsCompileForAllFiveTargets() {
        DemoCommand demo = new DemoCommand(new PipelineCompiler(), ExampleCommand::builtModels);

        String out = run(demo, 0);

        int expected = 5 * ExampleCommand.EXAMPLES.size();
        assertTrue(out.strip().endsWith("demo: " + expected + " of " + expected + " results OK"), out);
        assertTrue(out.contains("mobilenet-block") && out.contains("u65-512-mid-end-dedicated-512k"), out);
    }

    @Test
    void aStandInCompilerShowsTheSameTable() {
        Map<String, byte[]> models = new LinkedHashMap<>();
        models.put("tiny_conv", SimulatedCompiler.model("tiny", 1024));
        models.put("tiny_dense", SimulatedCompiler.model("dense", 2048));
        DemoCommand demo = new DemoCommand(new SimulatedCompiler(Duration.ofMillis(20)));
        demo.setBuiltModels(() -> models);

        String out = run(demo, 0);

        assertTrue(out.strip().endsWith("demo: 10 of 10 results OK"), out);
        assertTrue(out.contains("tiny_dense") && out.contains("u65-512-mid-end-dedicated-512k"), out);
    }

    @Test
    void aModelDirectoryWithACorruptModelEndsNonZeroAndSaysWhy(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("good.tflite"), npuc.tflite.ModelBuilder.keywordSpotting().toBytes());
        Files.write(dir.resolve("broken.tflite"), "not a flatbuffer".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("notes.txt"), "ignored");

        String out = run(new DemoCommand(new PipelineCompiler()), 1,
            "--models", dir.toString(), "--timeout-seconds", "60");

        assertTrue(out.strip().endsWith("demo: 5 of 10 results OK"), out);
        assertTrue(out.contains("broken / u55-128-high-end-shared: ") && out.contains("not a valid TFLite model"), out);
    }
}
