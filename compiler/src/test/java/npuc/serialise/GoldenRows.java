package npuc.serialise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import npuc.CompileResult;
import npuc.SharedData;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.TfliteReader;

/**
 * The reference's optimised models, one per completed row: {@code golden/<model>__<accelerator>__<system
 * config>__<memory mode>[__optimise_Size]/<model>_vela.tflite}.
 */
record GoldenRows(String model, String accelerator, String systemConfig, String memoryMode,
                  OptimizationStrategy strategy, Path dir) {

    static List<GoldenRows> all() {
        Path golden = SharedData.referenceDir().resolve("golden");
        List<GoldenRows> rows = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(golden)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                String[] parts = d.getFileName().toString().split("__");
                OptimizationStrategy strategy = parts.length > 4 && parts[4].equals("optimise_Size")
                        ? OptimizationStrategy.Size : OptimizationStrategy.Performance;
                rows.add(new GoldenRows(parts[0], parts[1], parts[2], parts[3], strategy, d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    String label() {
        return dir.getFileName().toString();
    }

    Path optimisedModel() {
        return dir.resolve(model + "_vela.tflite");
    }

    Graph readOptimised() throws Exception {
        return TfliteReader.read(Files.readAllBytes(optimisedModel()));
    }

    Graph readInput() throws Exception {
        return TfliteReader.read(Files.readAllBytes(SharedData.modelsDir().resolve(model + ".tflite")));
    }

    CompileResult compile() throws Exception {
        return SharedData.compile(model, accelerator, systemConfig, memoryMode, strategy.name());
    }

    /** The ethos-u operators of the model's first subgraph, in order. */
    static List<Operator> npuOperators(Graph g) {
        Subgraph sg = g.subgraphs().get(0);
        return sg.operators().stream().filter(op -> g.operatorCode(op).isCustom()
                && "ethos-u".equals(g.operatorCode(op).customCode())).toList();
    }

    /** The bytes of input {@code index} of {@code op} in the first subgraph. */
    static byte[] inputBytes(Graph g, Operator op, int index) {
        int tensor = op.inputs().get(index);
        return g.buffers().get(g.subgraphs().get(0).tensors().get(tensor).buffer()).data().toArray();
    }
}
