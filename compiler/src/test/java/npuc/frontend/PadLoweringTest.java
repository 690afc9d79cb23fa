package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static npuc.frontend.LoweringAssertions.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.Padding;
import npuc.tflite.ModelBuilder;

/** PAD: into hardware padding, as border copies, and (NXP) batch and channel padding as concatenations. */
class PadLoweringTest {

    @Test
    void padBeforeValidConvolutionBecomesItsHardwarePadding() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).pad(0, 0, 1, 1, 1, 1, 0, 0)
                .conv2d(4, 3, 3).padding(Padding.VALID).output());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo conv = r.npuOperators().get(0);
        assertEquals(PaddingKind.EXPLICIT, conv.padding());
        assertEquals(List.of(1, 1, 1, 1), conv.explicitPadding());
        assertEquals(new Shape4(1, 8, 8, 4), conv.ifmShapes().get(0));
        assertEquals(3L * 3 * 4 * 8 * 8 * 4, r.nnMacs());
    }

    @Test
    void padWiderThanHalfTheKernelStaysAPad() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).pad(0, 0, 2, 2, 2, 2, 0, 0)
                .conv2d(4, 3, 3).padding(Padding.VALID).output());
        assertEquals(PaddingKind.VALID, npuOp(r, OpType.Conv2DBias).padding());
        // the copy of the ifm, four borders and the convolution
        assertEquals(6, r.npuOperators().size());
    }

    @Test
    void padBeforeAveragePoolMakesItAOnesDepthwiseConvolution() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).conv2d(4, 1, 1).pad(0, 0, 1, 1, 1, 1, 0, 0)
                .averagePool(3, 3).stride(1, 1).output());
        assertEquals(sorted(OpType.Conv2DBias, OpType.DepthwiseConv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo dw = npuOp(r, OpType.DepthwiseConv2DBias);
        assertEquals(List.of(3, 3, 1, 4), dw.weights().shape());
        assertEquals(List.of(1, 1, 1, 1), dw.explicitPadding());
        assertEquals(1.0 / 9, dw.weights().quantization().scale(), 1e-12);
        // int8: the bias puts back the ifm zero point the padded window would have summed
        assertEquals(dw.ifm().quantization().zeroPoint() * 9, dw.bias().values().get(0));
        assertEquals(3L * 3 * 8 * 8 * 4 + 4 * 8 * 8 * 4, r.nnMacs());
        // Vela counts the generated ones as 8-byte integers
        assertEquals(3 * 3 * 4 * 8 + 4 * 4, r.totalOriginalWeights());
    }

    @Test
    void remainingPadIsAMiddleCopyAndZeroPointBorders() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).conv2d(4, 1, 1)
                .pad(0, 0, 1, 2, 3, 0, 0, 0).output());
        assertEquals(sorted(OpType.Conv2DBias, OpType.AvgPool, OpType.AvgPool, OpType.AvgPool, OpType.AvgPool),
                npuTypes(r));
        assertEquals(new Shape4(0, 1, 3, 0), npuOp(r, "pad_main").writeOffset());
        assertEquals(new Shape4(0, 0, 0, 0), npuOp(r, "pad_top").writeOffset());
        assertEquals(new Shape4(1, 1, 11, 4), npuOp(r, "pad_top").ifmShapes().get(0));
        assertEquals(new Shape4(0, 9, 0, 0), npuOp(r, "pad_bottom").writeOffset());
        assertEquals(new Shape4(1, 8, 3, 4), npuOp(r, "pad_left").ifmShapes().get(0));
        assertEquals(new Shape4(0, 1, 0, 0), npuOp(r, "pad_left").writeOffset());
        // each copy costs one MAC per element it writes
        assertEquals(8 * 8 * 4 * 4 + 8 * 8 * 4 + 11 * 4 + 2 * 11 * 4 + 8 * 3 * 4, r.nnMacs());
    }

    @Test
    void channelPadIsAConcatenationWithZeroPointConstants() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).conv2d(4, 1, 1)
                .pad(0, 0, 0, 0, 0, 0, 2, 1).output());
        assertEquals(sorted(OpType.Conv2DBias, OpType.AvgPool, OpType.AvgPool, OpType.AvgPool, OpType.Add),
                npuTypes(r));
        assertEquals(new Shape4(0, 0, 0, 2), npuOp(r, "pad_concat1_avgpool").writeOffset());
        assertEquals(new Shape4(0, 0, 0, 6), npuOp(r, "pad_concat2_avgpool").writeOffset());
        assertEquals(new Shape4(1, 8, 8, 2), npuOp(r, "pad_concat0_avgpool").ifmShapes().get(0));
        assertEquals(new Shape4(1, 8, 8, 7), npuOp(r, "pad_concat_add").ofmShapes().get(0));
    }

    @Test
    void batchAndChannelPadIsSplitIntoTwoConcatenations() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).conv2d(4, 1, 1)
                .pad(1, 0, 0, 0, 0, 0, 2, 1).output());
        // channels first: zeros, input, zeros and an Add; then the batch: zeros, the channel-padded tensor, an Add
        assertEquals(new Shape4(1, 8, 8, 7), npuOp(r, "pad_sub_concat_add").ofmShapes().get(0));
        assertEquals(new Shape4(1, 0, 0, 0), npuOp(r, "pad_concat1_avgpool").writeOffset());
        assertEquals(new Shape4(2, 8, 8, 7), npuOp(r, "pad_concat_add").ofmShapes().get(0));
        assertEquals(8, r.npuOperators().size());
    }
}
