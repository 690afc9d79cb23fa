package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.Accelerator;
import npuc.graph.Graph;

/** What one front-end run shares between its steps: the model, the target's accelerator, ids, warnings. */
final class FrontEndContext {
    final Graph model;
    final Accelerator accelerator;
    final boolean forceSymmetricIntWeights;
    final List<String> warnings = new ArrayList<>();
    private int nextEquivalenceId;

    FrontEndContext(Graph model, Accelerator accelerator, boolean forceSymmetricIntWeights) {
        this.model = model;
        this.accelerator = accelerator;
        this.forceSymmetricIntWeights = forceSymmetricIntWeights;
    }

    int newEquivalenceId() {
        return nextEquivalenceId++;
    }

    private final java.util.Map<String, Integer> contentEquivalence = new java.util.HashMap<>();

    /**
     * The equivalence id of constant contents: generated constants with equal values share one id (and so one
     * buffer and one count in the original weights), as Vela derives their ids from the values.
     */
    int equivalenceIdFor(String contentKey) {
        return contentEquivalence.computeIfAbsent(contentKey, k -> newEquivalenceId());
    }

    GraphTensor newTensor(String name, int[] shape, npuc.graph.DataType type) {
        return new GraphTensor(name, shape, type, newEquivalenceId());
    }

    /** A copy of {@code t} under {@code name + suffix}: same values, quantization; a new equivalence id. */
    GraphTensor cloneTensor(GraphTensor t, String suffix, boolean uniqueEquivalence) {
        GraphTensor c = new GraphTensor(t.name + suffix, t.shape, t.type,
                uniqueEquivalence ? newEquivalenceId() : t.equivalenceId);
        c.quant = t.quant;
        c.values = t.values;
        c.variable = t.variable;
        c.purpose = t.purpose;
        c.format = t.format;
        return c;
    }

    /** A copy of {@code t} under a name of its own, with its own equivalence id. */
    GraphTensor cloneTensorAs(GraphTensor t, String name) {
        GraphTensor c = cloneTensor(t, "", true);
        c.name = name;
        return c;
    }

    /** A constant tensor with its Const producer, as Vela's create_const_tensor. */
    GraphTensor constTensor(String name, int[] shape, npuc.graph.DataType type, Quant quant, long... values) {
        GraphTensor t = newTensor(name, shape, type);
        t.values = ConstArray.of(type, shape, values);
        t.quant = quant;
        GraphOp c = new GraphOp(OpType.Const, name);
        c.runOnNpu = false;
        c.setOutput(t);
        return t;
    }

    GraphTensor constTensor(String name, ConstArray values, Quant quant) {
        GraphTensor t = newTensor(name, values.shape(), values.type());
        t.values = values;
        t.quant = quant;
        GraphOp c = new GraphOp(OpType.Const, name);
        c.runOnNpu = false;
        c.setOutput(t);
        return t;
    }

    void warn(String line) {
        warnings.add(line);
    }

    void warn(List<String> lines) {
        warnings.addAll(lines);
    }
}
