package npuc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Quantization;

/** The per-channel sums the weight limit bounds. */
class WeightSumsTest {

    private static Operand weights(long[] values, List<Integer> shape, List<Long> zeroPoints) {
        List<Float> scales = zeroPoints.stream().map(z -> 0.1f).toList();
        return new Operand("w", shape, DataType.INT8, new Quantization(List.of(), List.of(), scales, zeroPoints, 0),
                ConstantData.copyOf(OneOperatorGraph.encode(DataType.INT8, values)), shape, false,
                Operand.Producer.CONSTANT);
    }

    @Test
    void convolutionSumsEachOutputChannel() {
        // Two output channels of [1, 1, 2]: |1|+|-2| = 3 and |3-1|+|4-1| = 5 with per-channel zero points 0, 1.
        Operand w = weights(new long[] {1, -2, 3, 4}, List.of(2, 1, 1, 2), List.of(0L, 1L));
        assertEquals(5, WeightSums.maxChannelSum(w));
    }

    @Test
    void depthwiseSumsAllWeightsOncePerZeroPoint() {
        // [1, 1, 1, 2] depthwise weights: every zero point is taken against all weights.
        Operand w = weights(new long[] {1, -2}, List.of(1, 1, 1, 2), List.of(0L, 2L));
        assertEquals(5, WeightSums.maxChannelSum(w));
    }
}
