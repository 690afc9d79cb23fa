package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static npuc.frontend.LoweringAssertions.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.tflite.ModelBuilder;

/** MEAN: summing depthwise convolutions (split in bands of rows when tall), then a rescaling Mul. */
class MeanLoweringTest {

    @Test
    void tallMeanIsSummedInBandsOfSixtyFourRowsAndAdded() {
        FrontEndResult r = run(ModelBuilder.int8("m").input(1, 200, 64, 1).mean(1, 2).output());
        assertEquals(sorted(OpType.DepthwiseConv2DBias, OpType.DepthwiseConv2DBias, OpType.DepthwiseConv2DBias,
                OpType.DepthwiseConv2DBias, OpType.Add, OpType.Add, OpType.Add, OpType.Mul), npuTypes(r));
        FrontEndResult.OperationInfo third = npuOp(r, "meanmean_conv_2");
        assertEquals(new Shape4(0, 128, 0, 0), third.ifmReadOffset());
        assertEquals(new Shape4(1, 64, 64, 1), third.ifmReadShape());
        FrontEndResult.OperationInfo last = npuOp(r, "meanmean_conv_3");
        assertEquals(List.of(8, 64, 1, 1), last.weights().shape());
        assertEquals(200L * 64, r.nnMacs());
        // the three 64-row kernels have equal ones and are one weight tensor; the 8-row kernel another
        assertEquals(64 * 64 + 8 * 64, r.totalOriginalWeights());
        assertEquals("mean_mul", npuOp(r, OpType.Mul).name());
    }

    @Test
    void tallMeanThatFitsOneKernelIsReadAsOneRow() {
        FrontEndResult r = run(ModelBuilder.int8("m").input(1, 80, 40, 4).mean(1, 2).output());
        FrontEndResult.OperationInfo conv = npuOp(r, OpType.DepthwiseConv2DBias);
        assertEquals(new Shape4(1, 1, 3200, 4), conv.ifmShapes().get(0));
        assertEquals(List.of(1, 3200, 1, 4), conv.weights().shape());
    }

    @Test
    void meanOverDepthIsAMeanOverWidth() {
        FrontEndResult r = run(ModelBuilder.int8("m").input(1, 1, 10, 16).mean(3).output());
        FrontEndResult.OperationInfo conv = npuOp(r, OpType.DepthwiseConv2DBias);
        assertEquals(new Shape4(1, 10, 16, 1), conv.ifmShapes().get(0));
        assertEquals(16, conv.kernel().width());
        assertEquals(16L * 10, r.nnMacs());
    }

    @Test
    void meanOverAxesOfSizeOneIsACopy() {
        // Vela tries to bypass the copy, but a Memcpy is not a memory-only type to it, so the copy stays
        FrontEndResult r = run(ModelBuilder.int8("m").input(1, 1, 1, 16).conv2d(16, 1, 1).mean(1, 2).output());
        assertEquals(sorted(OpType.FullyConnected, OpType.Memcpy), npuTypes(r));
        assertEquals("mean", npuOp(r, OpType.Memcpy).name());
    }
}
