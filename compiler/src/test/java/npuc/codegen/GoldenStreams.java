package npuc.codegen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.TfliteReader;

/** Reads the driver payloads of Vela's optimised models: the first input buffer of each ethos-u custom operator. */
final class GoldenStreams {
    private GoldenStreams() {
    }

    /** One payload per ethos-u operator of the main subgraph, in operator order. */
    static List<DriverPayload> read(Path optimisedModel) throws IOException, npuc.tflite.ModelFormatException {
        Graph g = TfliteReader.read(Files.readAllBytes(optimisedModel));
        List<DriverPayload> out = new ArrayList<>();
        Subgraph sg = g.subgraphs().get(0);
        for (Operator op : sg.operators()) {
            if (!"ethos-u".equals(g.operatorCode(op).customCode())) {
                continue;
            }
            Tensor t = sg.tensors().get(op.inputs().get(0));
            out.add(DriverPayload.parse(g.buffers().get(t.buffer()).data().toArray()));
        }
        return out;
    }

    /** A listing of the commands, one per line, prefixed by their index. */
    static String listing(List<Command> commands) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            b.append(String.format("%4d %s%n", i, commands.get(i)));
        }
        return b.toString();
    }
}
