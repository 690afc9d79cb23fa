package npuc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

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
}
