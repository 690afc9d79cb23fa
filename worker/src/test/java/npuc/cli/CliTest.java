package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import npuc.FailureSignature;
import npuc.InternalCompilerError;
import npuc.SharedData;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.tflite.ModelBuilder;
import npuc.tflite.TfliteReader;

/** The command line's contract: exit codes, one-line errors, inspect's counts, compile's outputs. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void helpExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("compile"), r.out());
        assertTrue(r.out().contains("inspect"), r.out());
    }

    @Test
    void anInternalErrorPrintsItsSignatureOnOneLine() {
        InternalCompilerError e = new InternalCompilerError(new FailureSignature("codegen", "RESIZE_BILINEAR",
                "IllegalArgumentException", "ArenaPlacement"),
                new IllegalArgumentException("no arena address for tensor 'ResizeBilinear_1'"));
        assertEquals("npuc: internal error [codegen/RESIZE_BILINEAR/IllegalArgumentException@ArenaPlacement]: "
                + "IllegalArgumentException: no arena address for tensor 'ResizeBilinear_1' "
                + "(run with --verbose for the stack trace)", Main.errorLine(e, false));
        String unwrapped = Main.errorLine(new IllegalStateException("no pass\ncalls it"), true);
        assertTrue(unwrapped.startsWith("npuc: internal error [cli/-/IllegalStateException@CliTest]: "
                + "IllegalStateException: no pass calls it"), unwrapped);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().exitCode());
        assertEquals(2, run("compile").exitCode());
        assertEquals(2, run("compile", "m.tflite", "--no-such-option").exitCode());
        assertEquals(2, run("compile", "m.tflite", "--optimise", "Fastest").exitCode());
        assertEquals(2, run("compile", "m.tflite", "--max-block-dependency", "4").exitCode());
        assertEquals(2, run("compile", "m.tflite", "--cpu-tensor-alignment", "24").exitCode());
        assertEquals(2, run("bogus").exitCode());
    }

    @Test
    void corruptModelIsOneLineExitOne() throws IOException {
        byte[] model = ModelBuilder.keywordSpotting().toBytes();
        byte[] truncated = java.util.Arrays.copyOf(model, model.length / 3);
        Path p = write("truncated.tflite", truncated);
        for (List<String> command : List.of(List.of("inspect", p.toString()),
                List.of("compile", p.toString(), "--output-dir", dir.resolve("out").toString()))) {
            Run r = run(command.toArray(String[]::new));
            assertEquals(1, r.exitCode(), command + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), command + " printed more than one line: " + r.err());
            assertTrue(r.err().startsWith("npuc: error: "), r.err());
            assertTrue(r.err().contains("truncated.tflite"), r.err());
        }
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path p = write("random.tflite", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Run r = run("inspect", p.toString(), "--verbose");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().lines().count() > 1, r.err());
    }

    @Test
    void missingFileIsExitOne() {
        Run r = run("inspect", dir.resolve("absent.tflite").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void unknownConfigIsExitOneNamingTheChoices() throws IOException {
        Path p = write("kws.tflite", ModelBuilder.keywordSpotting().toBytes());
        Run r = run("compile", p.toString(), "--accelerator-config", "ethos-u99", "--output-dir", dir.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("ethos-u55-128"), r.err());
        Run m = run("compile", p.toString(), "--system-config", "Nope", "--output-dir", dir.toString());
        assertEquals(1, m.exitCode(), m.err());
        assertTrue(m.err().contains("Ethos_U55_High_End_Embedded"), m.err());
    }

    @Test
    void inspectJsonCountsBuiltModel() throws Exception {
        Graph g = ModelBuilder.everyOperator(npuc.graph.DataType.INT8).build();
        Path p = write("every.tflite", ModelBuilder.everyOperator(npuc.graph.DataType.INT8).toBytes());
        Run r = run("inspect", p.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(g.operatorCount(), json.get("operator_count").asInt());
        assertEquals(g.operatorCount(), histogramTotal(json));
        assertEquals(1, json.get("operator_histogram").get("CONV_2D").asInt());
        assertEquals(1, json.get("operator_histogram").get("SOFTMAX").asInt());
    }

    @Test
    void inspectJsonOnEveryRealModel() throws Exception {
        for (Path model : SharedData.models()) {
            Run r = run("inspect", model.toString(), "--json");
            assertEquals(0, r.exitCode(), model + ": " + r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            int expected = RawFlatbuffer.operatorCount(Files.readAllBytes(model));
            assertEquals(expected, json.get("operator_count").asInt(), model.toString());
            assertEquals(expected, histogramTotal(json), model.toString());
        }
    }

    private static int histogramTotal(JsonNode json) {
        int total = 0;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) json.get("operator_histogram")::fields) {
            total += e.getValue().asInt();
        }
        return total;
    }

    @Test
    void inspectTextListsTheHistogram() throws IOException {
        Path p = write("kws.tflite", ModelBuilder.keywordSpotting().toBytes());
        Run r = run("inspect", p.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("CONV_2D"), r.out());
        assertTrue(r.out().contains("Constant bytes:"), r.out());
    }

    @Test
    void compileWritesVelaNamedSummary() throws Exception {
        Path p = write("kws.tflite", ModelBuilder.keywordSpotting().toBytes());
        Path out = dir.resolve("out");
        Run r = run("compile", p.toString(), "--accelerator-config", "ethos-u55-128",
                "--system-config", "Ethos_U55_High_End_Embedded", "--memory-mode", "Shared_Sram",
                "--output-dir", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Network summary for kws"), r.out());
        Path csv = out.resolve("kws_summary_Ethos_U55_High_End_Embedded.csv");
        assertTrue(Files.isRegularFile(csv), "summary CSV missing");
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        List<String> row = List.of(lines.get(1).split(","));
        assertEquals("experiment", header.get(0));
        assertEquals("kws", row.get(header.indexOf("network")));
        assertEquals("Ethos_U55_128", row.get(header.indexOf("accelerator_configuration")));
        assertEquals("500000000.0", row.get(header.indexOf("core_clock")));
        assertEquals("384.0", row.get(header.indexOf("arena_cache_size")));
        // The optimised model beside it: one ethos-u operator taking the command stream, the flash tensor,
        // the two arenas and the input feature map, writing the output; the summary's memory columns are set.
        Path optimised = out.resolve("kws_vela.tflite");
        assertTrue(Files.isRegularFile(optimised), "optimised model missing");
        Graph g = TfliteReader.read(Files.readAllBytes(optimised));
        Subgraph sg = g.subgraphs().get(0);
        Operator call = sg.operators().stream().filter(op -> "ethos-u".equals(g.operatorCode(op).customCode()))
                .findFirst().orElseThrow();
        assertEquals(List.of("main_split_1_command_stream", "main_split_1_flash", "main_split_1_scratch",
                "main_split_1_scratch_fast"), call.inputs().subList(0, 4).stream()
                .map(i -> sg.tensors().get(i).name()).toList());
        assertTrue(Double.parseDouble(row.get(header.indexOf("sram_memory_used"))) > 0, lines.get(1));
        assertTrue(Double.parseDouble(row.get(header.indexOf("off_chip_flash_memory_used"))) > 0, lines.get(1));
        assertTrue(r.out().contains("Total SRAM used"), r.out());
    }

    @Test
    void fastestFitPrintsVelasFiguresBesideItsOwnAndTheSmallestArena() throws Exception {
        Path p = write("kws.tflite", ModelBuilder.keywordSpotting().toBytes());
        String[] target = {"--accelerator-config", "ethos-u55-128", "--system-config", "Ethos_U55_High_End_Embedded",
                "--memory-mode", "Shared_Sram"};
        Run r = run(concat(new String[] {"compile", p.toString(), "--optimise", "FastestFit", "--report-min-arena",
                "--arena-cache-size", "65536", "--output-dir", dir.resolve("ff").toString()}, target));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("FastestFit: of "), r.out());
        assertTrue(r.out().contains("Vela's Performance strategy at this size: "), r.out());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Minimum arena cache size: (\\d+) KiB")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("ff").resolve("kws_vela.tflite")));
        long below = (Long.parseLong(m.group(1)) - 1) * 1024;
        if (below > 0) {
            Run tooSmall = run(concat(new String[] {"compile", p.toString(), "--optimise", "FastestFit",
                    "--arena-cache-size", Long.toString(below), "--output-dir", dir.resolve("ff2").toString()}, target));
            assertEquals(1, tooSmall.exitCode(), tooSmall.out());
            assertTrue(tooSmall.err().contains("the smallest that fits is " + (below + 1024) + " bytes"),
                    tooSmall.err());
        }
        assertTrue(run("compile", "--help").out().contains("FastestFit"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void showCpuOperationsListsEveryOperatorUnderItsCount() throws Exception {
        Path p = write("deq.tflite", ModelBuilder.int8("deq").input(1, 4, 4, 8).conv2d(8, 1, 1).dequantize()
                .toBytes());
        Run r = run("compile", p.toString(), "--show-cpu-operations", "--output-dir", dir.resolve("o").toString());
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        int cpu = out.indexOf("CPU operators = 1 (50.0%)");
        int cpuLine = out.indexOf("   CPU: Dequantize = dequantize (inputs [1, 4, 4, 8], outputs [1, 4, 4, 8])");
        int npu = out.indexOf("NPU operators = 1 (50.0%)");
        int npuLine = out.indexOf("   NPU: Conv2DBias = conv2d (inputs ");
        assertTrue(cpu >= 0 && cpu < cpuLine && cpuLine < npu && npu < npuLine, out);
        Run plain = run("compile", p.toString(), "--output-dir", dir.resolve("o2").toString());
        assertFalse(plain.out().contains("   CPU: "), plain.out());
    }

    @Test
    void exampleWritesAReadableModel() throws Exception {
        Run r = run("example", "mobilenet-block", "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        Graph g = TfliteReader.read(Files.readAllBytes(dir.resolve("mobilenet-block.tflite")));
        assertEquals(ModelBuilder.mobileNetBlock().build(), g);
        assertEquals(2, run("example", "no-such-example").exitCode());
    }

    @Test
    void versionPrints() {
        Run r = run("--version");
        assertEquals(0, r.exitCode());
        assertFalse(r.out().isBlank());
    }
}
