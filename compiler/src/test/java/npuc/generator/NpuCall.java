package npuc.generator;

import java.util.ArrayList;
import java.util.List;

import npuc.codegen.DriverPayload;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.ModelFormatException;
import npuc.tflite.TfliteReader;

/**
 * One {@code ethos-u} operator of an optimised model, read as the Ethos-U driver reads it: the command stream
 * payload, the flash tensor, and the sizes of the scratch and fast-scratch arenas it addresses. The same reading
 * serves npuc's models and Vela's.
 */
record NpuCall(byte[] commandStream, byte[] flash, long scratchSize, long fastScratchSize) {

    /** The command words of the payload. */
    int[] commandWords() {
        return DriverPayload.parse(commandStream).commandWords();
    }

    /** Every ethos-u operator of {@code model}, in subgraph and operator order. */
    static List<NpuCall> of(byte[] model) throws ModelFormatException {
        Graph g = TfliteReader.read(model);
        List<NpuCall> calls = new ArrayList<>();
        for (Subgraph sg : g.subgraphs()) {
            for (Operator op : sg.operators()) {
                if (!"ethos-u".equals(g.operatorCode(op).customCode())) {
                    continue;
                }
                List<Integer> in = op.inputs();
                calls.add(new NpuCall(bytes(g, sg, in.get(0)), bytes(g, sg, in.get(1)), size(sg, in, 2),
                        size(sg, in, 3)));
            }
        }
        return calls;
    }

    private static byte[] bytes(Graph g, Subgraph sg, int tensor) {
        return tensor < 0 ? new byte[0] : g.buffers().get(sg.tensors().get(tensor).buffer()).data().toArray();
    }

    private static long size(Subgraph sg, List<Integer> inputs, int i) {
        if (i >= inputs.size() || inputs.get(i) < 0) {
            return 0;
        }
        Tensor t = sg.tensors().get(inputs.get(i));
        return t.elementCount();
    }
}
