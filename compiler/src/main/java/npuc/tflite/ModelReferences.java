package npuc.tflite;

import java.util.Arrays;
import java.util.List;

import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.SignatureDef;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/**
 * Checks that every index in a model refers to something that exists, and that each subgraph's
 * operators run in an order where every computed input is produced before it is consumed. The later
 * stages index lists with these values and walk operators in order, so they rely on both.
 */
final class ModelReferences {
    private ModelReferences() {
    }

    static void check(Graph graph) throws ModelFormatException {
        if (graph.subgraphs().isEmpty()) {
            throw new ModelFormatException("model: has no subgraphs");
        }
        int bufferCount = graph.buffers().size();
        for (int s = 0; s < graph.subgraphs().size(); s++) {
            checkSubgraph(graph, s, bufferCount);
        }
        for (int m = 0; m < graph.metadata().size(); m++) {
            int buffer = graph.metadata().get(m).buffer();
            if (buffer < 0 || buffer >= bufferCount) {
                throw new ModelFormatException("metadata " + m + " (" + graph.metadata().get(m).name()
                        + "): refers to buffer " + Integer.toUnsignedString(buffer) + ", but the model has "
                        + bufferCount + " buffers");
            }
        }
        for (int d = 0; d < graph.signatureDefs().size(); d++) {
            checkSignature(graph, d);
        }
    }

    private static void checkSubgraph(Graph graph, int s, int bufferCount) throws ModelFormatException {
        Subgraph subgraph = graph.subgraphs().get(s);
        List<Tensor> tensors = subgraph.tensors();
        int tensorCount = tensors.size();
        for (int t = 0; t < tensorCount; t++) {
            int buffer = tensors.get(t).buffer();
            if (buffer < 0 || buffer >= bufferCount) {
                throw new ModelFormatException("subgraph " + s + " tensor " + t + " (" + tensors.get(t).name()
                        + "): refers to buffer " + buffer + ", but the model has " + bufferCount + " buffers");
            }
        }
        String where = "subgraph " + s;
        checkTensors(where, "input", subgraph.inputs(), tensorCount, false);
        checkTensors(where, "output", subgraph.outputs(), tensorCount, false);

        // The first operator that writes each tensor; -1 for tensors no operator writes.
        int[] producer = new int[tensorCount];
        Arrays.fill(producer, -1);
        List<Operator> operators = subgraph.operators();
        for (int o = 0; o < operators.size(); o++) {
            Operator op = operators.get(o);
            String opWhere = operatorWhere(graph, s, o, op);
            // The decoder checks this too; a Graph built in memory reaches here without decoding.
            if (op.opcodeIndex() < 0 || op.opcodeIndex() >= graph.operatorCodes().size()) {
                throw new ModelFormatException(opWhere + ": refers to operator code " + op.opcodeIndex()
                        + ", but the model has " + graph.operatorCodes().size() + " operator codes");
            }
            checkTensors(opWhere, "input", op.inputs(), tensorCount, true);
            checkTensors(opWhere, "output", op.outputs(), tensorCount, false);
            checkTensors(opWhere, "intermediate", op.intermediates(), tensorCount, false);
            for (int tensor : op.outputs()) {
                if (producer[tensor] < 0) {
                    producer[tensor] = o;
                }
            }
        }
        for (int o = 0; o < operators.size(); o++) {
            Operator op = operators.get(o);
            for (int i = 0; i < op.inputs().size(); i++) {
                int tensor = op.inputs().get(i);
                if (tensor < 0 || producer[tensor] < o) {
                    continue;
                }
                int p = producer[tensor];
                String by = p == o ? "this operator itself"
                        : "operator " + p + " (" + graph.operatorCode(operators.get(p)).displayName()
                        + "), which runs later";
                throw new ModelFormatException(operatorWhere(graph, s, o, op) + ": input " + i + " is tensor "
                        + tensor + ", produced by " + by + ": the operators form a cycle");
            }
        }
    }

    private static void checkTensors(String where, String role, List<Integer> indices, int tensorCount,
                                     boolean optional) throws ModelFormatException {
        for (int i = 0; i < indices.size(); i++) {
            int tensor = indices.get(i);
            if (optional && tensor == -1) {
                continue;
            }
            if (tensor < 0 || tensor >= tensorCount) {
                throw new ModelFormatException(where + ": " + role + " " + i + " refers to tensor " + tensor
                        + ", but the subgraph has " + tensorCount + " tensors");
            }
        }
    }

    private static void checkSignature(Graph graph, int d) throws ModelFormatException {
        SignatureDef signature = graph.signatureDefs().get(d);
        String where = "signature def " + d + " (" + signature.key() + ")";
        int subgraph = signature.subgraphIndex();
        if (subgraph < 0 || subgraph >= graph.subgraphs().size()) {
            throw new ModelFormatException(where + ": refers to subgraph " + subgraph + ", but the model has "
                    + graph.subgraphs().size() + " subgraphs");
        }
        int tensorCount = graph.subgraphs().get(subgraph).tensors().size();
        for (List<SignatureDef.TensorMap> maps : List.of(signature.inputs(), signature.outputs())) {
            for (SignatureDef.TensorMap map : maps) {
                if (map.tensorIndex() < 0 || map.tensorIndex() >= tensorCount) {
                    throw new ModelFormatException(where + ": " + map.name() + " refers to tensor "
                            + map.tensorIndex() + ", but subgraph " + subgraph + " has " + tensorCount + " tensors");
                }
            }
        }
    }

    private static String operatorWhere(Graph graph, int s, int o, Operator op) {
        String name = op.opcodeIndex() >= 0 && op.opcodeIndex() < graph.operatorCodes().size()
                ? graph.operatorCode(op).displayName() : "operator code " + op.opcodeIndex();
        return "subgraph " + s + " operator " + o + " (" + name + ")";
    }
}
