package npuc.frontend;

import static npuc.frontend.OneOperatorGraph.Q;
import static npuc.frontend.OneOperatorGraph.filled;
import static npuc.frontend.OneOperatorGraph.perAxis;
import static npuc.frontend.OneOperatorGraph.values;
import static npuc.graph.DataType.FLOAT32;
import static npuc.graph.DataType.INT16;
import static npuc.graph.DataType.INT32;
import static npuc.graph.DataType.INT64;
import static npuc.graph.DataType.INT8;
import static npuc.graph.DataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import npuc.frontend.OperatorPlacement.Reason;
import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Padding;
import npuc.graph.Quantization;

/** One case per supported-operator constraint: the verdict and the exact lines Vela prints. */
class SupportedOperatorsTest {

    private static void assertFails(OneOperatorGraph g, String typeAndName, String description, String extra) {
        List<String> expected = new ArrayList<>();
        expected.add("Warning: " + typeAndName + " is not supported on the NPU. Placing on CPU instead");
        expected.addAll(List.of((" - " + description).split("\n")));
        if (!extra.isEmpty()) {
            expected.addAll(List.of(("   " + extra).split("\n")));
        }
        assertEquals(new OperatorPlacement(false, Reason.UNSUPPORTED, expected), g.supported());
    }

    private static void assertPasses(OneOperatorGraph g) {
        assertEquals(new OperatorPlacement(true, Reason.SUPPORTED, List.of()), g.supported());
    }

    private static OneOperatorGraph relu(DataType type, Quantization q, int... shape) {
        return OneOperatorGraph.of(BuiltinOperator.RELU, null).in("x", type, q, shape).out("y", type, q, shape);
    }

    private static OneOperatorGraph conv(BuiltinOptions.Conv2D options, int[] in, DataType wType, long[] w,
                                         int[] wShape, int[] out) {
        return OneOperatorGraph.of(BuiltinOperator.CONV_2D, options).in("x", INT8, Q, in)
                .constant("w", wType, Q, w, wShape).constant("b", INT32, Q, filled(wShape[0], 0), wShape[0])
                .out("y", INT8, Q, out);
    }

    private static BuiltinOptions.Conv2D conv(int strideW, int strideH, int dilationW, int dilationH) {
        return new BuiltinOptions.Conv2D(Padding.VALID, strideW, strideH, Activation.NONE, dilationW, dilationH);
    }

    // ---------------------------------------------------------------------------------------------------
    // Types and generic constraints

