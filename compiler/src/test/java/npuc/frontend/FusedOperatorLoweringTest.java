package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static npuc.frontend.LoweringAssertions.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.Activation;
import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Padding;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.ModelBuilder;

/** Multi-operator patterns collapsed into one NPU operation, dilation, and squared difference. */
class FusedOperatorLoweringTest {

    @Test
    void dequantizeExpQuantizeIsOneQuantizedExpTable() {
        FrontEndResult r = run(ModelBuilder.int8("e").input(1, 4, 4, 8).dequantize().exp()
                .quantize(DataType.INT8, 0.1f, -128).output());
        assertEquals(List.of(OpType.Add), npuTypes(r));
        FrontEndResult.OperationInfo lut = r.npuOperators().get(0);
        assertEquals("exp_lut_exp", lut.name());
        assertEquals(DataType.INT8, lut.ifm().type());
        assertEquals("quantize", lut.ofm().name());
        assertTrue(r.cpuOperators().isEmpty());
    }

    @Test
    void groupedConvolutionIsASplitConvolutionsPerGroupAndAConcatenation() {
        FrontEndResult r = run(ModelBuilder.int8("g").input(1, 4, 4, 8).conv2d(6, 1, 1).groups(2).output());
        assertEquals(2, r.npuOperators().stream().filter(o -> o.type() == OpType.Conv2DBias).count());
        FrontEndResult.OperationInfo second = npuOp(r, "conv2d_cg1");
        assertEquals(new Shape4(0, 0, 0, 4), second.ifmReadOffset());
        assertEquals(List.of(1, 1, 4, 3), second.weights().shape());
        assertEquals(new Shape4(0, 0, 0, 3), npuOp(r, "conv2d_concat1_avgpool").writeOffset());
        assertTrue(npuTypes(r).contains(OpType.Add));
        // each group: 4 input channels for 3 outputs per pixel; then the copies into the joined output
        assertEquals(2L * 4 * 3 * 16 + 2 * 16 * 3, r.nnMacs());
        assertEquals(2 * 4 * 3, r.totalOriginalWeights());
    }

