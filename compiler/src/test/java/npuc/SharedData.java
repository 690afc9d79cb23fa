package npuc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.TfliteReader;

/**
 * Locates ../shared (real models and Vela's reference outputs) beside the repository. A fresh clone
 * may not have it: tests that need it are skipped with a message saying so, never failed.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The repository root: Maven passes it to tests; from an IDE, the working directory's parents. */
    public static Path repositoryRoot() {
        String root = System.getProperty("npuc.root");
        Path start = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("compiler"))) {
                return p;
            }
        }
        return start.toAbsolutePath();
    }

    /** ../shared, or null when absent. */
    public static Path sharedDir() {
        Path shared = repositoryRoot().resolveSibling("shared");
        return Files.isDirectory(shared) ? shared : null;
    }

    /** ../shared/models; skips the calling test when absent. */
    public static Path modelsDir() {
        Path shared = sharedDir();
        Path models = shared == null ? null : shared.resolve("models");
        Assumptions.assumeTrue(models != null && Files.isDirectory(models),
                "skipped: ../shared/models is absent (real models are not part of a fresh clone)");
        return models;
    }

    /** ../shared/reference/vela-3.10; skips the calling test when absent. */
    public static Path referenceDir() {
        Path shared = sharedDir();
        Path ref = shared == null ? null : shared.resolve("reference").resolve("vela-3.10");
        Assumptions.assumeTrue(ref != null && Files.isDirectory(ref),
                "skipped: ../shared/reference/vela-3.10 is absent (reference data is not part of a fresh clone)");
        return ref;
    }

    /** Every .tflite file in ../shared/models, sorted by name; skips the calling test when absent. */
    public static List<Path> models() {
        try (Stream<Path> files = Files.list(modelsDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tflite")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Compiles a reference model for a target and strategy as the reference's rows name them. */
    public static CompileResult compile(String model, String accelerator, String systemConfig, String memoryMode,
            String strategy) throws Exception {
        Graph graph = TfliteReader.read(Files.readAllBytes(modelsDir().resolve(model + ".tflite")));
        return Compiler.compile(model, graph, Targets.resolve(TargetOptions.of(accelerator, systemConfig, memoryMode)),
                CompileOptions.defaults().withStrategy(OptimizationStrategy.valueOf(strategy)));
    }

    /** Compiles the model of a summary.csv row for the row's target and strategy. */
    public static CompileResult compile(Map<String, String> row) throws Exception {
        return compile(row.get("model"), row.get("accelerator_config"), row.get("system_config"),
                row.get("memory_mode"), row.get("optimise"));
    }

    /** Rows of a CSV file with a header line, each a map from column name to field (quoted fields allowed). */
    public static List<Map<String, String>> readCsv(Path p) throws IOException {
        List<String> lines = Files.readAllLines(p);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = splitCsv(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < fields.size() ? fields.get(i) : "");
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
