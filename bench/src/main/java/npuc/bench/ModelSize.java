package npuc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import npuc.BadInputException;
import npuc.graph.Graph;
import npuc.graph.ModelStatistics;
import npuc.tflite.TfliteReader;

/** A model's operator count and the bytes of its constant buffers (its weights, for these 8-bit models). */
record ModelSize(int operators, long weights) {
    static ModelSize of(Path shared, String model) {
        Path file = shared.resolve("models").resolve(model + ".tflite");
        try {
            Graph g = TfliteReader.read(Files.readAllBytes(file));
            return new ModelSize(g.operatorCount(), ModelStatistics.of(g).constantBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BadInputException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }
}
