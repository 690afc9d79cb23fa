package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import npuc.tflite.ModelBuilder;

/** The vela command's contract: Vela 3.10's options, exit codes and message formats, on models the project builds. */
class VelaCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private Run vela(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VelaMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path kws() throws IOException {
        Path p = dir.resolve("kws.tflite");
        Files.write(p, ModelBuilder.keywordSpotting().toBytes());
        return p;
    }

    @Test
    void usageErrorsAreArgparses() {
        Run unknown = vela("m.tflite", "--bogus");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("usage: vela [-h] [--version]"), unknown.err());
        assertTrue(unknown.err().endsWith("vela: error: unrecognized arguments: --bogus\n"), unknown.err());
        assertEquals("", unknown.out());
        assertTrue(vela("m.tflite", "--accelerator-config", "foo").err().contains("vela: error: argument "
                + "--accelerator-config: invalid choice: 'foo' (choose from 'ethos-u55-32', 'ethos-u55-64', "
                + "'ethos-u55-128', 'ethos-u55-256', 'ethos-u65-256', 'ethos-u65-512')\n"));
        assertTrue(vela("m.tflite", "--max-block-dependency", "5").err()
                .contains("argument --max-block-dependency: invalid choice: 5 (choose from 0, 1, 2, 3)"));
        assertTrue(vela("m.tflite", "--arena-cache-size", "abc").err()
                .contains("argument --arena-cache-size: invalid int value: 'abc'"));
        assertTrue(vela("m.tflite", "--output-dir").err().contains("argument --output-dir: expected one argument"));
        assertTrue(vela("m.tflite", "--verbose-p").err().contains("ambiguous option: --verbose-p could match "
                + "--verbose-packing, --verbose-performance, --verbose-progress"));
        assertTrue(vela("m.tflite", "--timing=1").err().contains("argument --timing: ignored explicit argument '1'"));
        assertTrue(vela().err().endsWith("vela: error: the following argument is required: NETWORK\n"));
        assertTrue(vela("a.tflite", "b.tflite").err().endsWith("unrecognized arguments: b.tflite\n"));
        assertTrue(vela("m.tflite", "--cpu-tensor-alignment", "24").err().contains("Invalid argument to "
                + "--cpu-tensor-alignment = 24 (must be greater than or equal to 16 and a power of 2)"));
    }

    @Test
    void theUsageLineWrapsAsArgparseDoes() {
        String usage = VelaArguments.usage();
        for (String line : usage.split("\n")) {
            // A line may pass 78 columns only when it holds one part that cannot be broken.
            assertTrue(line.length() <= 78 || line.strip().split(" \\[").length == 1, line);
        }
        assertTrue(usage.endsWith("\n            [NETWORK]\n"), usage);
        for (VelaArguments.Option o : VelaArguments.OPTIONS) {
            assertTrue(usage.contains("[" + o.usage() + "]"), o.name());
        }
    }

    @Test
    void prefixesAndEqualsFormsAreAccepted() throws Exception {
        Path model = kws();
        Run r = vela(model.toString(), "--output-d=" + dir.resolve("o"), "--verbose-perf", "--accel", "ethos-u55-128");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("Performance for NPU Subgraph"), r.out());
        assertTrue(r.out().contains("Ethos_U55_128"), r.out());
        assertTrue(Files.exists(dir.resolve("o").resolve("kws_per-layer.csv")));
    }

    @Test
    void versionsHelpAndListingsExitZero() {
        assertEquals(new Run(0, VelaMain.VELA_VERSION + "\n", ""), vela("--version"));
        assertEquals(new Run(0, VelaMain.API_VERSION + "\n", ""), vela("--api-version"));
        Run help = vela("--help");
        assertEquals(0, help.exitCode());
        for (VelaArguments.Option o : VelaArguments.OPTIONS) {
            assertTrue(help.out().contains(o.usage()), o.name());
        }
        assertEquals(new Run(0, "Available config files:\nArm/vela.ini\n", ""), vela("--list-config-files"));
    }

    @Test
    void theSupportedOperatorsReportListsTheConstraintTables() throws IOException {
        Run r = vela("--supported-ops-report");
        assertEquals(0, r.exitCode(), r.err());
        Path report = dir.toAbsolutePath().resolve("SUPPORTED_OPS.md");
        assertEquals("Report file: " + report + "\n", r.out());
        String md = Files.readString(report);
        assertTrue(md.contains("| CONV_2D | [Generic](#tflite-generic-constraints), [Specific](#tflite-conv_2d-constraints) |"));
        assertTrue(md.contains("| LOGISTIC | [Generic](#tflite-generic-constraints) |"), md);
        assertTrue(md.contains("### TFLite CONV_2D Constraints"));
        assertTrue(md.contains("- Tensors must be of type: int16, int32, int8, uint8 - [ARG_MAX]"), md);
        assertTrue(md.contains("- IFM Tensor batch size must be 1 - [FULLY_CONNECTED, RESHAPE, SHAPE, SLICE, SOFTMAX, "
                + "SPLIT, SPLIT_V, SQUEEZE, STRIDED_SLICE, UNPACK]"), md);
        assertFalse(md.contains("SPDX"), "the report is npuc's own");
    }

    @Test
    void velaErrorsAreOneLineOnStandardOutputExitOne() throws Exception {
        Run missing = vela(dir.resolve("absent.tflite").toString(), "--output-dir", dir.resolve("o").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.out().startsWith("Error: Reading input file '"), missing.out());
        Path text = Files.writeString(dir.resolve("model.txt"), "not a model");
        assertTrue(vela(text.toString(), "--output-dir", dir.resolve("o").toString()).out()
                .contains("Unsupported file extension"));
        Path bad = Files.write(dir.resolve("bad.tflite"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Run corrupt = vela(bad.toString(), "--output-dir", dir.resolve("o").toString());
        assertEquals(1, corrupt.exitCode());
        assertEquals(1, corrupt.out().lines().count(), corrupt.out());
        Run config = vela(kws().toString(), "--config", "x.txt");
        assertEquals(new Run(1, "Error: Reading input file 'x.txt': Configuration files must use the .ini extension\n",
                ""), config);
        Run system = vela(kws().toString(), "--system-config", "Nope", "--memory-mode", "Shared_Sram",
                "--output-dir", dir.resolve("o").toString());
        assertEquals(1, system.exitCode());
        assertTrue(system.out().contains("Error: Incorrect argument to CLI option --system-config=Nope"), system.out());
    }

    @Test
    void everyVerboseOutputPrintsItsSectionBeforeTheSummary() throws Exception {
        Path model = kws();
        Path out = dir.resolve("all");
        Run r = vela(model.toString(), "--output-dir", out.toString(), "--verbose-all", "--timing",
                "--show-subgraph-io-summary", "--enable-debug-db", "--subgraph-output");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<String> sections = List.of("Configuration files:", "Operators of Subgraph", "Model reading took",
                "compiler_driver: Performing graph optimisation", "[ Before Graph Optimization ]",
                "[ After Graph Optimization ]", "print_graph_with_tensor_quantization()", "print_graph_with_tensors()",
                "print_passes()", "Schedule: '", "Tensor Allocation for mem_area", "Scheduling took",
                "print_high_level_command_stream()", "Register-Level Command Stream: Output",
                "Performance for NPU Subgraph", "Network summary for kws", "Original Weights Size",
                "Compiler driver took", "Subgraph IO Summary");
        int at = -1;
        List<String> outOfOrder = new ArrayList<>();
        for (String s : sections) {
            int i = r.out().indexOf(s);
            if (i <= at) {
                outOfOrder.add(s);
            }
            at = Math.max(at, i);
        }
        assertTrue(outOfOrder.isEmpty(), "missing or out of Vela's order: " + outOfOrder);
        for (String file : List.of("kws_vela.tflite", "kws_summary_internal-default.csv", "kws_per-layer.csv",
                "kws_debug.xml", "kws_ethos_u_subgraph.csv", "kws_ethos_u_subgraph_values.txt")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        String xml = Files.readString(out.resolve("kws_debug.xml"));
        assertTrue(xml.startsWith("<?xml version='1.0' encoding='UTF-8'?>\n<debug source=\""), xml);
        for (String table : List.of("source", "optimised", "queue", "cmdstream")) {
            assertTrue(xml.contains("<table name=\"" + table + "\"><![CDATA["), table);
        }
    }

    @Test
    void withoutVerboseFlagsTheOutputIsTheCompileCommandsSummary() throws Exception {
        Path model = kws();
        Run vela = vela(model.toString(), "--output-dir", dir.resolve("a").toString());
        CliTest.Run npuc = CliTest.run("compile", model.toString(), "--output-dir", dir.resolve("b").toString());
        assertEquals(0, vela.exitCode(), vela.out());
        assertEquals(npuc.out(), vela.out());
        assertEquals(Files.readString(dir.resolve("b").resolve("kws_summary_internal-default.csv")),
                Files.readString(dir.resolve("a").resolve("kws_summary_internal-default.csv")));
    }
}
