package npuc.frontend;

import static npuc.frontend.Constraint.Verdict.of;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Padding;

/**
 * Vela's supported-operator checks (tflite_supported_operators): whether the NPU can run a semantically valid
 * operator. Operator types outside {@link #SUPPORTED_TYPES} are CPU-only. The others meet the generic
 * constraints, then their type's own, in order; the first failure is the one reported. The same constraints
 * hold for Ethos-U55 and Ethos-U65.
 */
final class SupportedOperators {
    private SupportedOperators() {
    }

    /** The TFLite operator types the NPU can run (Vela's supported_operators without its internal types). */
    static final Set<BuiltinOperator> SUPPORTED_TYPES = EnumSet.of(
            BuiltinOperator.SHAPE,
            BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM,
            BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.TRANSPOSE_CONV,
            BuiltinOperator.MAX_POOL_2D, BuiltinOperator.AVERAGE_POOL_2D,
            BuiltinOperator.RESIZE_BILINEAR, BuiltinOperator.RESIZE_NEAREST_NEIGHBOR,
            BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.MEAN, BuiltinOperator.ARG_MAX,
            BuiltinOperator.MINIMUM, BuiltinOperator.MAXIMUM, BuiltinOperator.ADD, BuiltinOperator.MUL,
            BuiltinOperator.SUB, BuiltinOperator.ABS, BuiltinOperator.EXP, BuiltinOperator.LEAKY_RELU,
            BuiltinOperator.LOG, BuiltinOperator.RSQRT, BuiltinOperator.SQRT, BuiltinOperator.GELU,
            BuiltinOperator.SQUARED_DIFFERENCE,
            BuiltinOperator.PAD,
            BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.RELU_N1_TO_1, BuiltinOperator.TANH,
            BuiltinOperator.LOGISTIC, BuiltinOperator.SOFTMAX, BuiltinOperator.HARD_SWISH, BuiltinOperator.PRELU,
            BuiltinOperator.QUANTIZE,
            BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE, BuiltinOperator.EXPAND_DIMS, BuiltinOperator.TRANSPOSE,
            BuiltinOperator.CONCATENATION, BuiltinOperator.PACK,
            BuiltinOperator.SPLIT, BuiltinOperator.SPLIT_V, BuiltinOperator.STRIDED_SLICE, BuiltinOperator.SLICE,
            BuiltinOperator.UNPACK);

    /** Types whose tensors may be int32 (Vela's list also has the internal ReduceSum, CLZ, SHL and SHR). */
    static final Set<BuiltinOperator> INT32_TENSOR_OPS = EnumSet.of(BuiltinOperator.SHAPE, BuiltinOperator.ARG_MAX,
            BuiltinOperator.TRANSPOSE, BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.SUB);

    static final Set<BuiltinOperator> PER_AXIS_QUANT_OPS = EnumSet.of(BuiltinOperator.CONV_2D,
            BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.TRANSPOSE_CONV);

    /** Fused activations the NPU runs (Vela's list also has the internal Clip and LUT). */
    static final Set<Activation> SUPPORTED_FUSED_ACTIVATIONS = EnumSet.of(Activation.RELU, Activation.RELU6,
            Activation.RELU_N1_TO_1, Activation.TANH);

    /** Vela also lists LOGISTIC: its Sigmoid is a supported fused activation, though TFLite never fuses it. */
    private static final String FUSED_ACTIVATION_NAMES = "LOGISTIC, RELU, RELU6, RELU_N1_TO_1, TANH";

    static final Set<DataType> SUPPORTED_TYPES_OF_TENSORS = EnumSet.of(DataType.UINT8, DataType.INT8,
            DataType.INT16, DataType.INT32);
    static final Set<DataType> FUSED_ACTIVATION_OUTPUT_TYPES = EnumSet.of(DataType.UINT8, DataType.INT8,
            DataType.INT16);
    static final Set<DataType> BIAS_TYPES = EnumSet.of(DataType.INT32, DataType.INT64);
    static final Set<DataType> PAD_TYPES = EnumSet.of(DataType.INT32, DataType.INT64);

    static final int TENSOR_DIM_MIN = 1;
    static final int TENSOR_DIM_MAX = 65535;
    static final int STRIDE_MIN = 1;
    static final int STRIDE_MAX = 3;
    static final int DILATED_HEIGHT_MAX = 64;
    static final int DILATED_PRODUCT_MAX = 64 * 64;
    static final long WEIGHTS_LIMIT = 127L * 65536;
    static final int FILTER_MAX = 8;
    static final int FILTER_HEIGHT_MAX = 256;
    static final int FILTER_PRODUCT_MAX = 256 * 256;
    static final int MEAN_REDUCED_AXIS_MAX = 64 * 64;
    static final long MEAN_PRODUCT_INT8 = 1L << 24;
    static final long MEAN_PRODUCT_UINT8 = 1L << 23;
    static final long MEAN_PRODUCT_INT16 = 1L << 16;

    // ---------------------------------------------------------------------------------------------------
    // Generic constraints

    static final Constraint TENSOR_TYPES = new Constraint(
            "Tensors must be of type: " + typeList(SUPPORTED_TYPES_OF_TENSORS),
            op -> {
                List<String> found = new ArrayList<>();
                for (Operand t : checkedTensors(op)) {
                    if (!SUPPORTED_TYPES_OF_TENSORS.contains(t.type())) {
                        found.add("Tensor '" + t.name() + "' has data type: " + t.typeName());
                    }
                }
                return of(found.isEmpty(), PythonText.join(found));
            });

