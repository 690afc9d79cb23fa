package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.Padding;
import npuc.tflite.ModelBuilder;

/** The small rewrites: pool strides, wide-stride pools, explicit padding, one-way splits, bias fixup. */
class SmallRewritesTest {

    @Test
    void poolWhoseWindowAndStrideCoverTheIfmRunsWithStrideOne() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 7, 7, 8).conv2d(8, 1, 1).averagePool(7, 7).output());
        FrontEndResult.OperationInfo pool = npuOp(r, OpType.AvgPool);
        assertEquals(1, pool.kernel().strideX());
        assertEquals(1, pool.kernel().strideY());
        assertEquals(PaddingKind.VALID, pool.padding());
    }

    @Test
    void averagePoolWithStrideAboveThreeIsAOnesConvolution() {
        // one output row, so the NPU takes the width stride of 4
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 4, 16, 4).conv2d(4, 1, 1).averagePool(4, 4)
                .output());
        FrontEndResult.OperationInfo conv = npuOp(r, "average_pool_conv2d");
        assertEquals(OpType.Conv2DBias, conv.type());
        assertEquals(1.0 / 16, conv.weights().quantization().scale(), 1e-12);
        // Vela's [4, 4, 1, 4] ones kernel, then the wide-stride fix folds the 4 columns of each window into depth
        assertEquals(List.of(4, 1, 4, 4), conv.weights().shape());
        assertEquals(new Shape4(1, 4, 4, 16), conv.ifmShapes().get(0));
        assertEquals(1, conv.kernel().strideX());
    }

    @Test
    void explicitPaddingAfterTheWindowIsTrimmedToWhatTheStrideReads() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 8, 8, 4).pad(0, 0, 1, 1, 1, 1, 0, 0)
                .conv2d(4, 3, 3).padding(Padding.VALID).stride(2, 2).output());
        FrontEndResult.OperationInfo conv = npuOp(r, OpType.Conv2DBias);
        assertEquals(PaddingKind.EXPLICIT, conv.padding());
        // one row and column before; the one after is never read with stride 2 over 8
        assertEquals(List.of(1, 1, 0, 0), conv.explicitPadding());
        assertEquals(new Shape4(1, 4, 4, 4), conv.ofmShapes().get(0));
    }

    @Test
    void reluOnAGraphInputGetsAnAveragePoolToRunIn() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).relu().output());
        assertEquals(List.of(OpType.AvgPool, OpType.Relu), npuTypes(r));
        assertEquals("relu_avgpool", npuOp(r, OpType.AvgPool).name());
        // one pass holds both: startup and call at the root, startup and the pass in the NPU subgraph
        assertEquals(4, r.passesBeforeFusing());
        assertEquals(4 * 4 * 8, r.nnMacs());
    }

    @Test
    void transposeConvolutionWithoutBiasGetsZeros() {
        OneOperatorGraph g = OneOperatorGraph.of(npuc.graph.BuiltinOperator.TRANSPOSE_CONV,
                        new npuc.graph.BuiltinOptions.TransposeConv(Padding.SAME, 1, 1, npuc.graph.Activation.NONE,
                                npuc.graph.DataType.FLOAT32))
                .constant("shape", npuc.graph.DataType.INT32, null, new long[]{1, 4, 4, 3}, 4)
                .constant("w", npuc.graph.DataType.INT8, OneOperatorGraph.Q, OneOperatorGraph.filled(3 * 9 * 2, 1),
                        3, 3, 3, 2)
                .in("x", npuc.graph.DataType.INT8, OneOperatorGraph.Q, 1, 4, 4, 2)
                .out("y", npuc.graph.DataType.INT8, OneOperatorGraph.Q, 1, 4, 4, 3);
        FrontEndResult r = run(g.build());
        FrontEndResult.OperationInfo op = npuOp(r, OpType.Conv2DBackpropInputSwitchedBias);
        assertEquals(List.of(3), op.bias().shape());
        assertEquals(op.bias(), op.inputs().get(3));
    }

    @Test
    void splitIntoOnePartIsRemoved() {
        ModelBuilder b = ModelBuilder.int8("s").input(1, 4, 4, 8).conv2d(8, 1, 1).split(3, 1);
        FrontEndResult r = run(b.from(b.nodes().get(0)).conv2d(4, 1, 1).output());
        assertEquals(List.of(OpType.Conv2DBias, OpType.Conv2DBias), npuTypes(r));
    }

    @Test
    void convolutionsWithoutBiasGetAZeroBias() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 1).resizeNearestNeighbor(7, 7)
                .resizeOptions(true, false).output());
        FrontEndResult.OperationInfo dw = npuOp(r, OpType.DepthwiseConv2DBias);
        assertEquals(List.of(1), dw.bias().shape());
        assertEquals(0, dw.bias().values().get(0));
    }

    @Test
    void fullyConnectedOverABatchReadsTheRowsAsAnImage() {
        FrontEndResult r = run(ModelBuilder.int8("b").input(4, 16).fullyConnected(8).output());
        FrontEndResult.OperationInfo fc = npuOp(r, OpType.FullyConnected);
        // four rows of 16 inputs: a 2x2 image of depth 16, a 1x1 kernel producing a 2x2 image of depth 8
        assertEquals(new Shape4(1, 2, 2, 16), fc.ifmShapes().get(0));
        assertEquals(new Shape4(1, 2, 2, 8), fc.ofmShapes().get(0));
        assertEquals(List.of(1, 1, 16, 8), fc.weights().shape());
        assertEquals(4L * 16 * 8, r.nnMacs());
    }
}
