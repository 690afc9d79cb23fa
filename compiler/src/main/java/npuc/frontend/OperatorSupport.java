package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.frontend.OperatorPlacement.Reason;
import npuc.graph.Graph;

/**
 * Decides, for one original TFLite operator, whether Vela would place it on the NPU, and the lines Vela
 * prints when it does not. Two checks, as in Vela: {@link #semantic} (is it a well-formed TFLite operator;
 * run on every operator at read time) and {@link #supported} (can the NPU run it; run on operators that
 * passed the first). Both give the same answers for Ethos-U55 and Ethos-U65.
 */
public final class OperatorSupport {
    private OperatorSupport() {
    }

    /** Semantic checks (tflite_model_semantic) of one original operator; reason SEMANTIC on failure. */
    public static OperatorPlacement semantic(Graph graph, int subgraph, int operator) {
        CheckedOperator op = CheckedOperator.of(graph, subgraph, operator);
        for (Constraint c : SemanticConstraints.constraintsFor(op.type())) {
            Constraint.Verdict v = c.apply(op);
            if (!v.valid()) {
                return new OperatorPlacement(false, Reason.SEMANTIC, warning(
                        "Warning: Unsupported TensorFlow Lite semantics for " + op.typeName() + " '" + op.name()
                                + "'. Placing on CPU instead", c, v));
            }
        }
        return OperatorPlacement.npu();
    }

    /** Supported-operator checks (tflite_supported_operators) of one original operator; UNSUPPORTED or CPU_ONLY on failure. */
    public static OperatorPlacement supported(Graph graph, int subgraph, int operator) {
        CheckedOperator op = CheckedOperator.of(graph, subgraph, operator);
        if (!SupportedOperators.isSupportedType(op.type())) {
            return new OperatorPlacement(false, Reason.CPU_ONLY,
                    List.of("Info: " + op.typeName() + " '" + op.name() + "' is a CPU only op"));
        }
        for (Constraint c : SupportedOperators.constraintsFor(op.type())) {
            Constraint.Verdict v = c.apply(op);
            if (!v.valid()) {
                return new OperatorPlacement(false, Reason.UNSUPPORTED, warning(
                        "Warning: " + op.typeName() + " '" + op.name() + "' is not supported on the NPU. "
                                + "Placing on CPU instead", c, v));
            }
        }
        return OperatorPlacement.npu();
    }

    /**
     * The supported-operator checks of original operator {@code operator} after a rewrite changed what it reads,
     * writes and its options (Vela re-checks fused operators): the operator with these tensor indices and options.
     */
    static OperatorPlacement supportedAsRewritten(Graph graph, int subgraph, int operator, List<Integer> inputs,
                                                  List<Integer> outputs, npuc.graph.BuiltinOptions options) {
        npuc.graph.Subgraph sg = graph.subgraphs().get(subgraph);
        npuc.graph.Operator o = sg.operators().get(operator);
        List<npuc.graph.Operator> ops = new ArrayList<>(sg.operators());
        ops.set(operator, new npuc.graph.Operator(o.opcodeIndex(), inputs, outputs, o.intermediates(), options,
                o.customOptions(), o.mutatingVariableInputs()));
        List<npuc.graph.Subgraph> sgs = new ArrayList<>(graph.subgraphs());
        sgs.set(subgraph, new npuc.graph.Subgraph(sg.name(), sg.tensors(), sg.inputs(), sg.outputs(), ops));
        Graph changed = new Graph(graph.version(), graph.description(), graph.operatorCodes(), sgs, graph.buffers(),
                graph.metadata(), graph.signatureDefs());
        return supported(changed, subgraph, operator);
    }

    /** Vela's three prints: the headline, " - " and the description, "   " and the detail when there is one. */
    private static List<String> warning(String headline, Constraint c, Constraint.Verdict v) {
        List<String> lines = new ArrayList<>();
        lines.add(headline);
        lines.addAll(List.of((" - " + c.description()).split("\n", -1)));
        if (!v.extra().isEmpty()) {
            lines.addAll(List.of(("   " + v.extra()).split("\n", -1)));
        }
        return lines;
    }
}
