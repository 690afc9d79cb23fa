package npuc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.arch.Accelerator;
import npuc.graph.Padding;
import npuc.report.TextSummary;
import npuc.tflite.ModelBuilder;

/** Each rewrite of the front end on a model built for it: the operations it yields, their shapes and MACs. */
class FrontEndRewritesTest {

    private static FrontEndResult run(ModelBuilder b) {
        return FrontEnd.run(b.build(), Accelerator.ETHOS_U55_128, false);
    }

    private static List<OpType> npuTypes(FrontEndResult r) {
        return r.npuOperators().stream().map(FrontEndResult.OperationInfo::type).toList();
    }

    @Test
    void fullyConnectedChainIsOnePassPerLayer() {
        FrontEndResult r = run(ModelBuilder.int8("fc").input(1, 4).fullyConnected(8).fullyConnected(2).output());
        assertEquals(List.of(OpType.FullyConnected, OpType.FullyConnected), npuTypes(r));
        assertEquals(4 * 8 + 8 * 2, r.nnMacs());
        assertEquals(4 * 8 + 8 * 2, r.totalOriginalWeights());
        // startup + call in the root; startup + two passes in the NPU subgraph
        assertEquals(5, r.passesBeforeFusing());
        assertEquals(2, r.passesAfterFusing());
    }

    @Test
    void eightBitSoftmaxBecomesThirtyOneOperations() {
        FrontEndResult r = run(ModelBuilder.int8("sm").input(1, 10).softmax().output());
        assertEquals(31, r.npuOperators().size());
        assertEquals(OpType.MaxPool, r.npuOperators().get(0).type());
        assertEquals(OpType.SHR, r.npuOperators().get(30).type());
        assertTrue(npuTypes(r).contains(OpType.ReduceSum));
        assertTrue(npuTypes(r).contains(OpType.CLZ));
        // the max and the sum each read every element once
        assertEquals(2 * 10, r.nnMacs());
        FrontEndResult.OperationInfo sub = r.npuOperators().get(1);
        assertEquals(OpType.Sub, sub.type());
        assertEquals(OpType.Lut, sub.activation().type());
        assertEquals(256, sub.activation().lut().size());
    }

    @Test
    void int16SoftmaxBecomesFourteenOperationsWithInterpolatedTables() {
        FrontEndResult r = run(ModelBuilder.int8("sm16").input(1, 10).quantize(npuc.graph.DataType.INT16, 0.001f, 0)
                .softmax().output());
        // the QUANTIZE's AvgPool and the softmax's 14 operations
        assertEquals(15, r.npuOperators().size());
        assertEquals(List.of(OpType.MaxPool, OpType.Sub, OpType.Mul, OpType.Add, OpType.ReduceSum, OpType.CLZ,
                OpType.Sub, OpType.SHL, OpType.Sub, OpType.SHL, OpType.SHR, OpType.Sub, OpType.Mul, OpType.SHR),
                npuTypes(r).subList(1, 15));
        FrontEndResult.OperationInfo exp = r.npuOperators().get(4);
        assertEquals("softmax_add3", exp.name());
        ConstArray table = exp.activation().lut();
        assertEquals(512, table.size());
        // the last step starts at exp(-10/512) in Q15, and rises to 1.0
        long last = table.get(511);
        assertEquals(Math.round(Math.exp(-10.0 / 512) * 32768), last & 0xFFFF, 2);
        assertTrue((last >> 16) > 0);
        assertEquals(10 + 2 * 10, r.nnMacs());
    }

    @Test
    void concatenationBecomesAvgPoolWritesAndAnAdd() {
        ModelBuilder b = ModelBuilder.uint8("cat").input(1, 4, 4, 3);
        ModelBuilder.Node x = b.node();
        b.input(1, 4, 4, 5);
        ModelBuilder.Node y = b.node();
        FrontEndResult r = run(b.concatenation(3, x, y).output());
        assertEquals(List.of(OpType.AvgPool, OpType.AvgPool, OpType.Add), npuTypes(r));
        FrontEndResult.OperationInfo second = r.npuOperators().get(1);
        assertEquals(new Shape4(0, 0, 0, 3), second.writeOffset());
        assertEquals(new Shape4(1, 4, 4, 5), second.writeShape());
        assertEquals(4 * 4 * 3 + 4 * 4 * 5, r.nnMacs());
    }

