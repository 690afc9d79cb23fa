package npuc.frontend;

import static npuc.frontend.LoweringAssertions.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import npuc.graph.BuiltinOperator;
import npuc.tflite.ModelBuilder;

/** The operator lines of Vela's --show-cpu-operations. */
class OperatorListingTest {

    @Test
    void linesNameVelasTypeTheOperatorAndItsTensorShapes() {
        FrontEndResult r = run(ModelBuilder.int8("l").input(1, 4, 4, 8).conv2d(8, 1, 1).dequantize().output());
        assertEquals("   CPU: Dequantize = dequantize (inputs [1, 4, 4, 8], outputs [1, 4, 4, 8])",
                r.cpuOperators().get(0).listingLine("CPU"));
        assertEquals("   NPU: Conv2DBias = conv2d (inputs [1, 4, 4, 8] [1, 1, 8, 8] [8], outputs [1, 4, 4, 8])",
                r.npuOperators().get(0).listingLine("NPU"));
    }

    @Test
    void cpuOnlyOperatorsHaveVelasNames() {
        assertEquals("Svdf", VelaOperatorNames.of(BuiltinOperator.SVDF, null));
        assertEquals("BatchMatMul", VelaOperatorNames.of(BuiltinOperator.BATCH_MATMUL, null));
        assertEquals("GatherV2", VelaOperatorNames.of(BuiltinOperator.GATHER, null));
        assertEquals("ReverseV2", VelaOperatorNames.of(BuiltinOperator.REVERSE_V2, null));
    }
}
