package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * One subgraph of the front end's graph at one stage, as values: its operations in Vela's traversal order
 * (each after the producers of its inputs, from the subgraph's outputs), each with its tensors.
 */
public record GraphSnapshot(String name, List<Op> ops) {
    public GraphSnapshot {
        ops = List.copyOf(ops);
    }

    /**
     * A tensor as the verbose outputs show it. {@code constant} is true when a constant operation produces it
     * (Vela keeps constants in permanent storage); {@code purpose} is UNKNOWN before the purposes are set;
     * {@code values} are a constant's values, else null.
     */
    public record Tensor(String name, List<Integer> shape, DataType type, Quant quantization, TensorPurpose purpose,
                         boolean constant, ConstArray values) {
        public Tensor {
            shape = List.copyOf(shape);
        }
    }

    /**
     * An operation: its type as Vela names it, its name, its inputs (null for an absent optional input) and
     * outputs, the TFLite operator index it was read from (null for operations the rewrites made), the options
     * it was read with and its kernel (width, height, stride x and y, dilation x and y).
     */
    public record Op(String type, String name, List<Tensor> inputs, List<Tensor> outputs, Integer opIndex,
                     npuc.graph.BuiltinOperator builtin, npuc.graph.BuiltinOptions options,
                     FrontEndResult.Kernel kernel) {
        public Op {
            inputs = java.util.Collections.unmodifiableList(new ArrayList<>(inputs));
            outputs = List.copyOf(outputs);
        }
    }

    /** The attributes Vela reads from an operator's options table, by Vela's names, in its reading order. */
    public static List<String> velaAttributeNames(npuc.graph.BuiltinOperator op) {
        OptionAttributes a = OptionAttributes.of(op);
        return a == null ? List.of() : a.attributes();
    }

    static List<GraphSnapshot> of(List<WorkSubgraph> subgraphs) {
        List<GraphSnapshot> list = new ArrayList<>();
        for (WorkSubgraph sg : subgraphs) {
            list.add(of(sg));
        }
        return list;
    }

    static GraphSnapshot of(WorkSubgraph sg) {
        List<Op> ops = new ArrayList<>();
        for (GraphOp o : sg.allOps()) {
            List<Tensor> ins = new ArrayList<>();
            for (GraphTensor t : o.inputs) {
                ins.add(tensor(t));
            }
            List<Tensor> outs = new ArrayList<>();
            for (GraphTensor t : o.outputs) {
                outs.add(tensor(t));
            }
            String type = o.type == OpType.CpuOnly ? VelaOperatorNames.of(o.builtin, o.customCode) : o.type.name();
            ops.add(new Op(type, o.name, ins, outs, o.opIndex, o.builtin, o.options,
                    new FrontEndResult.Kernel(o.kernelWidth(),
                    o.kernelHeight(), o.strideW, o.strideH, o.dilationW, o.dilationH)));
        }
        return new GraphSnapshot(sg.name, ops);
    }

    private static Tensor tensor(GraphTensor t) {
        if (t == null) {
            return null;
        }
        boolean constant = t.producers.size() == 1 && t.producers.get(0).type == OpType.Const;
        return new Tensor(t.name, java.util.Arrays.stream(t.shape).boxed().toList(), t.type, t.quant, t.purpose,
                constant, t.values);
    }
}
