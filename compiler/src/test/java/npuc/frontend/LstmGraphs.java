package npuc.frontend;

import static npuc.frontend.OneOperatorGraph.Q;
import static npuc.frontend.OneOperatorGraph.filled;

import java.util.Set;

import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM graphs laid out as TFLite lays them out: input 0, input weights 1-4,
 * recurrent weights 5-8, peephole weights 9-11, gate biases 12-15, projection 16-17, output and cell state
 * 18-19, layer normalisation 20-23.
 */
final class LstmGraphs {
    private LstmGraphs() {
    }

    private static final BuiltinOptions OPTIONS = new BuiltinOptions.UnidirectionalSequenceLSTM(Activation.TANH,
            0f, 0f, false, false, false);

    /** A plain LSTM with {@code inputs} inputs and {@code intermediates} intermediates. */
    static OneOperatorGraph lstm(DataType type, int inputs, int intermediates, boolean variableState) {
        return lstm(type, inputs, intermediates, variableState, Set.of(), 2);
    }

    /**
     * An LSTM whose optional inputs in {@code present} are given (the others omitted), without the inputs in
     * {@code omitted} among 1-8, and with recurrent weights of rank {@code recurrentRank}.
     */
    static OneOperatorGraph lstm(DataType type, int inputs, int intermediates, boolean variableState,
                                 Set<Integer> present, int recurrentRank) {
        return build(type, inputs, intermediates, variableState, present, Set.of(), recurrentRank);
    }

    static OneOperatorGraph withOmittedWeights(Set<Integer> omitted) {
        return build(DataType.INT8, 24, 5, true, Set.of(), omitted, 2);
    }

    private static OneOperatorGraph build(DataType type, int inputs, int intermediates, boolean variableState,
                                          Set<Integer> present, Set<Integer> omitted, int recurrentRank) {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, OPTIONS)
                .in("in", type, Q, 1, 2, 4);
        for (int i = 1; i < inputs; i++) {
            if (omitted.contains(i)) {
                g.none();
            } else if (i <= 4) {
                g.constant("w" + i, DataType.INT8, Q, filled(8 * 4, 1), 8, 4);
            } else if (i <= 8) {
                if (recurrentRank == 2) {
                    g.constant("r" + i, DataType.INT8, Q, filled(8 * 8, 1), 8, 8);
                } else {
                    g.constant("r" + i, DataType.INT8, Q, filled(8 * 8, 1), 1, 8, 8);
                }
            } else if (i >= 12 && i <= 15) {
                g.constant("b" + i, DataType.INT32, Q, filled(8, 0), 8);
            } else if (i == 18 || i == 19) {
                String name = i == 18 ? "output_state" : "cell_state";
                DataType stateType = i == 18 ? type : DataType.INT16;
                if (variableState) {
                    g.variable(name, stateType, Q, 1, 8);
                } else {
                    g.in(name, stateType, Q, 1, 8);
                }
            } else if (present.contains(i)) {
                g.constant("opt" + i, DataType.INT16, Q, filled(8, 1), 8);
            } else {
                g.none();
            }
        }
        for (int i = 0; i < intermediates; i++) {
            g.intermediate("im" + i, DataType.INT16, Q, 1, 8);
        }
        return g.out("out", type, Q, 1, 2, 8);
    }

    /** An LSTM over a 2-D input (no time axis). */
    static OneOperatorGraph lstm2D() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, OPTIONS)
                .in("in", DataType.INT8, Q, 2, 4);
        for (int i = 1; i < 24; i++) {
            g.none();
        }
        return g.out("out", DataType.INT8, Q, 2, 8);
    }
}
