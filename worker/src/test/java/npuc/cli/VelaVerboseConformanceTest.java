package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import npuc.SharedData;

/**
 * The verbose outputs against Vela 3.10's on the models of ../shared: for each output, the numbers of every
 * table row are compared, row by row. Runs where Vela is installed: NPUC_VELA (or -Dnpuc.vela) names the vela
 * command; skipped otherwise. Names npuc gives tensors the rewrites make differently from Vela (Vela's "_0"
 * suffixes) are left out of the comparison, as are the columns the README lists as differing.
 */
class VelaVerboseConformanceTest {
    private static final List<String> MODELS = List.of("person_detect", "keyword_scrambled_8bit", "conv10");
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]+|-?\\d+(?:\\.\\d+)?(?:e[+-]\\d+)?");

    @TempDir
    Path dir;

    /** What a flag's output is compared by: the rows of its tables, each reduced to the figures compared. */
    private record Output(String flag, Function<String, List<String>> rows) {
        @Override
        public String toString() {
            return flag;
        }
    }

    static Stream<Arguments> outputs() {
        List<Output> outputs = List.of(
                new Output("--verbose-config", text -> numbersOfLines(text, l -> true)),
                new Output("--verbose-weights", text -> numbersOfLines(text, l -> l.contains("Weights Size"))),
                new Output("--verbose-schedule", text -> numbersOfLines(text,
                        l -> l.startsWith("\t\t") && !l.contains("Type:"))),
                new Output("--verbose-allocation", text -> rows(arenaSections(text), l -> l.matches("\\s+\\d+ - .*"),
                        l -> numbers(l.substring(0, l.lastIndexOf(": ", l.lastIndexOf(": ") - 1))))),
                new Output("--verbose-performance", text -> rows(text, l -> l.matches("^\\S+ +[A-Za-z0-9]+ +\\d.*"),
                        VelaVerboseConformanceTest::perLayerFigures)),
                new Output("--verbose-high-level-command-stream", text -> rows(text, l -> l.matches("\\s*\\d+ <.*"),
                        VelaVerboseConformanceTest::boxes)),
                new Output("--verbose-register-command-stream", text -> rows(text.substring(
                        Math.max(0, text.indexOf("Register-Level Command Stream: Output"))),
                        l -> l.startsWith("0x") || l.startsWith("Number of") || l.startsWith("Command stream"),
                        VelaVerboseConformanceTest::numbers)),
                new Output("--verbose-packing", text -> rows(text, l -> l.matches("\\d{3} <nng.Pass.*"),
                        l -> List.of(l.replaceAll("'.*'", "")))),
                new Output("--verbose-graph", text -> rows(text, l -> l.matches("\\d+ \\S+ .*"),
                        l -> List.of(l.split(" ")[0], l.split(" ")[1]))),
                new Output("--verbose-operators", text -> rows(text, l -> l.matches("\\s*\\d+: .*"), List::of)),
                new Output("--show-subgraph-io-summary", text -> rows(text, l -> l.contains(" = "),
                        l -> numbers(l.substring(l.lastIndexOf(" = "))))),
                new Output("--verbose-progress", text -> rows(text, l -> l.startsWith("compiler_driver: "), List::of)));
        List<Arguments> all = new ArrayList<>();
        for (String model : MODELS) {
            for (Output o : outputs) {
                all.add(Arguments.of(model, o));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("outputs")
    void numbersOfEveryTableMatchVela(String model, Output output) throws Exception {
        String vela = velaCommand();
        Path file = SharedData.modelsDir().resolve(model + ".tflite");
        Assumptions.assumeTrue(Files.exists(file), "skipped: " + file + " is absent");
        String reference = runVela(vela, file, output.flag());
        String ours = runNpuc(file, output.flag());
        List<String> expected = output.rows().apply(reference);
        List<String> actual = output.rows().apply(ours);
        assertTrue(!expected.isEmpty(), "Vela printed no rows for " + output.flag());
        assertEquals(expected, actual, model + " " + output.flag());
    }

    private static String velaCommand() {
        String vela = System.getProperty("npuc.vela", System.getenv("NPUC_VELA"));
        Assumptions.assumeTrue(vela != null && Files.isExecutable(Path.of(vela)),
                "skipped: Vela 3.10 is not installed here (set NPUC_VELA to its vela command)");
        return vela;
    }

    private String runVela(String vela, Path model, String flag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(vela, model.toString(), flag, "--output-dir", dir.resolve("vela").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private String runNpuc(Path model, String flag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VelaMain.run(List.of(model.toString(), flag, "--output-dir", dir.resolve("npuc").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, dir);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    private static List<String> rows(String text, java.util.function.Predicate<String> row,
            Function<String, List<String>> figures) {
        List<String> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (row.test(line)) {
                rows.add(String.join(" ", figures.apply(line)));
            }
        }
        return rows;
    }

    private static List<String> numbersOfLines(String text, java.util.function.Predicate<String> row) {
        return rows(sectionBeforeSummary(text), row, VelaVerboseConformanceTest::numbers);
    }

    /** The output before the network summary, or the summary's weight lines for --verbose-weights. */
    private static String sectionBeforeSummary(String text) {
        int summary = text.indexOf("\nNetwork summary for ");
        if (text.contains("Original Weights Size")) {
            return text;
        }
        return summary < 0 ? text : text.substring(0, summary);
    }

    private static List<String> numbers(String line) {
        List<String> n = new ArrayList<>();
        Matcher m = NUMBER.matcher(line);
        while (m.find()) {
            n.add(m.group());
        }
        return n;
    }

    /** The stripe's boxes and block config: the names around them are left out. */
    private static List<String> boxes(String line) {
        List<String> n = new ArrayList<>();
        Matcher m = Pattern.compile("<Box [^>]*>|block_config=\\[[^]]*]|weight_box=None").matcher(line);
        while (m.find()) {
            n.addAll(numbers(m.group()));
            n.add("|");
        }
        return n;
    }

    /** The arena's allocation listings: the constant areas' are not compared (see the README). */
    private static String arenaSections(String text) {
        int constants = text.indexOf("of mem_type_set (Permanent_");
        return constants < 0 ? text : text.substring(0, constants);
    }

    /** A per-layer row without its first column (see the README) and its name. */
    private static List<String> perLayerFigures(String line) {
        String[] cells = line.strip().split(" +");
        List<String> n = new ArrayList<>();
        for (int i = 2; i < cells.length - 1; i++) {
            n.add(cells[i]);
        }
        return n;
    }
}
