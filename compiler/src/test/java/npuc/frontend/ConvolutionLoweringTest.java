package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.Padding;
import npuc.tflite.ModelBuilder;

/** Transpose convolution and fully connected shapes. */
class ConvolutionLoweringTest {

    @Test
    void stridedTransposeConvolutionUpscalesItsIfmAndRunsWithStrideOne() {
        FrontEndResult r = run(ModelBuilder.int8("t").input(1, 4, 4, 8).transposeConv(6, 3, 3).stride(2, 2)
                .output());
        FrontEndResult.OperationInfo op = npuOp(r, OpType.Conv2DBackpropInputSwitchedBias);
        assertEquals(new Shape4(1, 4, 4, 8), op.ifmShapes().get(0));
        assertEquals(op.ifm(), op.inputs().get(0));
        assertEquals(List.of(4), op.inputs().get(2).shape());
        assertEquals(1, op.kernel().strideX());
        assertEquals(1, op.kernel().strideY());
        assertEquals(ResamplingMode.TRANSPOSE, op.ifmResampling());
        // SAME on the x2 upscaled ifm: the kernel overhangs two rows and columns before it
        assertEquals(List.of(2, 2, 0, 0), op.explicitPadding());
        assertEquals(3L * 3 * 8 * 8 * 8 * 6, r.nnMacs());
        assertEquals(3 * 3 * 8 * 6, r.totalOriginalWeights());
    }

    @Test
    void validTransposeConvolutionPadsByTheKernelOverhang() {
        FrontEndResult r = run(ModelBuilder.int8("t").input(1, 4, 4, 8).transposeConv(6, 3, 3).stride(2, 2)
                .padding(Padding.VALID).output());
        FrontEndResult.OperationInfo op = npuOp(r, OpType.Conv2DBackpropInputSwitchedBias);
        assertEquals(new Shape4(1, 9, 9, 6), op.ofmShapes().get(0));
        assertEquals(List.of(2, 2, 1, 1), op.explicitPadding());
    }

    @Test
    void unitStrideTransposeConvolutionIsAPlainConvolution() {
        FrontEndResult r = run(ModelBuilder.int8("t").input(1, 4, 4, 8).transposeConv(6, 3, 3).output());
        FrontEndResult.OperationInfo op = npuOp(r, OpType.Conv2DBackpropInputSwitchedBias);
        assertEquals(List.of(1, 1, 1, 1), op.explicitPadding());
        assertEquals(List.of(OpType.Conv2DBackpropInputSwitchedBias), npuTypes(r));
    }

    @Test
    void fullyConnectedOverThreeRowsReadsThemAsOneImageRow() {
        // batches other than 4, 8 and 16 become a single row of pixels
        FrontEndResult r = run(ModelBuilder.int8("f").input(3, 8).fullyConnected(3).output());
        FrontEndResult.OperationInfo fc = npuOp(r, OpType.FullyConnected);
        assertEquals(new Shape4(1, 1, 3, 8), fc.ifmShapes().get(0));
        assertEquals(new Shape4(1, 1, 3, 3), fc.ofmShapes().get(0));
        assertEquals(List.of(1, 1, 8, 3), fc.weights().shape());
        assertEquals(3 * 8 * 3, r.nnMacs());
    }
}
