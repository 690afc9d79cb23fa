package npuc.graph;

import java.util.List;

/**
 * An operator of a subgraph. Inputs and outputs index the subgraph's tensors; -1 marks an omitted
 * optional input. {@code options} is null when the operator has no builtin options; {@code customOptions}
 * is null when it has no custom options.
 */
public record Operator(int opcodeIndex, List<Integer> inputs, List<Integer> outputs, List<Integer> intermediates,
                       BuiltinOptions options, ConstantData customOptions, List<Boolean> mutatingVariableInputs) {
    public Operator {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        intermediates = List.copyOf(intermediates);
        mutatingVariableInputs = List.copyOf(mutatingVariableInputs);
    }
}
