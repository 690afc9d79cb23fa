package npuc.frontend;

import java.util.EnumMap;
import java.util.Map;

import npuc.graph.BuiltinOperator;

/**
 * Operation types of the front end's graph: the TFLite builtins it knows plus the NPU-internal operations
 * the rewrites create (Vela's names). Each type knows its NPU block, where its ifm/ifm2/weights/bias
 * sit among the inputs, and the TFLite builtin it came from.
 */
public enum OpType {
    // Graph bookkeeping
    Placeholder(NpuBlockType.DEFAULT, Layout.NONE, null),
    Const(NpuBlockType.DEFAULT, Layout.NONE, null),
    SubgraphInput(NpuBlockType.DEFAULT, Layout.NONE, null),
    CustomNpuOp(NpuBlockType.DEFAULT, Layout.NONE, null),
    // Convolutions and matrix products
    Conv2DBias(NpuBlockType.CONVOLUTION_MXN, Layout.IFM_WEIGHTS_BIAS, BuiltinOperator.CONV_2D),
    DepthwiseConv2DBias(NpuBlockType.CONVOLUTION_DEPTHWISE, Layout.IFM_WEIGHTS_BIAS,
            BuiltinOperator.DEPTHWISE_CONV_2D),
    FullyConnected(NpuBlockType.VECTOR_PRODUCT, Layout.IFM_WEIGHTS_BIAS, BuiltinOperator.FULLY_CONNECTED),
    Conv2DBackpropInput(NpuBlockType.CONVOLUTION_MXN, Layout.TRANSPOSE_CONV, BuiltinOperator.TRANSPOSE_CONV),
    Conv2DBackpropInputSwitchedBias(NpuBlockType.CONVOLUTION_MXN, Layout.TRANSPOSE_CONV_SWITCHED, null),
    // Pooling family
    AvgPool(NpuBlockType.POOLING, Layout.IFM, BuiltinOperator.AVERAGE_POOL_2D),
    MaxPool(NpuBlockType.POOLING, Layout.IFM, BuiltinOperator.MAX_POOL_2D),
    ResizeBilinear(NpuBlockType.POOLING, Layout.IFM, BuiltinOperator.RESIZE_BILINEAR),
    ResizeNearestNeighbor(NpuBlockType.POOLING, Layout.IFM, BuiltinOperator.RESIZE_NEAREST_NEIGHBOR),
    ReduceSum(NpuBlockType.REDUCE_SUM, Layout.IFM, null),
    Memcpy(NpuBlockType.DMA, Layout.IFM, null),
    // Binary elementwise
    Add(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, BuiltinOperator.ADD),
    Sub(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, BuiltinOperator.SUB),
    Mul(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, BuiltinOperator.MUL),
    Maximum(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, BuiltinOperator.MAXIMUM),
    Minimum(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, BuiltinOperator.MINIMUM),
    SHL(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, null),
    SHR(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, null),
    SquaredDifference(NpuBlockType.ELEMENTWISE, Layout.IFM_IFM2, BuiltinOperator.SQUARED_DIFFERENCE),
    // Unary elementwise
    Abs(NpuBlockType.ELEMENTWISE, Layout.IFM, BuiltinOperator.ABS),
    CLZ(NpuBlockType.ELEMENTWISE, Layout.IFM, null),
    Exp(NpuBlockType.ELEMENTWISE, Layout.IFM, BuiltinOperator.EXP),
    LeakyRelu(NpuBlockType.ELEMENTWISE, Layout.IFM, BuiltinOperator.LEAKY_RELU),
    Log(NpuBlockType.ELEMENTWISE, Layout.IFM, BuiltinOperator.LOG),
    Rsqrt(NpuBlockType.ELEMENTWISE, Layout.IFM, BuiltinOperator.RSQRT),
    Sqrt(NpuBlockType.ELEMENTWISE, Layout.IFM, BuiltinOperator.SQRT),
    // Activations
    Relu(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.RELU),
    Relu6(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.RELU6),
    ReluN1To1(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.RELU_N1_TO_1),
    ReluN(NpuBlockType.DEFAULT, Layout.IFM, null),
    Clip(NpuBlockType.DEFAULT, Layout.IFM, null),
    Sigmoid(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.LOGISTIC),
    Tanh(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.TANH),
    Softmax(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.SOFTMAX),
    HardSwish(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.HARD_SWISH),
    Lut(NpuBlockType.DEFAULT, Layout.IFM, null),
    // Data movement and shape
    Quantize(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.QUANTIZE),
    Dequantize(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.DEQUANTIZE),
    Reshape(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.RESHAPE),
    Squeeze(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.SQUEEZE),
    ExpandDims(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.EXPAND_DIMS),
    Identity(NpuBlockType.DEFAULT, Layout.IFM, null),
    ConcatTFLite(NpuBlockType.DEFAULT, Layout.CONCAT, BuiltinOperator.CONCATENATION),
    Pack(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.PACK),
    PackReshaped(NpuBlockType.DEFAULT, Layout.IFM, null),
    Unpack(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.UNPACK),
    UnpackReshaped(NpuBlockType.DEFAULT, Layout.IFM, null),
    Split(NpuBlockType.DEFAULT, Layout.SPLIT, BuiltinOperator.SPLIT),
    SplitV(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.SPLIT_V),
    SplitSliceRead(NpuBlockType.DEFAULT, Layout.IFM, null),
    StridedSlice(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.STRIDED_SLICE),
    Slice(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.SLICE),
    Pad(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.PAD),
    Mean(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.MEAN),
    Transpose(NpuBlockType.DEFAULT, Layout.IFM_IFM2, BuiltinOperator.TRANSPOSE),
    Shape(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.SHAPE),
    ArgMax(NpuBlockType.DEFAULT, Layout.IFM, BuiltinOperator.ARG_MAX),
    Prelu(NpuBlockType.DEFAULT, Layout.IFM_IFM2, BuiltinOperator.PRELU),
    UnidirectionalSequenceLstm(NpuBlockType.DEFAULT, Layout.IFM_WEIGHTS, BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM),
    /** A TFLite builtin the NPU has no equivalent for; the op keeps its TFLite operator for printing. */
    CpuOnly(NpuBlockType.DEFAULT, Layout.NONE, null);

