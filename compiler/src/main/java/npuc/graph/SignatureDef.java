package npuc.graph;

import java.util.List;

/** A signature: named inputs and outputs of one subgraph. */
public record SignatureDef(String key, int subgraphIndex, List<TensorMap> inputs, List<TensorMap> outputs) {
    public SignatureDef {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** A signature's name for one tensor of its subgraph. */
    public record TensorMap(String name, int tensorIndex) {
    }
}