    static final Constraint INT32_TENSORS = new Constraint(
            "Tensors which are int32 are only valid when op type is: " + OperatorNames.format(INT32_TENSOR_OPS),
            op -> {
                List<String> names = new ArrayList<>();
                for (Operand t : checkedTensors(op)) {
                    if (t.type() == DataType.INT32 && !INT32_TENSOR_OPS.contains(op.type())) {
                        names.add(t.name());
                    }
                }
                return of(names.isEmpty(), "Op has int32 tensor(s): " + PythonText.join(names));
            });

    static final Constraint TENSOR_DIMENSIONS = new Constraint(
            "Tensor dimensions must be in the range [" + TENSOR_DIM_MIN + ", " + TENSOR_DIM_MAX + "]",
            op -> {
                List<String> found = new ArrayList<>();
                for (Operand t : checkedTensors(op)) {
                    if (!t.shape().stream().allMatch(d -> TENSOR_DIM_MIN <= d && d <= TENSOR_DIM_MAX)) {
                        found.add("Tensor '" + t.name() + "' has shape: " + PythonText.list(t.shape()));
                    }
                }
                return of(found.isEmpty(), PythonText.join(found));
            });

    static final Constraint PER_AXIS_QUANTIZATION = new Constraint(
            "Per-axis quantization is only supported for the following op types: "
                    + OperatorNames.format(PER_AXIS_QUANT_OPS),
            op -> {
                List<String> names = new ArrayList<>();
                if (!PER_AXIS_QUANT_OPS.contains(op.type())) {
                    for (Operand t : op.ifmIfm2WeightsOfm()) {
                        if (t.isPerAxis()) {
                            names.add(t.name());
                        }
                    }
                }
                return of(names.isEmpty(), "The following tensor(s) have per-axis quantization parameters: "
                        + PythonText.join(names));
            });

    static final Constraint BATCH_SIZE = new Constraint(
            "IFM Tensor batch size must be 1",
            op -> {
                List<String> found = new ArrayList<>();
                for (Operand t : new Operand[] {op.ifm(), op.ifm2()}) {
                    if (t != null) {
                        // The first dimension of the shape padded to 4-D with leading 1s; longer shapes stay.
                        int batch = t.rank() >= 4 ? t.shape().get(0) : 1;
                        if (batch != 1) {
                            found.add("Tensor '" + t.name() + "' has batch size: " + batch);
                        }
                    }
                }
                return of(found.isEmpty(), String.join("\n   ", found));
            });

    static final Constraint FUSED_ACTIVATION = new Constraint(
            "The fused activation function (if present) must be one of type: " + FUSED_ACTIVATION_NAMES,
            op -> {
                Activation a = op.activation();
                if (a == null) {
                    return of(true, "Op has no fused activation function");
                }
                return of(SUPPORTED_FUSED_ACTIVATIONS.contains(a),
                        "Op has its fused activation function as: " + activationOpName(a));
            });

    static final Constraint FUSED_ACTIVATION_OUTPUT_TYPE = new Constraint(
            "If a fused activation function is present, the Output tensor must be one of type: "
                    + typeList(FUSED_ACTIVATION_OUTPUT_TYPES),
            op -> {
                Activation a = op.activation();
                if (a == null) {
                    return of(true, "Op has no fused activation function");
                }
                return of(FUSED_ACTIVATION_OUTPUT_TYPES.contains(op.ofm().type()), "Op has fused activation function "
                        + activationBuiltinName(a) + ", and Output tensor data type: " + op.ofm().typeName());
            });

    static final List<Constraint> GENERIC = List.of(TENSOR_TYPES, INT32_TENSORS, TENSOR_DIMENSIONS,
            PER_AXIS_QUANTIZATION, BATCH_SIZE, FUSED_ACTIVATION, FUSED_ACTIVATION_OUTPUT_TYPE);

    /** Generic constraints that do not apply to some operator types. */
    static final Map<BuiltinOperator, Set<Constraint>> GENERIC_EXCEPTIONS = exceptions();