    @Test
    void reshapeOfGraphInputIsMemcpyAndReshapeAfterNpuOpIsBypassed() {
        FrontEndResult copied = run(ModelBuilder.int8("rs").input(1, 16).reshape(1, 4, 4, 1).conv2d(2, 1, 1)
                .output());
        assertEquals(OpType.Memcpy, copied.npuOperators().get(0).type());
        FrontEndResult bypassed = run(ModelBuilder.int8("rs2").input(1, 4, 4, 2).conv2d(4, 1, 1).reshape(1, 64)
                .fullyConnected(3).output());
        assertEquals(List.of(OpType.Conv2DBias, OpType.FullyConnected), npuTypes(bypassed));
    }

    @Test
    void meanBecomesDepthwiseSumAndMul() {
        FrontEndResult r = run(ModelBuilder.int8("mean").input(1, 5, 5, 8).mean(1, 2).output());
        assertEquals(List.of(OpType.DepthwiseConv2DBias, OpType.Mul), npuTypes(r));
        assertEquals(5 * 5 * 8, r.nnMacs());
        assertEquals(5 * 5 * 8, r.totalOriginalWeights());
    }

    @Test
    void depthMultiplierOnSingleChannelBecomesConvolution() {
        FrontEndResult r = run(ModelBuilder.int8("dm").input(1, 6, 6, 1).depthwiseConv2d(3, 3).depthMultiplier(4)
                .padding(Padding.SAME).conv2d(2, 1, 1).output());
        assertEquals(OpType.Conv2DBias, r.npuOperators().get(0).type());
        FrontEndResult.TensorInfo w = r.npuOperators().get(0).weights();
        assertEquals(List.of(3, 3, 1, 4), w.shape());
    }

    @Test
    void firstStridedConvolutionFoldsWidthIntoDepth() {
        FrontEndResult r = run(ModelBuilder.int8("first").input(1, 16, 16, 3).conv2d(8, 3, 3).stride(2, 2)
                .padding(Padding.SAME).output());
        FrontEndResult.OperationInfo conv = r.npuOperators().get(0);
        assertEquals(new Shape4(1, 16, 8, 6), conv.ifmShapes().get(0));
        assertEquals(List.of(3, 2, 6, 8), conv.weights().shape());
        assertEquals(1, conv.kernel().strideX());
        // 3x2 kernel over depth 6 for each of 8x8x8 outputs
        assertEquals(3L * 2 * 6 * 8 * 8 * 8, r.nnMacs());
        assertEquals(3L * 4 * 3 * 8, r.totalOriginalWeights());
    }

    @Test
    void pointwiseConvolutionOnOnePixelBecomesFullyConnected() {
        FrontEndResult r = run(ModelBuilder.int8("fcconv").input(1, 4, 4, 8).globalAveragePool().conv2d(5, 1, 1)
                .output());
        assertEquals(List.of(OpType.AvgPool, OpType.FullyConnected), npuTypes(r));
        assertTrue(r.npuOperators().get(1).name().endsWith("_fc"));
        assertEquals(4 * 4 * 8 + 8 * 5, r.nnMacs());
    }

    @Test
    void operatorLinesUsePythonPercentFormat() {
        assertEquals("CPU operators = 9 (60.0%)", TextSummary.operatorLine("CPU", 9, 15));
        assertEquals("NPU operators = 0 (0.0%)", TextSummary.operatorLine("NPU", 0, 0));
        assertEquals("NPU operators = 2 (66.7%)", TextSummary.operatorLine("NPU", 2, 3));
        assertEquals("CPU operators = 1 (100.0%)", TextSummary.operatorLine("CPU", 1, 1));
    }
}
