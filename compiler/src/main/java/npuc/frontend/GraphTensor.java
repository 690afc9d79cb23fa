package npuc.frontend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import npuc.graph.DataType;

/**
 * A tensor of the front end's mutable graph. {@code consumers} may hold null: the subgraph itself reads the
 * tensor (it is a graph output). Lives only inside one front-end run.
 */
final class GraphTensor {
    String name;
    int[] shape;
    DataType type;
    Quant quant;
    ConstArray values;
    boolean variable;
    /** Rebound, not cleared, when replaced: traversals hold on to the list they are filling (as Vela's do). */
    List<GraphOp> producers = new ArrayList<>();
    List<GraphOp> consumers = new ArrayList<>();
    int equivalenceId;
    TensorPurpose purpose = TensorPurpose.UNKNOWN;
    TensorFormat format;
    /**
     * Whether the tensor must stay linear (NHWC): null until decided, which counts as linear; false only where
     * {@link FormatRestrictions} allows the NPU's brick format.
     */
    Boolean forceLinearFormat;

    boolean linearFormat() {
        return forceLinearFormat == null || forceLinearFormat;
    }

    GraphTensor(String name, int[] shape, DataType type, int equivalenceId) {
        this.name = name;
        this.shape = shape.clone();
        this.type = type;
        this.equivalenceId = equivalenceId;
    }

    boolean isConst() {
        return values != null;
    }

    long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    Shape4 shape4() {
        return Shape4.of(shape);
    }

    GraphOp producer() {
        return producers.isEmpty() ? null : producers.get(0);
    }

    /** Makes {@code op} the only producer. */
    void setProducer(GraphOp op) {
        producers = new ArrayList<>();
        producers.add(op);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
