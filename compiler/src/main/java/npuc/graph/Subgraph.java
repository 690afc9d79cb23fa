package npuc.graph;

import java.util.List;

/** A subgraph: its tensors, its input and output tensor indices, and its operators in execution order. */
public record Subgraph(String name, List<Tensor> tensors, List<Integer> inputs, List<Integer> outputs,
                       List<Operator> operators) {
    public Subgraph {
        tensors = List.copyOf(tensors);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        operators = List.copyOf(operators);
    }
}