    private static Map<BuiltinOperator, Set<Constraint>> exceptions() {
        Map<BuiltinOperator, Set<Constraint>> m = new EnumMap<>(BuiltinOperator.class);
        m.put(BuiltinOperator.ARG_MAX, Set.of(TENSOR_TYPES));
        for (BuiltinOperator op : List.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.SOFTMAX,
                BuiltinOperator.RESHAPE, BuiltinOperator.SHAPE, BuiltinOperator.SQUEEZE, BuiltinOperator.SPLIT,
                BuiltinOperator.SPLIT_V, BuiltinOperator.STRIDED_SLICE, BuiltinOperator.SLICE,
                BuiltinOperator.UNPACK)) {
            m.put(op, Set.of(BATCH_SIZE));
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------------
    // Convolutions and pools

    static final Constraint STRIDE_WIDTH_NO_UPPER_LIMIT = new Constraint(
            """
                    Strides must fulfil the following criteria:
                            - Stride h must be between 1 and 3 when ofm height is greater than 1
                            - Stride w must be between 1 and 3 when ofm height is greater than 1 or
                              stride w must be divisible by 2 or 3 and ifm width must be divisible
                              by stride_w/2 or stride_w/3""",
            SupportedOperators::strideWidthNoUpperLimit);

    static final Constraint STRIDE_WIDTH_VALID_PADDING = new Constraint(
            """
                    Stride width must be greater than or equal to 1.
                            For stride width greater than 3, valid padding needs to be used.""",
            op -> {
                Constraint.Verdict strides = strideWidthNoUpperLimit(op);
                Padding padding = op.padding();
                boolean validPadding = padding == null || padding == Padding.VALID || op.strideW() <= 3;
                return of(strides.valid() && validPadding, strides.extra() + ", padding: " + op.paddingText());
            });

    static final Constraint DILATED_HEIGHT = new Constraint(
            "Dilated kernel height must be in the range [1, " + DILATED_HEIGHT_MAX + "]",
            op -> {
                long h = dilatedHeight(op);
                return of(1 <= h && h <= DILATED_HEIGHT_MAX, "Op has dilated kernel height as: " + h);
            });

    static final Constraint DILATED_PRODUCT = new Constraint(
            "Product of dilated kernel width and height must be in the range [1, " + DILATED_PRODUCT_MAX + "]",
            op -> {
                long product = dilatedWidth(op) * dilatedHeight(op);
                return of(1 <= product && product <= DILATED_PRODUCT_MAX,
                        "Op has product of dilated kernel width and height as: " + product);
            });

    static final Constraint WEIGHTS_8BIT = new Constraint(
            "Weight tensor must be 8-bit",
            op -> {
                Operand w = op.weights();
                int bytes = w.type().bits() / 8;
                return of(bytes == 1, "Tensor '" + w.name() + "' is " + bytes * 8 + "-bit");
            });

    static final Constraint WEIGHTS_CONSTANT = new Constraint(
            "Weight tensor must be constant",
            op -> of(op.weights().isConstant(), "Tensor '" + op.weights().name() + "' has non-constant values"));

    static final Constraint WEIGHTS_LIMIT_CHECK = new Constraint(
            "The sum of the weights cannot exceed " + WEIGHTS_LIMIT,
            op -> {
                Operand w = op.weights();
                long limit = WeightSums.maxChannelSum(w);
                return of(limit <= WEIGHTS_LIMIT, "Tensor '" + w.name() + "' has the sum of weights: " + limit);
            });

    static final Constraint BIAS_1D = new Constraint(
            "Optional Bias tensor must be of shape: 1D",
            op -> {
                Operand b = op.bias();
                return b == null ? of(true, "Op has no bias tensor")
                        : of(b.rank() == 1, "Tensor '" + b.name() + "' has shape: " + PythonText.list(b.shape()));
            });

    static final Constraint BIAS_TYPE = new Constraint(
            "Optional Bias tensor must be of type: " + typeList(BIAS_TYPES),
            op -> {
                Operand b = op.bias();
                return b == null ? of(true, "Op has no bias tensor")
                        : of(BIAS_TYPES.contains(b.type()), "Tensor '" + b.name() + "' has data type: " + b.typeName());
            });

    static final Constraint BIAS_40BIT = new Constraint(
            "Optional Bias tensor values must fit within 40-bits",
            op -> {
                Operand b = op.bias();
                if (b != null && b.type() == DataType.INT64 && b.isConstant()) {
                    boolean valid = Arrays.stream(b.values()).allMatch(SupportedOperators::binaryDigitsFit40);
                    return of(valid, "Tensor '" + b.name() + "' has values larger than 40-bits");
                }
                return of(true, "Op has no bias tensor, or it fits in 40-bit");
            });

    static final Constraint TRANSPOSE_CONV_STRIDE = new Constraint(
            """
                    Stride values for width and height must match one of the following criteria:
                            Stride values WxH must be 1x1 or 2x2
                            Stride WxH 2x1 supported if ifm height and kernel height = 1""",
            op -> {
                int sw = op.strideW();
                int sh = op.strideH();
                int kh = op.kernelH();
                int ih = op.ifm().shape().get(1);
                boolean valid = (sw == 1 && sh == 1) || (sw == 2 && sh == 2)
                        || (sw == 2 && sh == 1 && ih == 1 && kh == 1);
                return of(valid, "Op has ifm_height=" + ih + ", kernel_height=" + kh + " and stride WxH as "
                        + sw + "x" + sh);
            });

    static final Constraint TRANSPOSE_CONV_SAME = new Constraint(
            "SAME padding: OFM dimensions must equal IFM dimensions multiplied by stride",
            op -> {
                if (op.padding() != Padding.SAME) {
                    return of(true, "Op has padding=VALID");
                }
                List<Integer> in = op.ifm().shape();
                List<Integer> out = op.ofm().shape();
                boolean valid = out.get(1) == (long) in.get(1) * op.strideH()
                        && out.get(2) == (long) in.get(2) * op.strideW();
                return of(valid, "Op has ifm_shape=" + PythonText.list(in) + ", ofm_shape=" + PythonText.list(out)
                        + " and stride WxH as " + op.strideW() + "x" + op.strideH());
            });

    static final Constraint TRANSPOSE_CONV_VALID = new Constraint(
            """
                    VALID padding: OFM dimensions must equal IFM dimensions multiplied by stride,
                            minus difference between kernel size and stride""",
            op -> {
                if (op.padding() != Padding.VALID) {
                    return of(true, "Op has padding=SAME");
                }
                int sw = op.strideW();
                int sh = op.strideH();
                int kw = op.kernelW();
                int kh = op.kernelH();
                List<Integer> in = op.ifm().shape();
                List<Integer> out = op.ofm().shape();
                boolean valid = out.get(1) == (long) in.get(1) * sh + Math.max(kh - sh, 0)
                        && out.get(2) == (long) in.get(2) * sw + Math.max(kw - sw, 0);
                return of(valid, "Op has ifm_shape=" + PythonText.list(in) + ", ofm_shape=" + PythonText.list(out)
                        + ", stride WxH as " + sw + "x" + sh + " and kernel WxH as " + kw + "x" + kh);
            });

    static final Constraint DEPTHWISE_STRIDE = new Constraint(
            "Stride values for both width and height must be between 1 and 3",
            op -> of(inStrideRange(op), "Op has stride WxH as: " + op.strideW() + "x" + op.strideH()));

    static final Constraint DEPTH_MULTIPLIER = new Constraint(
            "For depth multipliers > 1, IFM channels must be 1 and OFM channels must be equal to the depth multiplier",
            op -> {
                int multiplier = op.depthMultiplier();
                if (multiplier <= 1) {
                    return of(true, "Op has depth_multiplier=1");
                }
                int ifmChannels = op.ifm().shape().get(3);
                int ofmChannels = op.ofm().shape().get(3);
                return of(ifmChannels == 1 && ofmChannels == multiplier, "Op has ifm_channels=" + ifmChannels
                        + ", ofm_channels=" + ofmChannels + " and depth_multiplier=" + multiplier);
            });

    static final Constraint STRIDE_RANGE = new Constraint(
            "Stride values for both width and height must be in the range [" + STRIDE_MIN + ", " + STRIDE_MAX + "]",
            op -> of(inStrideRange(op), "Op has stride WxH as: " + op.strideW() + "x" + op.strideH()));

    static final Constraint FILTER_RANGE = new Constraint(
            "Kernel filter values for both width and height must be in the range [1, " + FILTER_MAX + "]",
            op -> {
                if (op.padding() != Padding.SAME) {
                    return of(true, "Op has padding=VALID");
                }
                int w = op.kernelW();
                int h = op.kernelH();
                // A filter as wide as its stride is fine at any width: it becomes a reshaped pool.
                boolean valid = ((1 <= w && w <= FILTER_MAX) || op.strideW() == w) && 1 <= h && h <= FILTER_MAX;
                return of(valid, "Op has kernel filter WxH as: " + w + "x" + h);
            });

    private static Constraint.Verdict filterHeight(CheckedOperator op) {
        int h = op.kernelH();
        return of(1 <= h && h <= FILTER_HEIGHT_MAX, "Op has kernel filter height as: " + h);
    }

    private static Constraint.Verdict filterProduct(CheckedOperator op) {
        long product = (long) op.kernelW() * op.kernelH();
        return of(1 <= product && product <= FILTER_PRODUCT_MAX,
                "Op has product of kernel filter width and height as: " + product);
    }

    static final Constraint FILTER_HEIGHT = new Constraint(
            "Kernel filter height must be in the range [1, " + FILTER_HEIGHT_MAX + "]",
            SupportedOperators::filterHeight);

    static final Constraint FILTER_PRODUCT = new Constraint(
            "Product of kernel filter width and height must be in the range [1, " + FILTER_PRODUCT_MAX + "]",
            SupportedOperators::filterProduct);

    static final Constraint FILTER_HEIGHT_VALID_PADDING = new Constraint(
            "VALID padding: Kernel filter height must be in the range [1, " + FILTER_HEIGHT_MAX + "]",
            op -> op.padding() == Padding.VALID ? filterHeight(op) : of(true, "Op has padding=SAME"));

    static final Constraint FILTER_PRODUCT_VALID_PADDING = new Constraint(
            "VALID padding: Product of kernel filter width and height must be in the range [1, "
                    + FILTER_PRODUCT_MAX + "]",
            op -> op.padding() == Padding.VALID ? filterProduct(op) : of(true, "Op has padding=SAME"));

    // ---------------------------------------------------------------------------------------------------
    // Resize

    static final Constraint RESIZE = new Constraint(
            """
                    The width and height of the IFM and OFM must match one of the following criteria:
                            IFM W and H must both be 1
                            IFM must match OFM
                            W and H scaling must be equal and OFM W-1 and H-1 must be 2x/4x/8x IFM W-1 and H-1, \
                    if align_corners is True
                            W and H scaling must be equal and OFM W and H must be 2x/4x/8x IFM W and H, \
                    if align_corners is False""",
            op -> {
                List<Integer> in = op.ifm().shape();
                List<Integer> out = op.ofm().shape();
                boolean alignCorners = alignCorners(op);
                boolean valid = false;
                if (in.size() == 4) {
                    int ih = in.get(1);
                    int iw = in.get(2);
                    int oh = out.get(1);
                    int ow = out.get(2);
                    if ((ih == 1 && iw == 1) || in.equals(out)) {
                        valid = true;
                    } else {
                        double hFactor = alignCorners ? ratio(oh - 1, ih - 1) : ratio(oh, ih);
                        double wFactor = alignCorners ? ratio(ow - 1, iw - 1) : ratio(ow, iw);
                        valid = hFactor == wFactor && (hFactor == 2.0 || hFactor == 4.0 || hFactor == 8.0);
                    }
                }
                return of(valid, "Op has ifm_shape=" + PythonText.list(in) + ", ofm_shape=" + PythonText.list(out)
                        + " and align_corners=" + PythonText.bool(alignCorners));
            });

    static final Constraint RESIZE_SIZE = new Constraint(
            "The size tensor must match the output tensor shape",
            op -> {
                List<Integer> out = op.ofm().shape();
                String sizeH = "None";
                String sizeW = "None";
                boolean valid = false;
                Operand size = op.input(1);
                long[] values = size == null ? null : size.values();
                if (op.inputs().size() == 2 && values != null && values.length == 2) {
                    sizeH = Long.toString(values[0]);
                    sizeW = Long.toString(values[1]);
                    valid = out.size() > 2 && values[0] == out.get(1) && values[1] == out.get(2);
                }
                return of(valid, "Op has size=" + sizeH + "x" + sizeW + " and ofm_shape=" + PythonText.list(out) + ".");
            });

    static final Constraint RESIZE_ATTRIBUTES = new Constraint(
            "Both align_corners and half_pixel_centers can't be True",
            op -> of(!(alignCorners(op) && halfPixelCenters(op)),
                    "Op has both align_corners and half_pixel_centers set to True."));

    static final Constraint RESIZE_BILINEAR_HALF_PIXEL_CENTERS = new Constraint(
            """
                    For half_pixel_centers the width and height of the IFM and OFM must match one of the following \
                    criteria:
                            IFM W and H are both 1
                            OFM W and H is 2x IFM W and H""",
            op -> {
                boolean halfPixel = halfPixelCenters(op);
                List<Integer> in = op.ifm().shape();
                List<Integer> out = op.ofm().shape();
                boolean valid;
                if (!halfPixel) {
                    valid = true;
                } else if (in.size() >= 3) {
                    int ih = in.get(in.size() - 3);
                    int iw = in.get(in.size() - 2);
                    int oh = out.get(out.size() - 3);
                    int ow = out.get(out.size() - 2);
                    valid = (ih == 1 && iw == 1) || (ratio(oh, ih) == 2 && ratio(ow, iw) == 2);
                } else {
                    valid = false;
                }
                return of(valid, "Op has ifm_shape=" + PythonText.list(in) + ", ofm_shape=" + PythonText.list(out)
                        + " and half_pixel_centers=" + PythonText.bool(halfPixel));
            });

    // ---------------------------------------------------------------------------------------------------
    // Elementwise

    static final Constraint MATCHING_QUANTIZATION = new Constraint(
            "Both Input quantization parameters must match OFM quantization parameters",
            op -> {
                List<String> names = new ArrayList<>();
                if (!op.ofm().scalingEquals(op.ifm())) {
                    names.add(op.ifm().name());
                }
                if (op.ifm2() != null && !op.ofm().scalingEquals(op.ifm2())) {
                    names.add(op.ifm2().name());
                }
                return of(names.isEmpty(), "Op has tensors with different quantization parameters to the OFM '"
                        + op.ofm().name() + "': " + PythonText.join(names));
            });

    static final Constraint BROADCAST_SHAPES = new Constraint(
            "Broadcasting is only allowed for rank indices with dimension 1, from either IFM1 or IFM2",
            op -> {
                List<Integer> a = op.ifm().shape();
                List<Integer> b = op.ifm2() == null ? null : op.ifm2().shape();
                List<Integer> out = op.ofm().shape();
                boolean valid = true;
                if (b != null) {
                    // Vela zips the trailing min(rank) dimensions of each; a shorter OFM truncates the zip.
                    int size = Math.min(a.size(), b.size());
                    List<Integer> as = trailing(a, size);
                    List<Integer> bs = trailing(b, size);
                    List<Integer> os = trailing(out, size);
                    int n = Math.min(as.size(), Math.min(bs.size(), os.size()));
                    for (int k = 0; k < n; k++) {
                        int i = as.get(k);
                        int i2 = bs.get(k);
                        int o = os.get(k);
                        if (!(i == i2 || i == 1 || i2 == 1) || o != Math.max(i, i2)) {
                            valid = false;
                            break;
                        }
                    }
                }
                return of(valid, "Op has ifm_shape=" + PythonText.list(a) + " and ifm2_shape="
                        + (b == null ? "None" : PythonText.list(b)));
            });

    static final Constraint RSQRT_INT8 = new Constraint(
            "IFM must be int8",
            op -> of(op.ifm().type() == DataType.INT8, "Op has ifm_dtype=" + op.ifm().typeName()));

    // ---------------------------------------------------------------------------------------------------
    // Memory and shape operators

    static final Constraint STRIDED_SLICE_STRIDES = new Constraint(
            "All Strides values must be 1",
            op -> {
                Operand strides = op.input(3);
                long[] values = strides.values();
                boolean valid = values != null && Arrays.stream(values).allMatch(v -> v == 1);
                return of(valid, "Op has strides values " + strides.valuesText());
            });

    static final Constraint STRIDED_SLICE_OFFSET = new Constraint(
            "Offset attribute must be False",
            op -> {
                boolean offset = op.options() instanceof BuiltinOptions.StridedSlice s && s.offset();
                return of(!offset, "Op has offset=" + PythonText.bool(offset));
            });

    static final Constraint PAD_SHAPE = new Constraint(
            "The padding tensor must have the shape [3,2] or [4,2]",
            op -> {
                List<Integer> shape = op.input(1).shape();
                boolean valid = shape.equals(List.of(3, 2)) || shape.equals(List.of(4, 2));
                return of(valid, "The pad tensor has the shape: " + PythonText.list(shape));
            });

    static final Constraint PAD_TYPE = new Constraint(
            "Pad tensor must be of type: " + typeList(PAD_TYPES),
            op -> {
                Operand pad = op.input(1);
                return of(PAD_TYPES.contains(pad.type()), "Tensor '" + pad.name() + "' has data type: " + pad.typeName());
            });

    static final Constraint MEAN_PRODUCT = new Constraint(
            """
                    Product of reduced axes must be no greater than:
                            - %d for signed 8-bit inputs.
                            - %d for unsigned 8-bit inputs.
                            - %d for signed 16-bit inputs.""".formatted(MEAN_PRODUCT_INT8, MEAN_PRODUCT_UINT8,
                    MEAN_PRODUCT_INT16),
            op -> {
                List<Integer> shape = op.input(0).shape();
                long[] axes = SemanticConstraints.meanAxes(op);
                long product = 1;
                for (long ax : axes) {
                    product *= shape.get((int) (ax < 0 ? ax + shape.size() : ax));
                }
                long max;
                String type;
                if (op.ifm().type() == DataType.INT16) {
                    max = MEAN_PRODUCT_INT16;
                    type = "int16";
                } else if (op.ifm().type() == DataType.UINT8) {
                    max = MEAN_PRODUCT_UINT8;
                    type = "uint8";
                } else {
                    max = MEAN_PRODUCT_INT8;
                    type = "int8";
                }
                // numpy's product of no axes is the float 1.0.
                String productText = axes.length == 0 ? "1.0" : Long.toString(product);
                return of(product <= max, "Datatype is " + type + ", product of axes is " + productText);
            });

    static final Constraint MEAN_WIDTH = new Constraint(
            "If Width axis is reduced its shape must be no greater than " + MEAN_REDUCED_AXIS_MAX + ".",
            op -> {
                // Vela checks the width whichever axes are reduced: dimension 1 of 4-D shapes, else dimension 1
                // of the shape read as [H, W, ...].
                List<Integer> shape = op.input(0).shape();
                int hi = shape.size() < 4 ? 0 : 1;
                int w = shape.get(hi + 1);
                return of(w <= MEAN_REDUCED_AXIS_MAX, "Width is " + w);
            });

    static final Constraint MEAN_DEPTH = new Constraint(
            "If Depth axis is reduced its shape must be no greater than " + MEAN_REDUCED_AXIS_MAX + ".",
            op -> {
                List<Integer> shape = op.input(0).shape();
                long[] axes = SemanticConstraints.meanAxes(op);
                int depthIndex = shape.size() - 1;
                boolean reduced = Arrays.stream(axes).anyMatch(a -> a == depthIndex);
                int depth = shape.get(depthIndex);
                return of(!(reduced && depth > MEAN_REDUCED_AXIS_MAX), "Depth is " + depth + ", shape is "
                        + PythonText.list(shape) + ", axis is " + SemanticConstraints.axesText(axes));
            });

    static final Constraint RESHAPE_SHAPE_CONSTANT = new Constraint(
            "Shape must be constant",
            op -> {
                List<String> names = new ArrayList<>();
                Operand shape = op.input(1);
                if (shape != null && shape.producer() != Operand.Producer.CONSTANT) {
                    names.add(shape.name());
                }
                return of(names.isEmpty(), "Op has non-const input(s): " + PythonText.join(names));
            });

    static final Constraint ARG_MAX_AXIS = new Constraint(
            "Operation must be performed along the depth axis",
            op -> {
                int dims = op.input(0).rank();
                Operand axis = op.input(1);
                long[] values = axis == null ? null : axis.values();
                boolean valid = values != null && values.length == 1 && (values[0] == dims - 1 || values[0] == -1);
                return of(valid, "Axis is " + (axis == null ? "None" : axis.valuesText())
                        + " and number of input dimensions is " + dims);
            });

    static final Constraint ARG_MAX_DEPTH = new Constraint(
            "IFM depth must be no greater than 127",
            op -> {
                int depth = op.input(0).dim(-1);
                return of(depth <= 127, "IFM depth is " + depth);
            });

    static final Constraint SLICE_CONSTANT_INPUTS = new Constraint(
            "Begin and Size Input tensors must be constant",
            op -> {
                List<String> found = new ArrayList<>();
                Operand begin = op.input(1);
                Operand sizes = op.input(2);
                if (begin == null || !begin.isConstant()) {
                    found.add("Begin tensor '" + (begin == null ? "None" : begin.name()) + "'");
                }
                if (sizes == null || !sizes.isConstant()) {
                    found.add("Size tensor '" + (sizes == null ? "None" : sizes.name()) + "'");
                }
                return of(found.isEmpty(), "Op has non-constant tensors: " + PythonText.join(found));
            });

    static final Constraint TRANSPOSE_PERMUTATION = new Constraint(
            """
                    The following shape/permutations are supported for transpose:
                            When ifm rank is 2: WxC -> CxW
                            When ifm rank is 3: HxWxC -> WxHxC, 1xWxC -> 1xCxW, Hx1xC -> Cx1xH
                            When ifm rank is 4: 1xHxWxC -> 1xWxHxC, 1x1xWxC -> 1x1xCxW, 1xHx1xC -> 1xCx1xW""",
            op -> {
                List<Integer> in = op.input(0).shape();
                Operand perm = op.input(1);
                long[] p = perm.values();
                boolean valid = in.size() == 2;
                boolean rank3 = perm.shape().equals(List.of(3)) && p != null && p.length == 3;
                boolean rank4 = perm.shape().equals(List.of(4)) && p != null && p.length == 4;
                if (!valid && rank3) {
                    valid = p[0] == 1 && p[1] == 0;
                }
                if (!valid && rank3 && in.get(0) == 1) {
                    valid = p[1] == 2 && p[2] == 1;
                }
                if (!valid && rank3 && in.get(1) == 1) {
                    valid = p[0] == 2 && p[2] == 0;
                }
                if (!valid && rank4) {
                    valid = p[0] == 0 && p[1] == 2 && p[2] == 1;
                }
                if (!valid && rank4 && in.get(1) == 1) {
                    valid = p[0] == 0 && p[2] == 3 && p[3] == 2;
                }
                if (!valid && rank4 && in.get(2) == 1) {
                    valid = p[0] == 0 && p[1] == 3 && p[3] == 1;
                }
                return of(valid, "Op has ifm_shape: " + PythonText.list(in) + " and permutation is: "
                        + perm.valuesText());
            });

    // ---------------------------------------------------------------------------------------------------
    // LSTM

    static final Constraint LSTM_NO_CIFG = new Constraint(
            "Must not use CIFG",
            op -> {
                boolean cifg = allPresent(op, 2, 5) && allPresent(op, 6, 9) && op.input(1) == null
                        && op.input(5) == null;
                return of(!cifg, "Op uses CIFG");
            });

    static final Constraint LSTM_NO_PEEPHOLE = new Constraint(
            "Must not use Peephole",
            op -> of(allAbsent(op, 9, 12), "Op uses peephole"));

    static final Constraint LSTM_NO_PROJECTION = new Constraint(
            "Must not use Projection",
            op -> of(allAbsent(op, 16, 18), "Op uses projection"));

    static final Constraint LSTM_NO_NORMALISATION = new Constraint(
            "Must not use Normalisation",
            op -> of(allAbsent(op, 20, 24), "Op uses normalisation"));

    static final Constraint LSTM_WEIGHTS = new Constraint(
            "All input and recurrent weights must be available",
            op -> of(allPresent(op, 1, 9), "Op has missing weights"));

    static final Constraint LSTM_WEIGHT_DIMENSIONS = new Constraint(
            "All recurrent weights must be 2D",
            op -> {
                boolean valid = true;
                for (int i = 5; i < Math.min(9, op.inputs().size()); i++) {
                    valid &= op.input(i) != null && op.input(i).rank() == 2;
                }
                return of(valid, "Op recurrent weights are not 2D");
            });

    // ---------------------------------------------------------------------------------------------------

    /** The specific constraints of each operator type, in Vela's order. */
    static final Map<BuiltinOperator, List<Constraint>> SPECIFIC = specific();

    private static Map<BuiltinOperator, List<Constraint>> specific() {
        Map<BuiltinOperator, List<Constraint>> m = new EnumMap<>(BuiltinOperator.class);
        List<Constraint> convolution = List.of(DILATED_HEIGHT, DILATED_PRODUCT, WEIGHTS_8BIT, WEIGHTS_CONSTANT,
                WEIGHTS_LIMIT_CHECK, BIAS_1D, BIAS_TYPE, BIAS_40BIT);
        m.put(BuiltinOperator.CONV_2D, concat(List.of(STRIDE_WIDTH_NO_UPPER_LIMIT), convolution));
        m.put(BuiltinOperator.TRANSPOSE_CONV, concat(convolution,
                List.of(TRANSPOSE_CONV_STRIDE, TRANSPOSE_CONV_SAME, TRANSPOSE_CONV_VALID)));
        m.put(BuiltinOperator.DEPTHWISE_CONV_2D, concat(convolution, List.of(DEPTHWISE_STRIDE, DEPTH_MULTIPLIER)));
        m.put(BuiltinOperator.MAX_POOL_2D, List.of(STRIDE_RANGE, FILTER_HEIGHT, FILTER_PRODUCT));
        m.put(BuiltinOperator.AVERAGE_POOL_2D, List.of(STRIDE_WIDTH_NO_UPPER_LIMIT, STRIDE_WIDTH_VALID_PADDING,
                FILTER_RANGE, FILTER_HEIGHT_VALID_PADDING, FILTER_PRODUCT_VALID_PADDING));
        m.put(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, List.of(RESIZE, RESIZE_SIZE, RESIZE_ATTRIBUTES));
        m.put(BuiltinOperator.RESIZE_BILINEAR, List.of(RESIZE, RESIZE_SIZE, RESIZE_ATTRIBUTES,
                RESIZE_BILINEAR_HALF_PIXEL_CENTERS));
        m.put(BuiltinOperator.FULLY_CONNECTED, List.of(WEIGHTS_8BIT, WEIGHTS_CONSTANT, BIAS_1D, BIAS_TYPE,
                BIAS_40BIT));
        m.put(BuiltinOperator.MINIMUM, List.of(MATCHING_QUANTIZATION, BROADCAST_SHAPES));
        m.put(BuiltinOperator.MAXIMUM, List.of(MATCHING_QUANTIZATION, BROADCAST_SHAPES));
        m.put(BuiltinOperator.ADD, List.of(BROADCAST_SHAPES));
        m.put(BuiltinOperator.MUL, List.of(BROADCAST_SHAPES));
        m.put(BuiltinOperator.SUB, List.of(BROADCAST_SHAPES));
        m.put(BuiltinOperator.STRIDED_SLICE, List.of(STRIDED_SLICE_STRIDES, STRIDED_SLICE_OFFSET));
        // NXP's Vela leaves out "The pad tensor can only pad width and height": it rewrites other padding.
        m.put(BuiltinOperator.PAD, List.of(PAD_SHAPE, PAD_TYPE));
        m.put(BuiltinOperator.MEAN, List.of(MEAN_PRODUCT, MEAN_WIDTH, MEAN_DEPTH));
        m.put(BuiltinOperator.RESHAPE, List.of(RESHAPE_SHAPE_CONSTANT));
        m.put(BuiltinOperator.ARG_MAX, List.of(ARG_MAX_AXIS, ARG_MAX_DEPTH));
        m.put(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, List.of(LSTM_NO_CIFG, LSTM_NO_PEEPHOLE,
                LSTM_NO_PROJECTION, LSTM_NO_NORMALISATION, LSTM_WEIGHTS, LSTM_WEIGHT_DIMENSIONS));
        m.put(BuiltinOperator.RSQRT, List.of(RSQRT_INT8));
        m.put(BuiltinOperator.SLICE, List.of(SLICE_CONSTANT_INPUTS));
        m.put(BuiltinOperator.TRANSPOSE, List.of(TRANSPOSE_PERMUTATION));
        return m;
    }

    /** The constraints Vela checks for this (supported) operator type, generic ones first, in order. */
    static List<Constraint> constraintsFor(BuiltinOperator type) {
        Set<Constraint> excepted = GENERIC_EXCEPTIONS.getOrDefault(type, Set.of());
        List<Constraint> list = new ArrayList<>();
        for (Constraint c : GENERIC) {
            if (!excepted.contains(c)) {
                list.add(c);
            }
        }
        list.addAll(SPECIFIC.getOrDefault(type, List.of()));
        return list;
    }

    static boolean isSupportedType(BuiltinOperator type) {
        return type != null && SUPPORTED_TYPES.contains(type);
    }

    // ---------------------------------------------------------------------------------------------------

    /** ifm, ifm2, weights and ofm; all present inputs when the operator has none of them. */
    private static List<Operand> checkedTensors(CheckedOperator op) {
        List<Operand> tensors = op.ifmIfm2WeightsOfm();
        return tensors.isEmpty() ? op.presentInputs() : tensors;
    }

    private static String typeList(Set<DataType> types) {
        return String.join(", ", types.stream().map(Operand::typeName).sorted().toList());
    }

    /** Vela's internal operator name of a fused activation, as its messages print it. */
    private static String activationOpName(Activation a) {
        return switch (a) {
            case RELU -> "Relu";
            case RELU6 -> "Relu6";
            case RELU_N1_TO_1 -> "ReluN1To1";
            case TANH -> "Tanh";
            case SIGN_BIT -> "SignBit";
            case NONE -> "None";
        };
    }

    /** The TFLite operator name of a fused activation (UNKNOWN for SIGN_BIT, which has no operator). */
    private static String activationBuiltinName(Activation a) {
        return a == Activation.SIGN_BIT ? "UNKNOWN" : a.name();
    }

    private static boolean inStrideRange(CheckedOperator op) {
        int w = op.strideW();
        int h = op.strideH();
        return STRIDE_MIN <= w && w <= STRIDE_MAX && STRIDE_MIN <= h && h <= STRIDE_MAX;
    }

    /**
     * Strides up to 3 in height (unless the output is one row) and, in width, any stride that Vela's
     * strided-convolution rewrite brings down to 3 or less by resizing the input (unless the output is one
     * column).
     */
    private static Constraint.Verdict strideWidthNoUpperLimit(CheckedOperator op) {
        int strideW = op.strideW();
        int strideH = op.strideH();
        List<Integer> in = op.ifm().shape();
        List<Integer> out = op.ofm().shape();
        int ifmWidth = in.get(2);
        int ofmHeight = out.get(1);
        int ofmWidth = out.get(2);
        boolean hValid = ofmHeight == 1 || (STRIDE_MIN <= strideH && strideH <= STRIDE_MAX);
        int optimisedStride = strideW > 1 ? ResizeFactor.of(ifmWidth, strideW).optimisedStride() : strideW;
        boolean wValid = ofmWidth == 1 || (STRIDE_MIN <= strideW && optimisedStride <= 3);
        return of(hValid && wValid, "Op has stride WxH as: " + strideW + "x" + strideH + ", ifm shape as: "
                + PythonText.list(in) + ", ofm shape as: " + PythonText.list(out));
    }

    private static long dilatedWidth(CheckedOperator op) {
        return (long) (op.kernelW() - 1) * op.dilationW() + 1;
    }

    private static long dilatedHeight(CheckedOperator op) {
        return (long) (op.kernelH() - 1) * op.dilationH() + 1;
    }

    /** Python's {@code len(bin(v)[2:]) <= 40}: a negative value's minus sign takes one of the 40 digits. */
    static boolean binaryDigitsFit40(long v) {
        int digits = v >= 0 ? Math.max(1, 64 - Long.numberOfLeadingZeros(v))
                : 1 + 64 - Long.numberOfLeadingZeros(-v);
        return digits <= 40;
    }

    private static boolean alignCorners(CheckedOperator op) {
        if (op.options() instanceof BuiltinOptions.ResizeBilinear r) {
            return r.alignCorners();
        }
        return op.options() instanceof BuiltinOptions.ResizeNearestNeighbor r && r.alignCorners();
    }

    private static boolean halfPixelCenters(CheckedOperator op) {
        if (op.options() instanceof BuiltinOptions.ResizeBilinear r) {
            return r.halfPixelCenters();
        }
        return op.options() instanceof BuiltinOptions.ResizeNearestNeighbor r && r.halfPixelCenters();
    }

    /** Python's true division; NaN for a zero divisor (which no valid factor equals). */
    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    private static List<Integer> trailing(List<Integer> shape, int size) {
        // Python's shape[-size:] is the whole shape when size is 0.
        return size == 0 ? shape : shape.subList(Math.max(0, shape.size() - size), shape.size());
    }

    private static boolean allPresent(CheckedOperator op, int from, int to) {
        for (int i = from; i < Math.min(to, op.inputs().size()); i++) {
            if (op.input(i) == null) {
                return false;
            }
        }
        return true;
    }

    private static boolean allAbsent(CheckedOperator op, int from, int to) {
        for (int i = from; i < Math.min(to, op.inputs().size()); i++) {
            if (op.input(i) != null) {
                return false;
            }
        }
        return true;
    }

    private static List<Constraint> concat(List<Constraint> a, List<Constraint> b) {
        List<Constraint> list = new ArrayList<>(a);
        list.addAll(b);
        return List.copyOf(list);
    }
}