    /** Where ifm, ifm2, weights and bias are among an operation's inputs (-1: absent). */
    enum Layout {
        NONE(-1, -1, -1, -1), IFM(0, -1, -1, -1), IFM_IFM2(0, 1, -1, -1), IFM_WEIGHTS_BIAS(0, -1, 1, 2),
        IFM_WEIGHTS(0, -1, 1, -1), TRANSPOSE_CONV(2, -1, 1, 3), TRANSPOSE_CONV_SWITCHED(0, -1, 1, 3),
        CONCAT(1, 2, -1, -1), SPLIT(1, -1, -1, -1);

        final int ifm;
        final int ifm2;
        final int weights;
        final int bias;

        Layout(int ifm, int ifm2, int weights, int bias) {
            this.ifm = ifm;
            this.ifm2 = ifm2;
            this.weights = weights;
            this.bias = bias;
        }
    }

    private static final Map<BuiltinOperator, OpType> BY_BUILTIN = new EnumMap<>(BuiltinOperator.class);

    static {
        for (OpType t : values()) {
            if (t.builtin != null) {
                BY_BUILTIN.put(t.builtin, t);
            }
        }
    }

    private final NpuBlockType blockType;
    final Layout layout;
    private final BuiltinOperator builtin;

    OpType(NpuBlockType blockType, Layout layout, BuiltinOperator builtin) {
        this.blockType = blockType;
        this.layout = layout;
        this.builtin = builtin;
    }

    /** The front-end type of a TFLite builtin; {@link #CpuOnly} for builtins with no NPU lowering. */
    public static OpType ofBuiltin(BuiltinOperator op) {
        return op == null ? CpuOnly : BY_BUILTIN.getOrDefault(op, CpuOnly);
    }

    public NpuBlockType blockType() {
        return blockType;
    }

    /** The TFLite builtin this type stands for, or null for internal operations. */
    public BuiltinOperator builtin() {
        return builtin;
    }

    public boolean isRelu() {
        return this == Relu || this == Relu6 || this == ReluN1To1 || this == ReluN || this == Clip;
    }

    public boolean isBinaryElementwise() {
        return switch (this) {
            case Add, Sub, Mul, Maximum, Minimum, SHL, SHR, SquaredDifference -> true;
            default -> false;
        };
    }

    public boolean isUnaryElementwise() {
        return switch (this) {
            case Abs, CLZ, Exp, LeakyRelu, Log, Rsqrt, Sqrt -> true;
            default -> false;
        };
    }

    public boolean isElementwise() {
        return isBinaryElementwise() || isUnaryElementwise();
    }

    public boolean isMemoryOnly() {
        return this == Reshape || this == Squeeze || this == ExpandDims || this == Identity;
    }

    public boolean isConcat() {
        return this == ConcatTFLite || this == Pack || this == PackReshaped;
    }

    public boolean isSplit() {
        return this == Split || this == SplitV || this == StridedSlice || this == Slice || this == UnpackReshaped;
    }

    public boolean isConv2d() {
        return this == Conv2DBias;
    }

    public boolean isStartup() {
        return this == Const || this == Placeholder || this == SubgraphInput;
    }

    public boolean needsBias() {
        return layout.bias >= 0;
    }
}