    @Test
    void argMaxIsAShiftingConvolutionAMaxOverChannelsAndACast() {
        FrontEndResult r = run(ModelBuilder.int8("a").input(1, 4, 4, 8).argMax(DataType.INT32).output());
        assertEquals(sorted(OpType.DepthwiseConv2DBias, OpType.MaxPool, OpType.DepthwiseConv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo shift = npuOp(r, "arg_max_depthwise_conv_SHL_7");
        assertEquals(128, shift.weights().values().get(0));
        assertEquals(List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L),
                java.util.Arrays.stream(shift.bias().values().toLongArray()).boxed().toList());
        FrontEndResult.OperationInfo max = npuOp(r, "dw_maxpool_0");
        assertEquals(new Shape4(1, 16, 8, 1), max.ifmShapes().get(0));
        assertEquals(8, max.kernel().width());
        assertEquals(512, max.activation().lut().size());
        FrontEndResult.OperationInfo cast = npuOp(r, "arg_max_cast_to_32bit_1");
        assertEquals(DataType.INT32, cast.ofm().type());
        assertEquals(List.of(1, 4, 4, 1), cast.ofm().shape());
        // the shift and the cast read every element once; the max reads 8 channels for each of 16 pixels
        assertEquals(4 * 4 * 8 + 8 * 16 + 16, r.nnMacs());
    }

    @Test
    void int64ArgMaxIsWrittenAsTwoInt32HalvesThroughCopies() {
        FrontEndResult r = run(ModelBuilder.int8("a").input(1, 4, 4, 8).argMax(DataType.INT64).output());
        assertEquals(2, r.npuOperators().stream().filter(o -> o.type() == OpType.Memcpy).count());
        assertEquals(3, r.npuOperators().stream().filter(o -> o.type() == OpType.DepthwiseConv2DBias).count());
    }

    @Test
    void dilationAboveTwoIsBuiltIntoTheKernel() {
        FrontEndResult r = run(ModelBuilder.int8("d").input(1, 16, 16, 2).conv2d(4, 3, 3).dilation(3, 4)
                .output());
        FrontEndResult.OperationInfo conv = npuOp(r, OpType.Conv2DBias);
        // height 3 is odd: taps 3 apart, no hardware dilation; width 4 is even: taps 2 apart, hardware dilation 2
        assertEquals(List.of(7, 5, 2, 4), conv.weights().shape());
        assertEquals(1, conv.kernel().dilationY());
        assertEquals(2, conv.kernel().dilationX());
        assertEquals(0, conv.weights().values().get((1L * 5 + 0) * 8));
        assertEquals(7L * 5 * 2 * 16 * 16 * 4, r.nnMacs());
    }

    @Test
    void squaredDifferenceIsWidenedScaledSubtractedAndSquared() {
        ModelBuilder b = ModelBuilder.int8("sd").input(1, 4, 4, 8);
        ModelBuilder.Node x = b.node();
        b.input(1, 4, 4, 8);
        FrontEndResult r = run(b.squaredDifference(x, b.node()).output());
        assertEquals(sorted(OpType.DepthwiseConv2DBias, OpType.DepthwiseConv2DBias, OpType.Mul, OpType.Mul,
                OpType.Sub, OpType.Mul, OpType.Mul), npuTypes(r));
        FrontEndResult.OperationInfo last = npuOp(r, "squared_difference");
        assertEquals(OpType.Mul, last.type());
        // intermediate tensors are named after the first input
        assertEquals("input_squared_raw", last.ifm().name());
        assertEquals(DataType.INT32, npuOp(r, "squared_difference_raw_diff").ofm().type());
        // the two casts are 1x1 depthwise convolutions with one unit weight per channel
        assertEquals(2 * 4 * 4 * 8, r.nnMacs());
        assertEquals(2 * 8, r.totalOriginalWeights());
    }

    @Test
    void spaceToBatchConvolutionBatchToSpaceIsADilatedConvolution() {
        FrontEndResult r = run(dilatedByBatching());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo conv = r.npuOperators().get(0);
        assertEquals(2, conv.kernel().dilationX());
        assertEquals(2, conv.kernel().dilationY());
        assertEquals(PaddingKind.SAME, conv.padding());
        assertEquals(new Shape4(1, 8, 8, 4), conv.ifmShapes().get(0));
        assertEquals(new Shape4(1, 8, 8, 4), conv.ofmShapes().get(0));
        assertEquals(List.of(2, 2, 2, 2), conv.explicitPadding());
        assertTrue(r.cpuOperators().isEmpty());
    }

    /** x [1,8,8,4] -> SPACE_TO_BATCH_ND(block 2, pad 2) -> CONV_2D 3x3 VALID -> BATCH_TO_SPACE_ND(block 2) -> y. */
    private static Graph dilatedByBatching() {
        List<Tensor> tensors = new ArrayList<>();
        List<Buffer> buffers = new ArrayList<>(List.of(Buffer.EMPTY));
        Quantization q = Quantization.perTensor(0.05f, 0);
        int x = add(tensors, buffers, "x", DataType.INT8, q, null, 1, 8, 8, 4);
        int block = add(tensors, buffers, "block", DataType.INT32, null, ints(2, 2), 2);
        int pads = add(tensors, buffers, "pads", DataType.INT32, null, ints(2, 2, 2, 2), 2, 2);
        int batched = add(tensors, buffers, "batched", DataType.INT8, q, null, 4, 6, 6, 4);
        byte[] w = new byte[4 * 3 * 3 * 4];
        java.util.Arrays.fill(w, (byte) 1);
        int weights = add(tensors, buffers, "w", DataType.INT8, q, w, 4, 3, 3, 4);
        int bias = add(tensors, buffers, "b", DataType.INT32, Quantization.perTensor(0.0025f, 0), ints(0, 0, 0, 0), 4);
        int convOut = add(tensors, buffers, "conv", DataType.INT8, q, null, 4, 4, 4, 4);
        int crops = add(tensors, buffers, "crops", DataType.INT32, null, ints(0, 0, 0, 0), 2, 2);
        int y = add(tensors, buffers, "y", DataType.INT8, q, null, 1, 8, 8, 4);
        List<Operator> ops = List.of(
                new Operator(0, List.of(x, block, pads), List.of(batched), List.of(), new BuiltinOptions.SpaceToBatchND(),
                        null, List.of()),
                new Operator(1, List.of(batched, weights, bias), List.of(convOut), List.of(),
                        new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1), null, List.of()),
                new Operator(2, List.of(convOut, block, crops), List.of(y), List.of(),
                        new BuiltinOptions.BatchToSpaceND(), null, List.of()));
        List<OperatorCode> codes = List.of(new OperatorCode(BuiltinOperator.SPACE_TO_BATCH_ND.code(), null, 1),
                new OperatorCode(BuiltinOperator.CONV_2D.code(), null, 3),
                new OperatorCode(BuiltinOperator.BATCH_TO_SPACE_ND.code(), null, 1));
        Subgraph sg = new Subgraph("main", tensors, List.of(x), List.of(y), ops);
        return new Graph(3, "dilated", codes, List.of(sg), buffers, List.of(), List.of());
    }

    private static byte[] ints(int... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        return b.array();
    }

    private static int add(List<Tensor> tensors, List<Buffer> buffers, String name, DataType type, Quantization q,
                           byte[] data, int... shape) {
        int buffer = 0;
        if (data != null) {
            buffers.add(new Buffer(ConstantData.copyOf(data)));
            buffer = buffers.size() - 1;
        }
        tensors.add(new Tensor(name, java.util.Arrays.stream(shape).boxed().toList(), null, type, buffer, q, false,
                true));
        return tensors.size() - 1;
    }
}