    @Test
    void cpuOnlyTypesArePlacedOnTheCpuWithAnInfoLine() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SVDF, null).in("x", INT8, Q, 1, 4)
                .out("", INT8, Q, 1, 4);
        assertEquals(new OperatorPlacement(false, Reason.CPU_ONLY, List.of("Info: SVDF '' is a CPU only op")),
                g.supported());
    }

    @Test
    void gatedLinearUnitsRunOnTheNpu() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.GELU, new BuiltinOptions.Gelu(false))
                .in("x", INT8, Q, 1, 4).out("y", INT8, Q, 1, 4);
        assertPasses(g);
    }

    @Test
    void tensorTypes() {
        assertFails(relu(FLOAT32, null, 1, 4), "RELU 'y'", "Tensors must be of type: int16, int32, int8, uint8",
                "Tensor 'x' has data type: float32, Tensor 'y' has data type: float32");
    }

    @Test
    void int32TensorsOnlyForSomeTypes() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.QUANTIZE, new BuiltinOptions.Quantize())
                .in("", INT16, Q, 1, 4).out("", INT32, Q, 1, 4);
        assertFails(g, "QUANTIZE ''",
                "Tensors which are int32 are only valid when op type is: ADD, ARG_MAX, MUL, SHAPE, SUB, TRANSPOSE",
                "Op has int32 tensor(s): ");
    }

    @Test
    void tensorDimensions() {
        assertFails(relu(INT8, Q, 1, 70000), "RELU 'y'", "Tensor dimensions must be in the range [1, 65535]",
                "Tensor 'x' has shape: [1, 70000], Tensor 'y' has shape: [1, 70000]");
    }

    @Test
    void perAxisQuantizationOnlyForConvolutions() {
        assertFails(relu(INT8, perAxis(2), 1, 2), "RELU 'y'",
                "Per-axis quantization is only supported for the following op types: CONV_2D, DEPTHWISE_CONV_2D, "
                        + "TRANSPOSE_CONV",
                "The following tensor(s) have per-axis quantization parameters: x, y");
    }

    @Test
    void batchSizeOne() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.ADD, new BuiltinOptions.Add(Activation.NONE, false))
                .in("a", INT8, Q, 2, 4, 4, 1).in("b", INT8, Q, 2, 4, 4, 1).out("y", INT8, Q, 2, 4, 4, 1);
        assertFails(g, "ADD 'y'", "IFM Tensor batch size must be 1",
                "Tensor 'a' has batch size: 2\n   Tensor 'b' has batch size: 2");
        // Shapes under 4-D are padded with leading 1s; SOFTMAX is exempt.
        assertPasses(relu(INT8, Q, 2, 4, 4));
        assertPasses(OneOperatorGraph.of(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f))
                .in("x", INT8, Q, 2, 1, 1, 4).out("y", INT8, Q, 2, 1, 1, 4));
    }

    private static OneOperatorGraph add(Activation activation, DataType type) {
        return OneOperatorGraph.of(BuiltinOperator.ADD, new BuiltinOptions.Add(activation, false))
                .in("a", type, Q, 1, 4).in("b", type, Q, 1, 4).out("y", type, Q, 1, 4);
    }

    @Test
    void fusedActivations() {
        assertFails(add(Activation.SIGN_BIT, INT8), "ADD 'y'",
                "The fused activation function (if present) must be one of type: LOGISTIC, RELU, RELU6, "
                        + "RELU_N1_TO_1, TANH",
                "Op has its fused activation function as: SignBit");
        assertPasses(add(Activation.RELU6, INT8));
    }

    @Test
    void fusedActivationOutputTypes() {
        assertFails(add(Activation.RELU, INT32), "ADD 'y'",
                "If a fused activation function is present, the Output tensor must be one of type: int16, int8, uint8",
                "Op has fused activation function RELU, and Output tensor data type: int32");
    }

    @Test
    void transposeConvolutionIgnoresItsActivationField() {
        // Vela does not read TransposeConvOptions' activation, so even SIGN_BIT passes.
        OneOperatorGraph g = TransposeConvGraphs.transposeConv(Padding.SAME, 2, 2, Activation.SIGN_BIT,
                new int[] {1, 2, 2, 1}, 3, 3, new int[] {1, 4, 4, 1});
        assertPasses(g);
    }

    // ---------------------------------------------------------------------------------------------------
    // Convolutions

    @Test
    void convolutionStrides() {
        String description = """
                Strides must fulfil the following criteria:
                        - Stride h must be between 1 and 3 when ofm height is greater than 1
                        - Stride w must be between 1 and 3 when ofm height is greater than 1 or
                          stride w must be divisible by 2 or 3 and ifm width must be divisible
                          by stride_w/2 or stride_w/3""";
        OneOperatorGraph wide = conv(conv(5, 1, 1, 1), new int[] {1, 12, 12, 1}, INT8, filled(1, 1),
                new int[] {1, 1, 1, 1}, new int[] {1, 12, 3, 1});
        assertFails(wide, "CONV_2D 'y'", description,
                "Op has stride WxH as: 5x1, ifm shape as: [1, 12, 12, 1], ofm shape as: [1, 12, 3, 1]");
        // Width 10 and stride 4: resized by 2, stride 2 remains.
        assertPasses(conv(conv(4, 1, 1, 1), new int[] {1, 10, 10, 1}, INT8, filled(1, 1), new int[] {1, 1, 1, 1},
                new int[] {1, 10, 3, 1}));
        OneOperatorGraph tall = conv(conv(1, 4, 1, 1), new int[] {1, 12, 12, 1}, INT8, filled(1, 1),
                new int[] {1, 1, 1, 1}, new int[] {1, 3, 12, 1});
        assertFails(tall, "CONV_2D 'y'", description,
                "Op has stride WxH as: 1x4, ifm shape as: [1, 12, 12, 1], ofm shape as: [1, 3, 12, 1]");
    }

    @Test
    void dilatedKernelHeight() {
        OneOperatorGraph g = conv(conv(1, 1, 1, 40), new int[] {1, 100, 8, 1}, INT8, filled(3, 1),
                new int[] {1, 3, 1, 1}, new int[] {1, 20, 8, 1});
        assertFails(g, "CONV_2D 'y'", "Dilated kernel height must be in the range [1, 64]",
                "Op has dilated kernel height as: 81");
    }

    @Test
    void dilatedKernelProduct() {
        OneOperatorGraph g = conv(conv(1, 1, 1, 1), new int[] {1, 64, 65, 1}, INT8, filled(64 * 65, 1),
                new int[] {1, 64, 65, 1}, new int[] {1, 1, 1, 1});
        assertFails(g, "CONV_2D 'y'", "Product of dilated kernel width and height must be in the range [1, 4096]",
                "Op has product of dilated kernel width and height as: 4160");
    }

    @Test
    void weightsAre8Bit() {
        OneOperatorGraph g = conv(conv(1, 1, 1, 1), new int[] {1, 4, 4, 1}, INT16, filled(1, 1),
                new int[] {1, 1, 1, 1}, new int[] {1, 4, 4, 1});
        assertFails(g, "CONV_2D 'y'", "Weight tensor must be 8-bit", "Tensor 'w_reshape' is 16-bit");
    }

    @Test
    void weightsAreConstant() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.FULLY_CONNECTED,
                        new BuiltinOptions.FullyConnected(Activation.NONE, 0, false, false))
                .in("x", INT8, Q, 1, 4).in("w", INT8, Q, 3, 4).out("y", INT8, Q, 1, 3);
        assertFails(g, "FULLY_CONNECTED 'y'", "Weight tensor must be constant", "Tensor 'w' has non-constant values");
    }

    @Test
    void weightSumLimit() {
        // uint8 weights of 255 with zero point 0: 32641 of them sum to 8323455.
        Quantization zeroPoint0 = Quantization.perTensor(0.01f, 0);
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, conv(1, 1, 1, 1))
                .in("x", UINT8, Q, 1, 1, 1, 32641).constant("w", UINT8, zeroPoint0, filled(32641, 255), 1, 1, 1, 32641)
                .out("y", UINT8, Q, 1, 1, 1, 1);
        assertFails(g, "CONV_2D 'y'", "The sum of the weights cannot exceed 8323072",
                "Tensor 'w_reshape' has the sum of weights: 8323455");
    }

    @Test
    void biasIs1D() {
        // A constant bias is flattened by Vela's reader; only a computed one can be 2-D.
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, conv(1, 1, 1, 1))
                .in("x", INT8, Q, 1, 4, 4, 1).constant("w", INT8, Q, filled(1, 1), 1, 1, 1, 1)
                .in("b", INT32, Q, 1, 1).out("y", INT8, Q, 1, 4, 4, 1);
        assertFails(g, "CONV_2D 'y'", "Optional Bias tensor must be of shape: 1D", "Tensor 'b' has shape: [1, 1]");
        OneOperatorGraph constant2D = OneOperatorGraph.of(BuiltinOperator.CONV_2D, conv(1, 1, 1, 1))
                .in("x", INT8, Q, 1, 4, 4, 1).constant("w", INT8, Q, filled(1, 1), 1, 1, 1, 1)
                .constant("b", INT32, Q, filled(1, 0), 1, 1).out("y", INT8, Q, 1, 4, 4, 1);
        assertPasses(constant2D);
    }

    @Test
    void biasTypes() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, conv(1, 1, 1, 1))
                .in("x", INT8, Q, 1, 4, 4, 1).constant("w", INT8, Q, filled(1, 1), 1, 1, 1, 1)
                .constant("b", INT16, Q, filled(1, 0), 1).out("y", INT8, Q, 1, 4, 4, 1);
        assertFails(g, "CONV_2D 'y'", "Optional Bias tensor must be of type: int32, int64",
                "Tensor 'b_reshape' has data type: int16");
    }

    @Test
    void int64BiasFitsIn40Bits() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, conv(1, 1, 1, 1))
                .in("x", INT16, Q, 1, 4, 4, 1).constant("w", INT8, Q, filled(1, 1), 1, 1, 1, 1)
                .constant("b", INT64, Q, values(1L << 40), 1).out("y", INT16, Q, 1, 4, 4, 1);
        assertFails(g, "CONV_2D 'y'", "Optional Bias tensor values must fit within 40-bits",
                "Tensor 'b_reshape' has values larger than 40-bits");
    }

    @Test
    void fortyBitsCountPythonsBinaryDigits() {
        assertTrue(SupportedOperators.binaryDigitsFit40((1L << 40) - 1));
        assertFalse(SupportedOperators.binaryDigitsFit40(1L << 40));
        // bin(-v) keeps a "b" after dropping "-0": a minus sign costs one digit.
        assertTrue(SupportedOperators.binaryDigitsFit40(-(1L << 39) + 1));
        assertFalse(SupportedOperators.binaryDigitsFit40(-(1L << 39)));
        assertFalse(SupportedOperators.binaryDigitsFit40(Long.MIN_VALUE));
    }

    @Test
    void transposeConvolutionStrides() {
        OneOperatorGraph g = TransposeConvGraphs.transposeConv(Padding.SAME, 2, 1, Activation.NONE,
                new int[] {1, 1, 8, 1}, 3, 3, new int[] {1, 1, 16, 1});
        assertFails(g, "TRANSPOSE_CONV 'y'", """
                        Stride values for width and height must match one of the following criteria:
                                Stride values WxH must be 1x1 or 2x2
                                Stride WxH 2x1 supported if ifm height and kernel height = 1""",
                "Op has ifm_height=1, kernel_height=3 and stride WxH as 2x1");
        assertPasses(TransposeConvGraphs.transposeConv(Padding.SAME, 2, 1, Activation.NONE,
                new int[] {1, 1, 8, 1}, 3, 1, new int[] {1, 1, 16, 1}));
    }

    @Test
    void transposeConvolutionSamePadding() {
        OneOperatorGraph g = TransposeConvGraphs.transposeConv(Padding.SAME, 2, 2, Activation.NONE,
                new int[] {1, 2, 2, 1}, 3, 3, new int[] {1, 5, 5, 1});
        assertFails(g, "TRANSPOSE_CONV 'y'", "SAME padding: OFM dimensions must equal IFM dimensions multiplied by stride",
                "Op has ifm_shape=[1, 2, 2, 1], ofm_shape=[1, 5, 5, 1] and stride WxH as 2x2");
    }

    @Test
    void transposeConvolutionValidPadding() {
        OneOperatorGraph g = TransposeConvGraphs.transposeConv(Padding.VALID, 2, 2, Activation.NONE,
                new int[] {1, 2, 2, 1}, 3, 3, new int[] {1, 4, 4, 1});
        assertFails(g, "TRANSPOSE_CONV 'y'", """
                        VALID padding: OFM dimensions must equal IFM dimensions multiplied by stride,
                                minus difference between kernel size and stride""",
                "Op has ifm_shape=[1, 2, 2, 1], ofm_shape=[1, 4, 4, 1], stride WxH as 2x2 and kernel WxH as 3x3");
        assertPasses(TransposeConvGraphs.transposeConv(Padding.VALID, 2, 2, Activation.NONE,
                new int[] {1, 2, 2, 1}, 3, 3, new int[] {1, 5, 5, 1}));
    }

    private static OneOperatorGraph depthwise(int stride, int multiplier, int inChannels, int outChannels) {
        return OneOperatorGraph.of(BuiltinOperator.DEPTHWISE_CONV_2D,
                        new BuiltinOptions.DepthwiseConv2D(Padding.SAME, stride, stride, multiplier, Activation.NONE, 1, 1))
                .in("x", INT8, Q, 1, 8, 8, inChannels)
                .constant("w", INT8, Q, filled(9 * outChannels, 1), 1, 3, 3, outChannels)
                .out("y", INT8, Q, 1, 8, 8, outChannels);
    }

    @Test
    void depthwiseStrides() {
        assertFails(depthwise(4, 1, 2, 2), "DEPTHWISE_CONV_2D 'y'",
                "Stride values for both width and height must be between 1 and 3", "Op has stride WxH as: 4x4");
    }

    @Test
    void depthMultiplier() {
        assertFails(depthwise(1, 2, 2, 4), "DEPTHWISE_CONV_2D 'y'",
                "For depth multipliers > 1, IFM channels must be 1 and OFM channels must be equal to the depth multiplier",
                "Op has ifm_channels=2, ofm_channels=4 and depth_multiplier=2");
        assertPasses(depthwise(1, 4, 1, 4));
        // A multiplier of 0 means weight channels / ifm channels.
        assertFails(depthwise(1, 0, 2, 4), "DEPTHWISE_CONV_2D 'y'",
                "For depth multipliers > 1, IFM channels must be 1 and OFM channels must be equal to the depth multiplier",
                "Op has ifm_channels=2, ofm_channels=4 and depth_multiplier=2");
    }

    // ---------------------------------------------------------------------------------------------------
    // Pools

    private static OneOperatorGraph pool(BuiltinOperator type, Padding padding, int strideW, int strideH,
                                         int filterW, int filterH, int[] in, int[] out) {
        return OneOperatorGraph.of(type, new BuiltinOptions.Pool2D(padding, strideW, strideH, filterW, filterH,
                Activation.NONE)).in("x", INT8, Q, in).out("y", INT8, Q, out);
    }

    @Test
    void maxPoolStrides() {
        assertFails(pool(BuiltinOperator.MAX_POOL_2D, Padding.VALID, 4, 1, 4, 1, new int[] {1, 8, 8, 1},
                new int[] {1, 8, 2, 1}), "MAX_POOL_2D 'y'",
                "Stride values for both width and height must be in the range [1, 3]", "Op has stride WxH as: 4x1");
    }

    @Test
    void maxPoolFilterHeight() {
        assertFails(pool(BuiltinOperator.MAX_POOL_2D, Padding.SAME, 1, 1, 1, 300, new int[] {1, 300, 8, 1},
                new int[] {1, 300, 8, 1}), "MAX_POOL_2D 'y'", "Kernel filter height must be in the range [1, 256]",
                "Op has kernel filter height as: 300");
    }

    @Test
    void maxPoolFilterProduct() {
        assertFails(pool(BuiltinOperator.MAX_POOL_2D, Padding.VALID, 1, 1, 257, 256, new int[] {1, 256, 257, 1},
                new int[] {1, 1, 1, 1}), "MAX_POOL_2D 'y'",
                "Product of kernel filter width and height must be in the range [1, 65536]",
                "Op has product of kernel filter width and height as: 65792");
    }

    @Test
    void averagePoolWideStridesNeedValidPadding() {
        assertFails(pool(BuiltinOperator.AVERAGE_POOL_2D, Padding.SAME, 4, 1, 4, 1, new int[] {1, 8, 8, 1},
                new int[] {1, 8, 2, 1}), "AVERAGE_POOL_2D 'y'", """
                        Stride width must be greater than or equal to 1.
                                For stride width greater than 3, valid padding needs to be used.""",
                "Op has stride WxH as: 4x1, ifm shape as: [1, 8, 8, 1], ofm shape as: [1, 8, 2, 1], "
                        + "padding: Padding.SAME");
        assertPasses(pool(BuiltinOperator.AVERAGE_POOL_2D, Padding.VALID, 4, 1, 4, 1, new int[] {1, 8, 8, 1},
                new int[] {1, 8, 2, 1}));
    }

    @Test
    void averagePoolSameFilterRange() {
        assertFails(pool(BuiltinOperator.AVERAGE_POOL_2D, Padding.SAME, 1, 1, 9, 2, new int[] {1, 8, 9, 1},
                new int[] {1, 8, 9, 1}), "AVERAGE_POOL_2D 'y'",
                "Kernel filter values for both width and height must be in the range [1, 8]",
                "Op has kernel filter WxH as: 9x2");
        assertPasses(pool(BuiltinOperator.AVERAGE_POOL_2D, Padding.VALID, 1, 1, 9, 2, new int[] {1, 8, 9, 1},
                new int[] {1, 7, 1, 1}));
    }

    @Test
    void averagePoolValidFilterHeight() {
        assertFails(pool(BuiltinOperator.AVERAGE_POOL_2D, Padding.VALID, 1, 1, 1, 257, new int[] {1, 257, 8, 1},
                new int[] {1, 1, 8, 1}), "AVERAGE_POOL_2D 'y'",
                "VALID padding: Kernel filter height must be in the range [1, 256]",
                "Op has kernel filter height as: 257");
    }

    @Test
    void averagePoolValidFilterProduct() {
        assertFails(pool(BuiltinOperator.AVERAGE_POOL_2D, Padding.VALID, 1, 1, 257, 256, new int[] {1, 256, 257, 1},
                new int[] {1, 1, 1, 1}), "AVERAGE_POOL_2D 'y'",
                "VALID padding: Product of kernel filter width and height must be in the range [1, 65536]",
                "Op has product of kernel filter width and height as: 65792");
    }

    // ---------------------------------------------------------------------------------------------------
    // Resize

    private static OneOperatorGraph resize(BuiltinOperator type, boolean alignCorners, boolean halfPixel,
                                           int[] in, long[] size, int[] out) {
        BuiltinOptions options = type == BuiltinOperator.RESIZE_BILINEAR
                ? new BuiltinOptions.ResizeBilinear(alignCorners, halfPixel)
                : new BuiltinOptions.ResizeNearestNeighbor(alignCorners, halfPixel);
        return OneOperatorGraph.of(type, options).in("x", INT8, Q, in).constant("size", INT32, null, size, 2)
                .out("y", INT8, Q, out);
    }

    @Test
    void resizeFactors() {
        String description = """
                The width and height of the IFM and OFM must match one of the following criteria:
                        IFM W and H must both be 1
                        IFM must match OFM
                        W and H scaling must be equal and OFM W-1 and H-1 must be 2x/4x/8x IFM W-1 and H-1, \
                if align_corners is True
                        W and H scaling must be equal and OFM W and H must be 2x/4x/8x IFM W and H, \
                if align_corners is False""";
        assertFails(resize(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, false, false, new int[] {1, 4, 4, 1},
                values(12, 12), new int[] {1, 12, 12, 1}), "RESIZE_NEAREST_NEIGHBOR 'y'", description,
                "Op has ifm_shape=[1, 4, 4, 1], ofm_shape=[1, 12, 12, 1] and align_corners=False");
        assertPasses(resize(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, true, false, new int[] {1, 4, 4, 1},
                values(7, 7), new int[] {1, 7, 7, 1}));
    }

    @Test
    void resizeSizeMatchesOutput() {
        assertFails(resize(BuiltinOperator.RESIZE_BILINEAR, false, false, new int[] {1, 4, 4, 1}, values(8, 9),
                new int[] {1, 8, 8, 1}), "RESIZE_BILINEAR 'y'", "The size tensor must match the output tensor shape",
                "Op has size=8x9 and ofm_shape=[1, 8, 8, 1].");
    }

    @Test
    void resizeAlignCornersAndHalfPixelCentersExclusive() {
        assertFails(resize(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, true, true, new int[] {1, 1, 1, 1},
                values(8, 8), new int[] {1, 8, 8, 1}), "RESIZE_NEAREST_NEIGHBOR 'y'",
                "Both align_corners and half_pixel_centers can't be True",
                "Op has both align_corners and half_pixel_centers set to True.");
    }

    @Test
    void bilinearHalfPixelCentersOnlyDoubles() {
        assertFails(resize(BuiltinOperator.RESIZE_BILINEAR, false, true, new int[] {1, 4, 4, 1}, values(16, 16),
                new int[] {1, 16, 16, 1}), "RESIZE_BILINEAR 'y'", """
                        For half_pixel_centers the width and height of the IFM and OFM must match one of the following \
                        criteria:
                                IFM W and H are both 1
                                OFM W and H is 2x IFM W and H""",
                "Op has ifm_shape=[1, 4, 4, 1], ofm_shape=[1, 16, 16, 1] and half_pixel_centers=True");
    }

    // ---------------------------------------------------------------------------------------------------
    // Elementwise

    @Test
    void minimumQuantizationMatchesOutput() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.MAXIMUM, new BuiltinOptions.MaximumMinimum())
                .in("a", INT8, Q, 1, 4).in("b", INT8, Quantization.perTensor(0.1f, 0), 1, 4).out("y", INT8, Q, 1, 4);
        assertFails(g, "MAXIMUM 'y'", "Both Input quantization parameters must match OFM quantization parameters",
                "Op has tensors with different quantization parameters to the OFM 'y': b");
    }

    @Test
    void broadcastOnlyFromDimensionsOfOne() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.MUL, new BuiltinOptions.Mul(Activation.NONE))
                .in("a", INT8, Q, 1, 2, 3, 4).in("b", INT8, Q, 2, 2, 4).out("y", INT8, Q, 1, 2, 3, 4);
        assertFails(g, "MUL 'y'", "Broadcasting is only allowed for rank indices with dimension 1, from either IFM1 or IFM2",
                "Op has ifm_shape=[1, 2, 3, 4] and ifm2_shape=[2, 2, 4]");
        assertPasses(OneOperatorGraph.of(BuiltinOperator.MUL, new BuiltinOptions.Mul(Activation.NONE))
                .in("a", INT8, Q, 1, 2, 3, 4).in("b", INT8, Q, 3, 1).out("y", INT8, Q, 1, 2, 3, 4));
    }

    @Test
    void rsqrtInputIsInt8() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.RSQRT, null).in("x", INT16, Q, 1, 4)
                .out("y", INT16, Q, 1, 4);
        assertFails(g, "RSQRT 'y'", "IFM must be int8", "Op has ifm_dtype=int16");
    }

    // ---------------------------------------------------------------------------------------------------
    // Memory and shape operators

    @Test
    void stridedSliceStridesOne() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.STRIDED_SLICE,
                        new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false))
                .in("x", INT8, Q, 1, 8).constant("begin", INT32, null, values(0, 0), 2)
                .constant("end", INT32, null, values(1, 8), 2).constant("strides", INT32, null, values(1, 2), 2)
                .out("y", INT8, Q, 1, 4);
        assertFails(g, "STRIDED_SLICE 'y'", "All Strides values must be 1", "Op has strides values [1 2]");
    }

    @Test
    void stridedSliceOffsetFalse() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.STRIDED_SLICE,
                        new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true))
                .in("x", INT8, Q, 1, 8).constant("begin", INT32, null, values(0, 0), 2)
                .constant("end", INT32, null, values(1, 4), 2).constant("strides", INT32, null, values(1, 1), 2)
                .out("y", INT8, Q, 1, 4);
        assertFails(g, "STRIDED_SLICE 'y'", "Offset attribute must be False", "Op has offset=True");
    }

    @Test
    void padTensorShape() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.PAD, new BuiltinOptions.Pad())
                .in("x", INT8, Q, 4, 4).constant("p", INT32, null, values(1, 1, 1, 1), 2, 2).out("y", INT8, Q, 6, 6);
        assertFails(g, "PAD 'y'", "The padding tensor must have the shape [3,2] or [4,2]",
                "The pad tensor has the shape: [2, 2]");
    }

    @Test
    void padTensorType() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.PAD, new BuiltinOptions.Pad())
                .in("x", INT8, Q, 1, 4, 4, 1).constant("p", INT16, null, values(0, 0, 1, 1, 1, 1, 0, 0), 4, 2)
                .out("y", INT8, Q, 1, 6, 6, 1);
        assertFails(g, "PAD 'y'", "Pad tensor must be of type: int32, int64", "Tensor 'p' has data type: int16");
    }

    @Test
    void padOfBatchAndChannelsRunsOnTheNpu() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.PAD, new BuiltinOptions.Pad())
                .in("x", INT8, Q, 1, 4, 4, 1).constant("p", INT32, null, values(0, 0, 1, 1, 1, 1, 2, 2), 4, 2)
                .out("y", INT8, Q, 1, 6, 6, 5);
        assertPasses(g);
    }

    private static OneOperatorGraph mean(DataType type, int[] in, long[] axes, int[] out) {
        return OneOperatorGraph.of(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(true)).in("x", type, Q, in)
                .constant("axis", INT32, null, axes, axes.length).out("y", type, Q, out);
    }

    @Test
    void meanReducedProduct() {
        assertFails(mean(INT16, new int[] {1, 300, 300, 1}, values(1, 2), new int[] {1, 1, 1, 1}), "MEAN 'y'", """
                        Product of reduced axes must be no greater than:
                                - 16777216 for signed 8-bit inputs.
                                - 8388608 for unsigned 8-bit inputs.
                                - 65536 for signed 16-bit inputs.""",
                "Datatype is int16, product of axes is 90000");
    }

    @Test
    void meanWidth() {
        assertFails(mean(INT8, new int[] {1, 2, 5000, 1}, values(1), new int[] {1, 1, 5000, 1}), "MEAN 'y'",
                "If Width axis is reduced its shape must be no greater than 4096.", "Width is 5000");
    }

    @Test
    void meanDepth() {
        assertFails(mean(INT8, new int[] {1, 1, 2, 5000}, values(3), new int[] {1, 1, 2, 1}), "MEAN 'y'",
                "If Depth axis is reduced its shape must be no greater than 4096.",
                "Depth is 5000, shape is [1, 1, 2, 5000], axis is [3]");
    }

    @Test
    void reshapeShapeConstant() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(null))
                .in("x", INT8, Q, 1, 4).in("shape", INT32, null, 1).out("y", INT8, Q, 4);
        assertFails(g, "RESHAPE 'y'", "Shape must be constant", "Op has non-const input(s): shape");
    }

    private static OneOperatorGraph argMax(int depth, long axis) {
        return OneOperatorGraph.of(BuiltinOperator.ARG_MAX, new BuiltinOptions.ArgMax(INT32))
                .in("x", INT8, Q, 1, 2, 2, depth).constant("axis", INT32, null, values(axis), 1)
                .out("y", INT32, null, 1, 2, 2);
    }

    @Test
    void argMaxAlongDepth() {
        assertFails(argMax(8, 1), "ARG_MAX 'y'", "Operation must be performed along the depth axis",
                "Axis is [1] and number of input dimensions is 4");
        assertPasses(argMax(8, -1));
    }

    @Test
    void argMaxDepthLimit() {
        assertFails(argMax(200, 3), "ARG_MAX 'y'", "IFM depth must be no greater than 127", "IFM depth is 200");
    }

    @Test
    void sliceIndicesConstant() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SLICE, new BuiltinOptions.Slice())
                .in("x", INT8, Q, 1, 8).in("begin", INT32, null, 2).constant("size", INT32, null, values(1, 4), 2)
                .out("y", INT8, Q, 1, 4);
        assertFails(g, "SLICE 'y'", "Begin and Size Input tensors must be constant",
                "Op has non-constant tensors: Begin tensor 'begin'");
    }

    private static OneOperatorGraph transpose(int[] in, long... perm) {
        return OneOperatorGraph.of(BuiltinOperator.TRANSPOSE, new BuiltinOptions.Transpose())
                .in("x", INT8, Q, in).constant("perm", INT32, null, perm, perm.length).out("y", INT8, Q, in);
    }

    @Test
    void transposePermutations() {
        String description = """
                The following shape/permutations are supported for transpose:
                        When ifm rank is 2: WxC -> CxW
                        When ifm rank is 3: HxWxC -> WxHxC, 1xWxC -> 1xCxW, Hx1xC -> Cx1xH
                        When ifm rank is 4: 1xHxWxC -> 1xWxHxC, 1x1xWxC -> 1x1xCxW, 1xHx1xC -> 1xCx1xW""";
        assertFails(transpose(new int[] {1, 2, 3, 4}, 0, 3, 1, 2), "TRANSPOSE 'y'", description,
                "Op has ifm_shape: [1, 2, 3, 4] and permutation is: [0 3 1 2]");
        assertPasses(transpose(new int[] {1, 2, 3, 4}, 0, 2, 1, 3));
        assertPasses(transpose(new int[] {1, 1, 3, 4}, 0, 1, 3, 2));
        assertPasses(transpose(new int[] {2, 3}, 1, 0));
        assertPasses(transpose(new int[] {1, 3, 4}, 0, 2, 1));
    }

    // ---------------------------------------------------------------------------------------------------
    // LSTM

    @Test
    void lstmWithoutCifgPeepholeProjectionOrNormalisation() {
        assertPasses(LstmGraphs.lstm(INT8, 24, 5, true));
        assertFails(LstmGraphs.withOmittedWeights(Set.of(1, 5)), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "Must not use CIFG", "Op uses CIFG");
        assertFails(LstmGraphs.lstm(INT8, 24, 5, true, Set.of(9), 2), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "Must not use Peephole", "Op uses peephole");
        assertFails(LstmGraphs.lstm(INT8, 24, 5, true, Set.of(16), 2), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "Must not use Projection", "Op uses projection");
        assertFails(LstmGraphs.lstm(INT8, 24, 5, true, Set.of(22), 2), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "Must not use Normalisation", "Op uses normalisation");
    }

    @Test
    void lstmWeightsAvailable() {
        assertFails(LstmGraphs.withOmittedWeights(Set.of(3)), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "All input and recurrent weights must be available", "Op has missing weights");
    }

    @Test
    void lstmRecurrentWeights2D() {
        assertFails(LstmGraphs.lstm(INT8, 24, 5, true, Set.of(), 3), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "All recurrent weights must be 2D", "Op recurrent weights are not 2D");
    }
}
