package npuc.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

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

/**
 * Builds quantized TFLite models ({@link Graph} values) the way TFLite's converter lays them out, for tests
 * and demos: int8 models with symmetric per-channel weights, or uint8 models with per-tensor asymmetric
 * quantization throughout.
 *
 * <p>The builder is a cursor over the model. Each operator method appends an operator that reads the current
 * tensor (or the nodes given) and makes its output the current tensor. The calls that follow an operator
 * ({@link #stride}, {@link #padding}, {@link #activation}, {@link #weights}, ...) configure that operator
 * until the next operator is added; a call that does not apply to it fails at once.
 *
 * <pre>{@code
 * Graph g = ModelBuilder.int8("tiny")
 *         .input(1, 32, 32, 3)
 *         .conv2d(8, 3, 3).stride(2, 2).padding(Padding.SAME).activation(Activation.RELU)
 *         .depthwiseConv2d(3, 3).activation(Activation.RELU6)
 *         .globalAveragePool()
 *         .reshape(1, -1)
 *         .fullyConnected(10)
 *         .softmax()
 *         .build();
 * }</pre>
 *
 * Branches take {@link Node} handles: {@link #node()} is the current tensor, {@link #from(Node)} moves the
 * cursor back to an earlier one, and the multi-input operators take nodes:
 *
 * <pre>{@code
 * ModelBuilder b = ModelBuilder.int8("residual").input(1, 16, 16, 8);
 * Node x = b.node();
 * Node y = b.conv2d(8, 3, 3).activation(Activation.RELU).node();
 * b.add(x, y).output();
 * }</pre>
 *
 * Weights are pseudo-random, drawn from {@link #seed(long)} (default 0), unless given with
 * {@link #weights(float...)} and {@link #bias(float...)}. The same calls with the same seed build an equal
 * graph. Invalid models (mismatched shapes, bad axes, filters larger than an unpadded input) are refused
 * with an {@link IllegalArgumentException} naming the operator; calls in an order that means nothing
 * (a stride on a reshape, an operator before any input) with an {@link IllegalStateException}.
 */
public final class ModelBuilder {

    /** A tensor of the model being built, to feed to later operators or to mark as a model output. */
    public static final class Node {
        private final ModelBuilder owner;
        private final int tensorIndex;
        private final String name;
        private final List<Integer> shape;
        private final Quantization quantization;
        private final DataType dataType;

        private Node(ModelBuilder owner, int tensorIndex, String name, List<Integer> shape,
                     Quantization quantization, DataType dataType) {
            this.owner = owner;
            this.tensorIndex = tensorIndex;
            this.name = name;
            this.shape = List.copyOf(shape);
            this.quantization = quantization;
            this.dataType = dataType;
        }

        /** The element type: the model's, except after QUANTIZE and DEQUANTIZE, or of constants. */
        public DataType dataType() {
            return dataType;
        }

        /** Index of the tensor in the subgraph's tensor list. */
        public int tensorIndex() {
            return tensorIndex;
        }

        public String name() {
            return name;
        }

        public List<Integer> shape() {
            return shape;
        }

        public int rank() {
            return shape.size();
        }

        public long elementCount() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        public Quantization quantization() {
            return quantization;
        }

        @Override
        public String toString() {
            return "'" + name + "' " + shape;
        }
    }

    /** The layers the builder can add; each maps to one TFLite operator (inputs add no operator). */
    private enum Kind {
        INPUT(null, "input"),
        CONV_2D(BuiltinOperator.CONV_2D, "conv2d"),
        DEPTHWISE_CONV_2D(BuiltinOperator.DEPTHWISE_CONV_2D, "depthwise_conv2d"),
        FULLY_CONNECTED(BuiltinOperator.FULLY_CONNECTED, "fully_connected"),
        AVERAGE_POOL_2D(BuiltinOperator.AVERAGE_POOL_2D, "average_pool"),
        MAX_POOL_2D(BuiltinOperator.MAX_POOL_2D, "max_pool"),
        ADD(BuiltinOperator.ADD, "add"),
        MUL(BuiltinOperator.MUL, "mul"),
        RESHAPE(BuiltinOperator.RESHAPE, "reshape"),
        SOFTMAX(BuiltinOperator.SOFTMAX, "softmax"),
        CONCATENATION(BuiltinOperator.CONCATENATION, "concatenation"),
        PAD(BuiltinOperator.PAD, "pad"),
        MEAN(BuiltinOperator.MEAN, "mean"),
        SUB(BuiltinOperator.SUB, "sub"),
        MAXIMUM(BuiltinOperator.MAXIMUM, "maximum"),
        MINIMUM(BuiltinOperator.MINIMUM, "minimum"),
        SQUARED_DIFFERENCE(BuiltinOperator.SQUARED_DIFFERENCE, "squared_difference"),
        LOGISTIC(BuiltinOperator.LOGISTIC, "logistic"),
        TANH(BuiltinOperator.TANH, "tanh"),
        HARD_SWISH(BuiltinOperator.HARD_SWISH, "hard_swish"),
        RELU(BuiltinOperator.RELU, "relu"),
        RELU6(BuiltinOperator.RELU6, "relu6"),
        LEAKY_RELU(BuiltinOperator.LEAKY_RELU, "leaky_relu"),
        EXP(BuiltinOperator.EXP, "exp"),
        LOG(BuiltinOperator.LOG, "log"),
        ABS(BuiltinOperator.ABS, "abs"),
        RSQRT(BuiltinOperator.RSQRT, "rsqrt"),
        QUANTIZE(BuiltinOperator.QUANTIZE, "quantize"),
        DEQUANTIZE(BuiltinOperator.DEQUANTIZE, "dequantize"),
        PRELU(BuiltinOperator.PRELU, "prelu"),
        RESIZE_BILINEAR(BuiltinOperator.RESIZE_BILINEAR, "resize_bilinear"),
        RESIZE_NEAREST_NEIGHBOR(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, "resize_nearest_neighbor"),
        TRANSPOSE_CONV(BuiltinOperator.TRANSPOSE_CONV, "transpose_conv"),
        SPLIT(BuiltinOperator.SPLIT, "split"),
        SPLIT_V(BuiltinOperator.SPLIT_V, "split_v"),
        STRIDED_SLICE(BuiltinOperator.STRIDED_SLICE, "strided_slice"),
        SLICE(BuiltinOperator.SLICE, "slice"),
        PACK(BuiltinOperator.PACK, "pack"),
        UNPACK(BuiltinOperator.UNPACK, "unpack"),
        TRANSPOSE(BuiltinOperator.TRANSPOSE, "transpose"),
        ARG_MAX(BuiltinOperator.ARG_MAX, "arg_max"),
        LSTM(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "lstm");

        final BuiltinOperator op;
        final String prefix;

        Kind(BuiltinOperator op, String prefix) {
            this.op = op;
            this.prefix = prefix;
        }

        String label() {
            return op == null ? "input" : op.name();
        }
    }

    private static final Set<Kind> WINDOWED = EnumSet.of(Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D,
            Kind.AVERAGE_POOL_2D, Kind.MAX_POOL_2D);
    private static final Set<Kind> CONVOLUTIONS = EnumSet.of(Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D);
    /** Operators taking a stride and a padding: the windowed ones and TRANSPOSE_CONV. */
    private static final Set<Kind> STRIDED = EnumSet.of(Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D,
            Kind.AVERAGE_POOL_2D, Kind.MAX_POOL_2D, Kind.TRANSPOSE_CONV);
    private static final Set<Kind> RESIZES = EnumSet.of(Kind.RESIZE_BILINEAR, Kind.RESIZE_NEAREST_NEIGHBOR);
    private static final Set<Kind> WEIGHTED = EnumSet.of(Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D,
            Kind.FULLY_CONNECTED);
    private static final Set<Kind> FUSED_ACTIVATION = EnumSet.of(Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D,
            Kind.FULLY_CONNECTED, Kind.AVERAGE_POOL_2D, Kind.MAX_POOL_2D, Kind.ADD, Kind.MUL, Kind.CONCATENATION);
    /**
     * Operators whose output may be requantized. TFLite's pooling, reshape and pad kernels require the
     * output quantization to equal the input's, and softmax's output quantization is fixed.
     */
    private static final Set<Kind> REQUANTIZING = EnumSet.of(Kind.INPUT, Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D,
            Kind.FULLY_CONNECTED, Kind.ADD, Kind.MUL, Kind.CONCATENATION, Kind.MEAN, Kind.SUB,
            Kind.SQUARED_DIFFERENCE, Kind.HARD_SWISH, Kind.RELU, Kind.RELU6, Kind.LEAKY_RELU, Kind.EXP, Kind.LOG,
            Kind.ABS, Kind.RSQRT, Kind.PRELU, Kind.TRANSPOSE_CONV, Kind.LOGISTIC, Kind.TANH, Kind.LSTM);
    /** The fused activations TFLite kernels (and Vela) implement for these operators. */
    private static final Set<Activation> SUPPORTED_ACTIVATIONS = EnumSet.of(Activation.NONE, Activation.RELU,
            Activation.RELU_N1_TO_1, Activation.RELU6);

    /** An operator as placed, before the operator-code table (and so the opcode index) is final. */
    private record PlacedOperator(BuiltinOperator op, int version, List<Integer> inputs, List<Integer> outputs,
                                  BuiltinOptions options, List<Integer> intermediates) {
        PlacedOperator(BuiltinOperator op, int version, List<Integer> inputs, List<Integer> outputs,
                       BuiltinOptions options) {
            this(op, version, inputs, outputs, options, List.of());
        }
    }

    /** Quantized weights and the scale of each output channel (repeated for per-tensor quantization). */
    private record QuantizedWeights(byte[] data, Quantization quantization, float[] channelScales) {
        /** Per-tensor weights seen per output channel: every channel has the one scale. */
        QuantizedWeights spreadOver(int channels) {
            float[] scales = new float[channels];
            Arrays.fill(scales, channelScales[0]);
            return new QuantizedWeights(data, quantization, scales);
        }
    }

    private final String modelName;
    private final DataType type;
    private final long qmin;
    private final long qmax;
    private SplittableRandom random = new SplittableRandom(0);

    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>(List.of(Buffer.EMPTY));
    private final List<PlacedOperator> operators = new ArrayList<>();
    private final List<Integer> modelInputs = new ArrayList<>();
    private final List<Integer> modelOutputs = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();
    private final Set<String> layerNames = new HashSet<>();
    private final Map<Kind, Integer> nameCounters = new EnumMap<>(Kind.class);

    private Node current;
    private Layer pending;
    /** The outputs of the operator placed last (several for SPLIT, SPLIT_V and UNPACK). */
    private List<Node> lastOutputs = List.of();

    private ModelBuilder(String modelName, DataType type) {
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.type = type;
        this.qmin = type == DataType.INT8 ? -128 : type == DataType.INT16 ? -32768 : 0;
        this.qmax = type == DataType.INT8 ? 127 : type == DataType.INT16 ? 32767 : 255;
    }

    /** A model with int8 feature maps and symmetric per-channel int8 weights, as TFLite's converter makes today. */
    public static ModelBuilder int8(String modelName) {
        return new ModelBuilder(modelName, DataType.INT8);
    }

    /** A model with uint8 feature maps and weights, quantized per tensor and asymmetrically (TFLite's older scheme). */
    public static ModelBuilder uint8(String modelName) {
        return new ModelBuilder(modelName, DataType.UINT8);
    }

    /**
     * A model with int16 feature maps quantized symmetrically (zero point 0), symmetric per-channel int8 weights
     * and int64 biases: TFLite's 16x8 scheme.
     */
    public static ModelBuilder int16(String modelName) {
        return new ModelBuilder(modelName, DataType.INT16);
    }

    /** A model of this activation type: INT8, UINT8 or INT16. */
    public static ModelBuilder of(DataType type, String modelName) {
        return switch (type) {
            case INT8, UINT8, INT16 -> new ModelBuilder(modelName, type);
            default -> throw new IllegalArgumentException("the builder makes INT8, UINT8 or INT16 models, not " + type);
        };
    }

    public DataType dataType() {
        return type;
    }

    /** Seeds the weights of the operators added after this call. */
    public ModelBuilder seed(long seed) {
        commit();
        random = new SplittableRandom(seed);
        return this;
    }

    // ---------------------------------------------------------------------------------------------------
    // Operators

    /**
     * Adds a model input of this shape and makes it the current tensor. Its quantization defaults to that
     * of an image scaled to [0, 1]; {@link #quantization(float, long)} changes it.
     */
    public ModelBuilder input(int... shape) {
        Layer layer = begin(Kind.INPUT, List.of());
        if (shape.length == 0) {
            throw layer.invalid("needs a shape with at least one dimension");
        }
        for (int d : shape) {
            if (d <= 0) {
                throw layer.invalid("shape " + Arrays.toString(shape) + " has a dimension that is not positive");
            }
        }
        layer.dims = shape.clone();
        return open(layer);
    }

    /** CONV_2D with {@code filters} output channels and a kernelHeight x kernelWidth kernel; stride 1, SAME padding. */
    public ModelBuilder conv2d(int filters, int kernelHeight, int kernelWidth) {
        Layer layer = begin(Kind.CONV_2D, List.of(requireCurrent("conv2d")));
        if (filters <= 0) {
            throw layer.invalid("filters must be positive, was " + filters);
        }
        layer.filters = filters;
        setKernel(layer, kernelHeight, kernelWidth);
        return open(layer);
    }

    /** DEPTHWISE_CONV_2D with a kernelHeight x kernelWidth kernel; depth multiplier 1, stride 1, SAME padding. */
    public ModelBuilder depthwiseConv2d(int kernelHeight, int kernelWidth) {
        Layer layer = begin(Kind.DEPTHWISE_CONV_2D, List.of(requireCurrent("depthwiseConv2d")));
        setKernel(layer, kernelHeight, kernelWidth);
        return open(layer);
    }

    /**
     * FULLY_CONNECTED with {@code units} outputs. The input's last dimension is the number of inputs of each
     * unit; the other dimensions are batches, flattened as TFLite does unless {@link #keepNumDims} is set.
     */
    public ModelBuilder fullyConnected(int units) {
        Layer layer = begin(Kind.FULLY_CONNECTED, List.of(requireCurrent("fullyConnected")));
        if (units <= 0) {
            throw layer.invalid("units must be positive, was " + units);
        }
        layer.filters = units;
        return open(layer);
    }

    /** AVERAGE_POOL_2D with a filterHeight x filterWidth window; the stride defaults to the window, padding to VALID. */
    public ModelBuilder averagePool(int filterHeight, int filterWidth) {
        return pool(Kind.AVERAGE_POOL_2D, "averagePool", filterHeight, filterWidth);
    }

    /** MAX_POOL_2D with a filterHeight x filterWidth window; the stride defaults to the window, padding to VALID. */
    public ModelBuilder maxPool(int filterHeight, int filterWidth) {
        return pool(Kind.MAX_POOL_2D, "maxPool", filterHeight, filterWidth);
    }

    /** AVERAGE_POOL_2D over the whole height and width of the current NHWC tensor. */
    public ModelBuilder globalAveragePool() {
        Node in = requireCurrent("globalAveragePool");
        if (in.rank() != 4) {
            throw new IllegalArgumentException("globalAveragePool needs a 4-D NHWC input; " + in + " has rank "
                    + in.rank());
        }
        return averagePool(in.shape().get(1), in.shape().get(2));
    }

    /** ADD of the current tensor and {@code other}. */
    public ModelBuilder add(Node other) {
        return add(requireCurrent("add"), other);
    }

    /** ADD of two tensors of equal or broadcast-compatible shapes. */
    public ModelBuilder add(Node a, Node b) {
        return open(elementwise(Kind.ADD, a, b));
    }

    /** MUL of the current tensor and {@code other}. */
    public ModelBuilder mul(Node other) {
        return mul(requireCurrent("mul"), other);
    }

    /** MUL of two tensors of equal or broadcast-compatible shapes. */
    public ModelBuilder mul(Node a, Node b) {
        return open(elementwise(Kind.MUL, a, b));
    }

    /**
     * RESHAPE of the current tensor; one dimension may be -1, inferred from the element count. The resolved
     * shape goes both into the options and into an int32 shape tensor, as TFLite's converter writes it.
     */
    public ModelBuilder reshape(int... newShape) {
        Layer layer = begin(Kind.RESHAPE, List.of(requireCurrent("reshape")));
        layer.newShape = newShape.clone();
        return open(layer);
    }

    /** SOFTMAX over the last dimension of the current tensor, beta 1. */
    public ModelBuilder softmax() {
        return open(begin(Kind.SOFTMAX, List.of(requireCurrent("softmax"))));
    }

    /** CONCATENATION of these tensors (at least two) along {@code axis}; a negative axis counts from the end. */
    public ModelBuilder concatenation(int axis, Node... inputs) {
        List<Node> nodes = List.of(inputs);
        Layer layer = begin(Kind.CONCATENATION, nodes);
        if (nodes.size() < 2) {
            throw layer.invalid("needs at least two inputs, was given " + nodes.size());
        }
        layer.axis = axis;
        return open(layer);
    }

    /**
     * PAD of the current tensor with its zero point: {@code beforeAndAfter} holds, for each dimension in order,
     * the elements added before and after it (so {@code pad(0, 0, 1, 1, 2, 2, 0, 0)} pads an NHWC tensor by one
     * row above and below and two columns left and right).
     */
    public ModelBuilder pad(int... beforeAndAfter) {
        Layer layer = begin(Kind.PAD, List.of(requireCurrent("pad")));
        layer.paddings = beforeAndAfter.clone();
        return open(layer);
    }

    /** MEAN of the current tensor over these axes (negative ones count from the end), keeping the reduced dimensions. */
    public ModelBuilder mean(int... axes) {
        Layer layer = begin(Kind.MEAN, List.of(requireCurrent("mean")));
        layer.axes = axes.clone();
        return open(layer);
    }

    /** SUB of two tensors of equal or broadcast-compatible shapes. */
    public ModelBuilder sub(Node a, Node b) {
        return open(elementwise(Kind.SUB, a, b));
    }

    /** MAXIMUM of two tensors; the output keeps the first input's quantization, as the NPU needs. */
    public ModelBuilder maximum(Node a, Node b) {
        return open(elementwise(Kind.MAXIMUM, a, b));
    }

    /** MINIMUM of two tensors; the output keeps the first input's quantization, as the NPU needs. */
    public ModelBuilder minimum(Node a, Node b) {
        return open(elementwise(Kind.MINIMUM, a, b));
    }

    /** SQUARED_DIFFERENCE of two tensors. */
    public ModelBuilder squaredDifference(Node a, Node b) {
        return open(elementwise(Kind.SQUARED_DIFFERENCE, a, b));
    }

    /** LOGISTIC (sigmoid); the output has TFLite's fixed quantization of [0, 1). */
    public ModelBuilder logistic() {
        return unary(Kind.LOGISTIC);
    }

    /** TANH; the output has TFLite's fixed quantization of [-1, 1). */
    public ModelBuilder tanh() {
        return unary(Kind.TANH);
    }

    public ModelBuilder hardSwish() {
        return unary(Kind.HARD_SWISH);
    }

    public ModelBuilder relu() {
        return unary(Kind.RELU);
    }

    public ModelBuilder relu6() {
        return unary(Kind.RELU6);
    }

    /** LEAKY_RELU with slope {@code alpha} for negative inputs. */
    public ModelBuilder leakyRelu(float alpha) {
        Layer layer = begin(Kind.LEAKY_RELU, List.of(requireCurrent("leakyRelu")));
        layer.alpha = alpha;
        return open(layer);
    }

    public ModelBuilder exp() {
        return unary(Kind.EXP);
    }

    public ModelBuilder log() {
        return unary(Kind.LOG);
    }

    public ModelBuilder abs() {
        return unary(Kind.ABS);
    }

    public ModelBuilder rsqrt() {
        return unary(Kind.RSQRT);
    }

    /** QUANTIZE of the current tensor to {@code dataType} (INT8, UINT8, INT16 or INT32) with this scale and zero point. */
    public ModelBuilder quantize(DataType dataType, float scale, long zeroPoint) {
        Layer layer = begin(Kind.QUANTIZE, List.of(requireCurrent("quantize")));
        layer.outputType = Objects.requireNonNull(dataType, "dataType");
        layer.quantization = Quantization.perTensor(scale, zeroPoint);
        return open(layer);
    }

    /** DEQUANTIZE of the current tensor to float32. */
    public ModelBuilder dequantize() {
        Layer layer = begin(Kind.DEQUANTIZE, List.of(requireCurrent("dequantize")));
        layer.outputType = DataType.FLOAT32;
        return open(layer);
    }

    /** PRELU with one slope per channel of the current tensor, stored as a constant of shape [1, 1, channels]. */
    public ModelBuilder prelu(float... alpha) {
        Layer layer = begin(Kind.PRELU, List.of(requireCurrent("prelu")));
        int channels = layer.in().shape().get(layer.in().rank() - 1);
        if (alpha.length != channels) {
            throw layer.invalid("needs one slope per channel (" + channels + "), was given " + alpha.length);
        }
        layer.floats = alpha.clone();
        return open(layer);
    }

    /** RESIZE_BILINEAR of the current NHWC tensor to height x width. */
    public ModelBuilder resizeBilinear(int height, int width) {
        return resize(Kind.RESIZE_BILINEAR, height, width);
    }

    /** RESIZE_NEAREST_NEIGHBOR of the current NHWC tensor to height x width. */
    public ModelBuilder resizeNearestNeighbor(int height, int width) {
        return resize(Kind.RESIZE_NEAREST_NEIGHBOR, height, width);
    }

    /** A resize's align_corners and half_pixel_centers options. */
    public ModelBuilder resizeOptions(boolean alignCorners, boolean halfPixelCenters) {
        Layer layer = requirePending("resizeOptions", RESIZES);
        layer.alignCorners = alignCorners;
        layer.halfPixelCenters = halfPixelCenters;
        return this;
    }

    /**
     * TRANSPOSE_CONV with {@code filters} output channels and a kernelHeight x kernelWidth kernel; stride 1, SAME
     * padding. The output is the input times the stride (SAME) or that plus the kernel overhang (VALID).
     */
    public ModelBuilder transposeConv(int filters, int kernelHeight, int kernelWidth) {
        Layer layer = begin(Kind.TRANSPOSE_CONV, List.of(requireCurrent("transposeConv")));
        if (filters <= 0) {
            throw layer.invalid("filters must be positive, was " + filters);
        }
        layer.filters = filters;
        setKernel(layer, kernelHeight, kernelWidth);
        return open(layer);
    }

    /** SPLIT of the current tensor into {@code parts} equal parts along {@code axis}; see {@link #nodes()}. */
    public ModelBuilder split(int axis, int parts) {
        Layer layer = begin(Kind.SPLIT, List.of(requireCurrent("split")));
        layer.axis = axis;
        layer.ints = new int[]{parts};
        return open(layer);
    }

    /** SPLIT_V of the current tensor into parts of these sizes along {@code axis}; see {@link #nodes()}. */
    public ModelBuilder splitV(int axis, int... sizes) {
        Layer layer = begin(Kind.SPLIT_V, List.of(requireCurrent("splitV")));
        layer.axis = axis;
        layer.ints = sizes.clone();
        return open(layer);
    }

    /**
     * STRIDED_SLICE [begin, end) of the current tensor with strides 1; the axes in {@code shrinkAxisMask} are
     * dropped from the output (they must be one element long).
     */
    public ModelBuilder stridedSlice(int[] begin, int[] end, int shrinkAxisMask) {
        Layer layer = begin(Kind.STRIDED_SLICE, List.of(requireCurrent("stridedSlice")));
        layer.ints = begin.clone();
        layer.ints2 = end.clone();
        layer.mask = shrinkAxisMask;
        return open(layer);
    }

    /** SLICE of {@code size} elements from {@code begin} in each dimension of the current tensor. */
    public ModelBuilder slice(int[] begin, int[] size) {
        Layer layer = begin(Kind.SLICE, List.of(requireCurrent("slice")));
        layer.ints = begin.clone();
        layer.ints2 = size.clone();
        return open(layer);
    }

    /** PACK (stack) of tensors of one shape along a new axis {@code axis}. */
    public ModelBuilder pack(int axis, Node... inputs) {
        Layer layer = begin(Kind.PACK, List.of(inputs));
        layer.axis = axis;
        return open(layer);
    }

    /** UNPACK (unstack) of the current tensor along {@code axis}, one output per element of it; see {@link #nodes()}. */
    public ModelBuilder unpack(int axis) {
        Layer layer = begin(Kind.UNPACK, List.of(requireCurrent("unpack")));
        layer.axis = axis;
        return open(layer);
    }

    /** TRANSPOSE of the current tensor by the permutation {@code perm}. */
    public ModelBuilder transpose(int... perm) {
        Layer layer = begin(Kind.TRANSPOSE, List.of(requireCurrent("transpose")));
        layer.ints = perm.clone();
        return open(layer);
    }

    /** ARG_MAX over the last axis of the current tensor, with an {@code outputType} (INT32 or INT64) output. */
    public ModelBuilder argMax(DataType outputType) {
        Layer layer = begin(Kind.ARG_MAX, List.of(requireCurrent("argMax")));
        layer.outputType = Objects.requireNonNull(outputType, "outputType");
        return open(layer);
    }

    /**
     * UNIDIRECTIONAL_SEQUENCE_LSTM with {@code units} cells over the current [batch, time, features] tensor, as
     * TFLite's integer LSTM lays it out: input and recurrent weights of the four gates, their biases, variable
     * output and cell states, no peephole, projection or layer normalisation, and five intermediates.
     */
    public ModelBuilder lstm(int units) {
        Layer layer = begin(Kind.LSTM, List.of(requireCurrent("lstm")));
        if (units <= 0) {
            throw layer.invalid("units must be positive, was " + units);
        }
        layer.filters = units;
        return open(layer);
    }

    /** A constant scalar of the model's type quantized to hold {@code value}, to feed elementwise operators. */
    public Node scalar(String name, float value) {
        float scale = Math.max(Math.abs(value), 1e-6f) / (type == DataType.UINT8 ? 255 : qmax);
        long zeroPoint = type != DataType.UINT8 ? 0 : (value < 0 ? 255 : 0);
        return scalar(name, value, scale, zeroPoint);
    }

    /** A constant scalar of the model's type holding {@code value} with this scale and zero point. */
    public Node scalar(String name, float value, float scale, long zeroPoint) {
        return constant(name, scale, zeroPoint, new float[]{value});
    }

    /** A constant tensor of the model's type holding {@code values} (row-major) quantized with this scale and zero point. */
    public Node constant(String name, float scale, long zeroPoint, float[] values, int... shape) {
        commit();
        int count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("constant '" + name + "' of shape " + Arrays.toString(shape) + " needs "
                    + count + " values, was given " + values.length);
        }
        long[] quantized = new long[values.length];
        for (int i = 0; i < quantized.length; i++) {
            quantized[i] = clamp(Math.round(values[i] / scale) + zeroPoint, qmin, qmax);
        }
        byte[] data = elementBytes(type, quantized);
        Quantization quantization = Quantization.perTensor(scale, zeroPoint);
        int index = constant(name, type, box(shape), data, quantization);
        return new Node(this, index, name, box(shape), quantization, type);
    }

    /**
     * A constant tensor of the model's type with pseudo-random values in [-1, 1] drawn from {@link #seed(long)},
     * quantized symmetrically (uint8: about zero point 128) to hold them.
     */
    public Node constant(String name, int... shape) {
        commit();
        int count = 1;
        for (int d : shape) {
            count *= d;
        }
        SplittableRandom r = random.split();
        float[] values = new float[count];
        float max = 1e-3f;
        for (int i = 0; i < count; i++) {
            values[i] = (float) r.nextDouble(-1, 1);
            max = Math.max(max, Math.abs(values[i]));
        }
        float scale = type == DataType.UINT8 ? 2 * max / 255 : max / qmax;
        return constant(name, scale, type == DataType.UINT8 ? 128 : 0, values, shape);
    }

    /** The outputs of the operator added last, in order (one, except for SPLIT, SPLIT_V and UNPACK). */
    public List<Node> nodes() {
        commit();
        return lastOutputs;
    }

    private ModelBuilder unary(Kind kind) {
        return open(begin(kind, List.of(requireCurrent(kind.prefix))));
    }

    private ModelBuilder resize(Kind kind, int height, int width) {
        Layer layer = begin(kind, List.of(requireCurrent(kind.prefix)));
        if (height <= 0 || width <= 0) {
            throw layer.invalid("output size must be positive, was " + height + "x" + width);
        }
        layer.ints = new int[]{height, width};
        return open(layer);
    }

    // ---------------------------------------------------------------------------------------------------
    // Settings of the operator just added

    /** Names the operator's output tensor (and prefixes its constants' names); names must be unique. */
    public ModelBuilder name(String name) {
        Layer layer = requirePending("name", EnumSet.allOf(Kind.class));
        if (name == null || name.isEmpty()) {
            throw layer.invalid("name must not be empty");
        }
        if (layerNames.contains(name) || tensorNames.contains(name)) {
            throw layer.invalid("name '" + name + "' is already used in model '" + modelName + "'");
        }
        layerNames.remove(layer.name);
        layer.name = name;
        layerNames.add(name);
        return this;
    }

    /** Stride along height and width. */
    public ModelBuilder stride(int height, int width) {
        Layer layer = requirePending("stride", STRIDED).copy();
        if (height <= 0 || width <= 0) {
            throw layer.invalid("strides must be positive, were " + height + "x" + width);
        }
        layer.strideH = height;
        layer.strideW = width;
        return adopt(layer);
    }

    public ModelBuilder padding(Padding padding) {
        Layer layer = requirePending("padding", STRIDED).copy();
        layer.padding = Objects.requireNonNull(padding, "padding");
        return adopt(layer);
    }

    /** Dilation along height and width. */
    public ModelBuilder dilation(int height, int width) {
        Layer layer = requirePending("dilation", CONVOLUTIONS).copy();
        if (height <= 0 || width <= 0) {
            throw layer.invalid("dilation factors must be positive, were " + height + "x" + width);
        }
        layer.dilationH = height;
        layer.dilationW = width;
        return adopt(layer);
    }

    /** Fused activation: NONE, RELU, RELU_N1_TO_1 or RELU6. */
    public ModelBuilder activation(Activation activation) {
        Layer layer = requirePending("activation", FUSED_ACTIVATION);
        Objects.requireNonNull(activation, "activation");
        if (!SUPPORTED_ACTIVATIONS.contains(activation)) {
            throw layer.invalid("fused activation " + activation + " is not supported; use one of "
                    + SUPPORTED_ACTIVATIONS);
        }
        layer.activation = activation;
        return this;
    }

    /**
     * Splits a CONV_2D into {@code groups} convolutions over equal parts of the input channels (grouped
     * convolution: each filter sees input channels / groups channels).
     */
    public ModelBuilder groups(int groups) {
        Layer layer = requirePending("groups", EnumSet.of(Kind.CONV_2D)).copy();
        int channels = layer.in().shape().get(layer.in().rank() - 1);
        if (groups <= 0 || channels % groups != 0 || layer.filters % groups != 0) {
            throw layer.invalid(groups + " groups do not divide " + channels + " input channels and " + layer.filters
                    + " filters");
        }
        layer.groups = groups;
        return adopt(layer);
    }

    /** Output channels per input channel of a depthwise convolution. */
    public ModelBuilder depthMultiplier(int multiplier) {
        Layer layer = requirePending("depthMultiplier", EnumSet.of(Kind.DEPTHWISE_CONV_2D)).copy();
        if (multiplier <= 0) {
            throw layer.invalid("depth multiplier must be positive, was " + multiplier);
        }
        layer.depthMultiplier = multiplier;
        return adopt(layer);
    }

    /**
     * Weights quantized per output channel (the default for convolutions) or per tensor (the default for
     * FULLY_CONNECTED).
     */
    public ModelBuilder perChannelWeights(boolean perChannel) {
        requirePending("perChannelWeights", EnumSet.of(Kind.CONV_2D, Kind.DEPTHWISE_CONV_2D, Kind.FULLY_CONNECTED,
                Kind.TRANSPOSE_CONV)).perChannel = perChannel;
        return this;
    }

    /** The element type of a model input, when it is not the model's (INT8, UINT8, INT16 or INT32). */
    public ModelBuilder inputType(DataType dataType) {
        requirePending("inputType", EnumSet.of(Kind.INPUT)).outputType = Objects.requireNonNull(dataType, "dataType");
        return this;
    }

    /** An LSTM's cell clip: cell states are clamped to [-clip, clip]; 0 (the default) clamps nothing. */
    public ModelBuilder cellClip(float clip) {
        Layer layer = requirePending("cellClip", EnumSet.of(Kind.LSTM));
        if (!(clip >= 0) || Float.isInfinite(clip)) {
            throw layer.invalid("cell clip must be 0 or positive and finite, was " + clip);
        }
        layer.cellClip = clip;
        return this;
    }

    /** Whether FULLY_CONNECTED keeps the input's leading dimensions instead of flattening them into batches. */
    public ModelBuilder keepNumDims(boolean keep) {
        requirePending("keepNumDims", EnumSet.of(Kind.FULLY_CONNECTED)).keepNumDims = keep;
        return this;
    }

    /** Whether MEAN keeps the reduced dimensions (as size 1); true unless set. */
    public ModelBuilder keepDims(boolean keep) {
        requirePending("keepDims", EnumSet.of(Kind.MEAN)).keepDims = keep;
        return this;
    }

    /** SOFTMAX's beta (the inverse temperature). */
    public ModelBuilder beta(float beta) {
        Layer layer = requirePending("beta", EnumSet.of(Kind.SOFTMAX));
        if (!(beta > 0) || Float.isInfinite(beta)) {
            throw layer.invalid("beta must be positive and finite, was " + beta);
        }
        layer.beta = beta;
        return this;
    }

    /**
     * Real-valued weights, in TFLite's layout: CONV_2D [outputChannels, kernelHeight, kernelWidth, inputChannels],
     * DEPTHWISE_CONV_2D [1, kernelHeight, kernelWidth, inputChannels * depthMultiplier], FULLY_CONNECTED
     * [units, inputs]. They are quantized like TFLite's converter does (per output channel for int8).
     * Set the shape-changing settings (depth multiplier) first.
     */
    public ModelBuilder weights(float... values) {
        Layer layer = requirePending("weights", WEIGHTED).copy();
        layer.weights = values.clone();
        return adopt(layer);
    }

    /** Real-valued biases, one per output channel; quantized to int32 with scale input scale x weight scale. */
    public ModelBuilder bias(float... values) {
        Layer layer = requirePending("bias", WEIGHTED).copy();
        layer.bias = values.clone();
        return adopt(layer);
    }

    /**
     * Sets the output quantization (of an input, the input's own). Without it the builder derives one from
     * the input ranges, the weights and the activation, as calibration would.
     */
    public ModelBuilder quantization(float scale, long zeroPoint) {
        Layer layer = requirePending("quantization", REQUANTIZING);
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw layer.invalid("scale must be positive and finite, was " + scale);
        }
        DataType of = layer.outputType != null ? layer.outputType : type;
        long low = of == DataType.UINT8 ? 0 : of == DataType.INT16 ? -32768 : of == DataType.INT8 ? -128 : qmin;
        long high = of == DataType.UINT8 ? 255 : of == DataType.INT16 ? 32767 : of == DataType.INT8 ? 127 : qmax;
        if (zeroPoint < low || zeroPoint > high) {
            throw layer.invalid("zero point " + zeroPoint + " is outside the " + of + " range [" + low + ", "
                    + high + "]");
        }
        layer.quantization = Quantization.perTensor(scale, zeroPoint);
        return this;
    }

    // ---------------------------------------------------------------------------------------------------
    // Cursor and outputs

    /** The current tensor, for branches; fixes the operator just added. */
    public Node node() {
        commit();
        if (current == null) {
            throw new IllegalStateException("model '" + modelName + "' has no tensor yet: call input(...) first");
        }
        return current;
    }

    /** Makes {@code node} the current tensor, to continue from it. */
    public ModelBuilder from(Node node) {
        commit();
        current = own(node, "from");
        return this;
    }

    /** Marks the current tensor as a model output. */
    public ModelBuilder output() {
        return output(node());
    }

    /** Marks these tensors as model outputs, in this order. */
    public ModelBuilder output(Node... nodes) {
        commit();
        for (Node node : nodes) {
            own(node, "output");
            if (modelOutputs.contains(node.tensorIndex)) {
                throw new IllegalArgumentException("tensor " + node + " is already an output of model '"
                        + modelName + "'");
            }
            modelOutputs.add(node.tensorIndex);
        }
        return this;
    }

    /** The model. Without explicit outputs, the current tensor is the only output. */
    public Graph build() {
        commit();
        if (operators.isEmpty()) {
            throw new IllegalStateException("model '" + modelName + "' has no operators");
        }
        List<Integer> outputs = modelOutputs.isEmpty() ? List.of(current.tensorIndex) : modelOutputs;

        // One code per builtin, in order of first use, at the highest version any of its operators needs.
        Map<BuiltinOperator, Integer> codeIndex = new LinkedHashMap<>();
        Map<BuiltinOperator, Integer> versions = new EnumMap<>(BuiltinOperator.class);
        for (PlacedOperator op : operators) {
            codeIndex.putIfAbsent(op.op(), codeIndex.size());
            versions.merge(op.op(), op.version(), Math::max);
        }
        List<OperatorCode> codes = codeIndex.keySet().stream()
                .map(op -> new OperatorCode(op.code(), null, versions.get(op)))
                .toList();
        List<Operator> ops = operators.stream()
                .map(op -> new Operator(codeIndex.get(op.op()), op.inputs(), op.outputs(), op.intermediates(),
                        op.options(), null, List.of()))
                .toList();
        Subgraph main = new Subgraph("main", tensors, modelInputs, outputs, ops);
        return new Graph(3, "npuc ModelBuilder: " + modelName, codes, List.of(main), buffers, List.of(), List.of());
    }

    /** The model as TFLite flatbuffer bytes. */
    public byte[] toBytes() {
        return TfliteWriter.write(build());
    }

    // ---------------------------------------------------------------------------------------------------
    // Example networks

    /**
     * A small keyword-spotting network in the style of DS-CNN: a 10x4 strided convolution over 49 frames of 10
     * MFCC features, two depthwise-separable blocks, global average pooling and a 12-way classifier. int8.
     */
    public static ModelBuilder keywordSpotting() {
        ModelBuilder b = int8("keyword_spotting").seed(1)
                .input(1, 49, 10, 1).quantization(0.5f, -20)
                .conv2d(32, 10, 4).stride(2, 2).activation(Activation.RELU);
        for (int block = 0; block < 2; block++) {
            b.depthwiseConv2d(3, 3).activation(Activation.RELU)
                    .conv2d(32, 1, 1).activation(Activation.RELU);
        }
        return b.globalAveragePool()
                .reshape(1, -1)
                .fullyConnected(12)
                .softmax()
                .output();
    }

    /**
     * A MobileNetV2-style inverted residual block on a 32x32x16 feature map: 1x1 expansion to 64 channels with
     * RELU6, 3x3 depthwise with RELU6, 1x1 linear projection back to 16 channels, and a residual ADD of the
     * block's input; then a mean over height and width and a 10-way classifier. int8.
     */
    public static ModelBuilder mobileNetBlock() {
        ModelBuilder b = int8("mobilenet_block").seed(2)
                .input(1, 32, 32, 16).quantization(0.05f, 3);
        Node blockInput = b.node();
        b.conv2d(64, 1, 1).activation(Activation.RELU6)
                .depthwiseConv2d(3, 3).activation(Activation.RELU6)
                .conv2d(16, 1, 1);
        return b.add(blockInput, b.node())
                .mean(1, 2).keepDims(false)
                .fullyConnected(10)
                .softmax()
                .output();
    }

    /**
     * Every operator the builder supports in one small model of the given type (INT8 or UINT8): two branches
     * from a padded input joined by CONCATENATION, pooling of both kinds, MUL and ADD, and a classifier.
     */
    public static ModelBuilder everyOperator(DataType type) {
        ModelBuilder b = switch (type) {
            case INT8 -> int8("every_operator");
            case UINT8 -> uint8("every_operator");
            default -> throw new IllegalArgumentException("the builder makes INT8 or UINT8 models, not " + type);
        };
        b.seed(3).input(1, 16, 16, 4).pad(0, 0, 1, 1, 1, 1, 0, 0);
        Node padded = b.node();
        Node conv = b.conv2d(8, 3, 3).padding(Padding.VALID).activation(Activation.RELU).node();
        Node depthwise = b.from(padded).depthwiseConv2d(3, 3).depthMultiplier(2).padding(Padding.VALID).node();
        Node product = b.mul(conv, depthwise).node();
        Node sum = b.add(product, conv).activation(Activation.RELU6).node();
        b.concatenation(3, sum, depthwise)
                .maxPool(2, 2)
                .averagePool(2, 2)
                .mean(1, 2)
                .reshape(1, -1)
                .fullyConnected(10)
                .softmax();
        return b.output();
    }

    // ---------------------------------------------------------------------------------------------------
    // Layers in progress

    /** The operator added last, still open to settings until the next one is added. */
    private final class Layer {
        final Kind kind;
        final List<Node> inputs;
        String name;
        int[] dims;
        int filters;
        int kernelH;
        int kernelW;
        int strideH = 1;
        int strideW = 1;
        int dilationH = 1;
        int dilationW = 1;
        int depthMultiplier = 1;
        Padding padding = Padding.SAME;
        Activation activation = Activation.NONE;
        boolean keepNumDims;
        boolean keepDims = true;
        float beta = 1f;
        int axis;
        int[] newShape;
        int[] paddings;
        int[] axes;
        float[] weights;
        float[] bias;
        Quantization quantization;
        DataType outputType;
        int groups = 1;
        float alpha;
        boolean alignCorners;
        boolean halfPixelCenters;
        int[] ints;
        int[] ints2;
        int mask;
        float[] floats;
        /** Per-channel (true) or per-tensor (false) weights; null for the operator's usual kind. */
        Boolean perChannel;
        float cellClip;

        Layer(Kind kind, List<Node> inputs, String name) {
            this.kind = kind;
            this.inputs = inputs;
            this.name = name;
        }

        Node in() {
            return inputs.get(0);
        }

        Layer copy() {
            Layer c = new Layer(kind, inputs, name);
            c.dims = dims;
            c.filters = filters;
            c.kernelH = kernelH;
            c.kernelW = kernelW;
            c.strideH = strideH;
            c.strideW = strideW;
            c.dilationH = dilationH;
            c.dilationW = dilationW;
            c.depthMultiplier = depthMultiplier;
            c.padding = padding;
            c.activation = activation;
            c.keepNumDims = keepNumDims;
            c.keepDims = keepDims;
            c.beta = beta;
            c.axis = axis;
            c.newShape = newShape;
            c.paddings = paddings;
            c.axes = axes;
            c.weights = weights;
            c.bias = bias;
            c.quantization = quantization;
            c.outputType = outputType;
            c.groups = groups;
            c.alpha = alpha;
            c.alignCorners = alignCorners;
            c.halfPixelCenters = halfPixelCenters;
            c.ints = ints;
            c.ints2 = ints2;
            c.mask = mask;
            c.floats = floats;
            c.perChannel = perChannel;
            c.cellClip = cellClip;
            return c;
        }

        IllegalArgumentException invalid(String problem) {
            return new IllegalArgumentException(kind.label() + " '" + name + "' in model '" + modelName + "': "
                    + problem);
        }

        String describeInput() {
            return inputs.size() == 1 ? "input " + in() : "inputs " + inputs;
        }
    }

    private Layer begin(Kind kind, List<Node> inputs) {
        commit();
        for (Node node : inputs) {
            own(node, kind.prefix);
        }
        return new Layer(kind, inputs, autoName(kind));
    }

    private ModelBuilder open(Layer layer) {
        outputShape(layer);
        layerNames.add(layer.name);
        pending = layer;
        return this;
    }

    /** Replaces the open layer by a changed copy, once the copy is known valid: a refused setting changes nothing. */
    private ModelBuilder adopt(Layer changed) {
        outputShape(changed);
        pending = changed;
        return this;
    }

    private ModelBuilder pool(Kind kind, String method, int filterHeight, int filterWidth) {
        Layer layer = begin(kind, List.of(requireCurrent(method)));
        setKernel(layer, filterHeight, filterWidth);
        layer.strideH = filterHeight;
        layer.strideW = filterWidth;
        layer.padding = Padding.VALID;
        return open(layer);
    }

    private static void setKernel(Layer layer, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw layer.invalid("kernel must be positive in both dimensions, was " + height + "x" + width);
        }
        layer.kernelH = height;
        layer.kernelW = width;
    }

    private Layer elementwise(Kind kind, Node a, Node b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return begin(kind, List.of(a, b));
    }

    private Node requireCurrent(String method) {
        commit();
        if (current == null) {
            throw new IllegalStateException(method + "(...) in model '" + modelName
                    + "' needs an input tensor: call input(...) first");
        }
        return current;
    }

    private Layer requirePending(String method, Set<Kind> applicable) {
        if (pending == null) {
            throw new IllegalStateException(method + "(...) in model '" + modelName
                    + "' must directly follow the operator it configures");
        }
        if (!applicable.contains(pending.kind)) {
            throw new IllegalStateException(method + "(...) applies to "
                    + applicable.stream().map(Kind::label).collect(Collectors.joining(", "))
                    + "; the last call added " + pending.kind.label() + " '" + pending.name + "'");
        }
        return pending;
    }

    private Node own(Node node, String method) {
        Objects.requireNonNull(node, "node");
        if (node.owner != this) {
            throw new IllegalArgumentException(method + "(...) in model '" + modelName + "': tensor " + node
                    + " belongs to another builder (model '" + node.owner.modelName + "')");
        }
        return node;
    }

    private String autoName(Kind kind) {
        while (true) {
            int n = nameCounters.merge(kind, 1, Integer::sum) - 1;
            String name = n == 0 ? kind.prefix : kind.prefix + "_" + n;
            if (!layerNames.contains(name) && !tensorNames.contains(name)) {
                return name;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Shapes

    /** The output shape of a layer with its current settings; throws when the settings make no valid operator. */
    private List<Integer> outputShape(Layer l) {
        return switch (l.kind) {
            case INPUT -> box(l.dims);
            case CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D -> windowedShape(l);
            case FULLY_CONNECTED -> fullyConnectedShape(l);
            case ADD, MUL -> broadcastShape(l);
            case RESHAPE -> box(resolveReshape(l));
            case SOFTMAX -> l.in().shape();
            case CONCATENATION -> concatenationShape(l);
            case PAD -> padShape(l);
            case MEAN -> meanShape(l);
            case SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE -> broadcastShape(l);
            case LOGISTIC, TANH, HARD_SWISH, RELU, RELU6, LEAKY_RELU, EXP, LOG, ABS, RSQRT, QUANTIZE, DEQUANTIZE,
                    PRELU -> l.in().shape();
            case RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR -> resizeShape(l);
            case TRANSPOSE_CONV -> transposeConvShape(l);
            case SPLIT, SPLIT_V, UNPACK -> partShapes(l).get(0);
            case STRIDED_SLICE -> stridedSliceShape(l);
            case SLICE -> box(l.ints2);
            case PACK -> packShape(l);
            case TRANSPOSE -> transposeShape(l);
            case ARG_MAX -> l.in().shape().subList(0, l.in().rank() - 1);
            case LSTM -> lstmShape(l);
        };
    }

    private List<Integer> resizeShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (in.size() != 4) {
            throw l.invalid("needs a 4-D NHWC input; " + l.describeInput() + " has rank " + in.size());
        }
        return List.of(in.get(0), l.ints[0], l.ints[1], in.get(3));
    }

    private List<Integer> lstmShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (in.size() != 3) {
            throw l.invalid("needs a 3-D [batch, time, features] input; " + l.describeInput() + " has rank "
                    + in.size());
        }
        return List.of(in.get(0), in.get(1), l.filters);
    }

    private List<Integer> transposeConvShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (in.size() != 4) {
            throw l.invalid("needs a 4-D NHWC input; " + l.describeInput() + " has rank " + in.size());
        }
        int h = in.get(1) * l.strideH;
        int w = in.get(2) * l.strideW;
        if (l.padding == Padding.VALID) {
            h += Math.max(l.kernelH - l.strideH, 0);
            w += Math.max(l.kernelW - l.strideW, 0);
        }
        return List.of(in.get(0), h, w, l.filters);
    }

    /** The output shapes of SPLIT, SPLIT_V and UNPACK. */
    private List<List<Integer>> partShapes(Layer l) {
        List<Integer> in = l.in().shape();
        int axis = normalizeAxis(l, l.axis, in.size());
        List<List<Integer>> out = new ArrayList<>();
        if (l.kind == Kind.UNPACK) {
            List<Integer> part = new ArrayList<>(in);
            part.remove(axis);
            for (int i = 0; i < in.get(axis); i++) {
                out.add(List.copyOf(part));
            }
            return out;
        }
        int[] sizes;
        if (l.kind == Kind.SPLIT) {
            int parts = l.ints[0];
            if (parts <= 0 || in.get(axis) % parts != 0) {
                throw l.invalid("dimension " + axis + " of " + l.describeInput() + " does not split into " + parts);
            }
            sizes = new int[parts];
            Arrays.fill(sizes, in.get(axis) / parts);
        } else {
            sizes = l.ints;
            if (Arrays.stream(sizes).sum() != in.get(axis) || Arrays.stream(sizes).anyMatch(x -> x <= 0)) {
                throw l.invalid("sizes " + Arrays.toString(sizes) + " do not add up to dimension " + axis + " of "
                        + l.describeInput());
            }
        }
        for (int size : sizes) {
            List<Integer> part = new ArrayList<>(in);
            part.set(axis, size);
            out.add(List.copyOf(part));
        }
        return out;
    }

    private List<Integer> stridedSliceShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (l.ints.length != in.size() || l.ints2.length != in.size()) {
            throw l.invalid("begin and end need " + in.size() + " values each");
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < in.size(); d++) {
            int size = l.ints2[d] - l.ints[d];
            if (size <= 0 || l.ints[d] < 0 || l.ints2[d] > in.get(d)) {
                throw l.invalid("slice [" + l.ints[d] + ", " + l.ints2[d] + ") of dimension " + d + " is empty or "
                        + "outside " + l.describeInput());
            }
            if ((l.mask & (1 << d)) != 0) {
                if (size != 1) {
                    throw l.invalid("shrunk dimension " + d + " must be one element long");
                }
            } else {
                out.add(size);
            }
        }
        return List.copyOf(out);
    }

    private List<Integer> packShape(Layer l) {
        List<Integer> in = l.in().shape();
        for (Node n : l.inputs) {
            if (!n.shape().equals(in)) {
                throw l.invalid("inputs must have one shape; " + n + " differs from " + l.in());
            }
        }
        int axis = l.axis < 0 ? l.axis + in.size() + 1 : l.axis;
        List<Integer> out = new ArrayList<>(in);
        out.add(axis, l.inputs.size());
        return List.copyOf(out);
    }

    private List<Integer> transposeShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (l.ints.length != in.size()) {
            throw l.invalid("permutation " + Arrays.toString(l.ints) + " does not match rank " + in.size());
        }
        List<Integer> out = new ArrayList<>();
        for (int p : l.ints) {
            out.add(in.get(p));
        }
        return List.copyOf(out);
    }

    private List<Integer> windowedShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (in.size() != 4) {
            throw l.invalid("needs a 4-D NHWC input; " + l.describeInput() + " has rank " + in.size());
        }
        int channels = in.get(3);
        int outChannels = switch (l.kind) {
            case CONV_2D -> l.filters;
            case DEPTHWISE_CONV_2D -> channels * l.depthMultiplier;
            default -> channels;
        };
        int outH = windowOutput(l, "height", in.get(1), l.kernelH, l.strideH, l.dilationH);
        int outW = windowOutput(l, "width", in.get(2), l.kernelW, l.strideW, l.dilationW);
        if (WEIGHTED.contains(l.kind)) {
            int inputDepth = l.kind == Kind.CONV_2D ? channels / l.groups : 1;
            checkConstants(l, (long) outChannels * l.kernelH * l.kernelW * inputDepth, outChannels);
        }
        return List.of(in.get(0), outH, outW, outChannels);
    }

    /** TFLite's output size: ceil(in / stride) for SAME, ceil((in - effective kernel + 1) / stride) for VALID. */
    private static int windowOutput(Layer l, String axis, int in, int kernel, int stride, int dilation) {
        int effective = (kernel - 1) * dilation + 1;
        if (l.padding == Padding.SAME) {
            return ceilDiv(in, stride);
        }
        if (effective > in) {
            throw l.invalid("with VALID padding the " + (dilation > 1 ? "dilated " : "") + "kernel " + axis + " "
                    + effective + " exceeds the input " + axis + " " + in + " of " + l.describeInput());
        }
        return ceilDiv(in - effective + 1, stride);
    }

    private List<Integer> fullyConnectedShape(Layer l) {
        List<Integer> in = l.in().shape();
        int inputs = in.get(in.size() - 1);
        checkConstants(l, (long) l.filters * inputs, l.filters);
        List<Integer> out = new ArrayList<>();
        if (l.keepNumDims) {
            out.addAll(in.subList(0, in.size() - 1));
        } else {
            out.add((int) (l.in().elementCount() / inputs));
        }
        out.add(l.filters);
        return List.copyOf(out);
    }

    private void checkConstants(Layer l, long weightCount, int channels) {
        if (l.weights != null && l.weights.length != weightCount) {
            throw l.invalid("was given " + l.weights.length + " weights; with " + l.describeInput() + " it needs "
                    + weightCount + " (" + weightLayout(l) + ")");
        }
        if (l.bias != null && l.bias.length != channels) {
            throw l.invalid("was given " + l.bias.length + " biases; it has " + channels + " output channels");
        }
    }

    private static String weightLayout(Layer l) {
        return switch (l.kind) {
            case CONV_2D -> "[outputChannels, kernelHeight, kernelWidth, inputChannels]";
            case DEPTHWISE_CONV_2D -> "[1, kernelHeight, kernelWidth, inputChannels * depthMultiplier]";
            default -> "[units, inputs]";
        };
    }

    private List<Integer> broadcastShape(Layer l) {
        List<Integer> a = l.inputs.get(0).shape();
        List<Integer> b = l.inputs.get(1).shape();
        int rank = Math.max(a.size(), b.size());
        Integer[] out = new Integer[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.size() ? 1 : a.get(i - (rank - a.size()));
            int db = i < rank - b.size() ? 1 : b.get(i - (rank - b.size()));
            if (da != db && da != 1 && db != 1) {
                throw l.invalid("shapes " + a + " and " + b + " of " + l.describeInput()
                        + " are neither equal nor broadcastable (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return List.of(out);
    }

    private int[] resolveReshape(Layer l) {
        long count = l.in().elementCount();
        int[] shape = l.newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (inferred >= 0) {
                    throw l.invalid("new shape " + Arrays.toString(l.newShape) + " has more than one -1");
                }
                inferred = i;
            } else if (shape[i] <= 0) {
                throw l.invalid("new shape " + Arrays.toString(l.newShape)
                        + " has a dimension that is neither positive nor -1");
            } else {
                known *= shape[i];
            }
        }
        if (inferred >= 0) {
            if (count % known != 0) {
                throw l.invalid("cannot infer the -1 of " + Arrays.toString(l.newShape) + ": " + count
                        + " elements of " + l.describeInput() + " are not a multiple of " + known);
            }
            shape[inferred] = (int) (count / known);
        } else if (known != count) {
            throw l.invalid("new shape " + Arrays.toString(l.newShape) + " holds " + known + " elements; "
                    + l.describeInput() + " has " + count);
        }
        return shape;
    }

    private List<Integer> concatenationShape(Layer l) {
        List<Integer> first = l.in().shape();
        int rank = first.size();
        int axis = normalizeAxis(l, l.axis, rank);
        int sum = 0;
        for (Node node : l.inputs) {
            List<Integer> s = node.shape();
            if (s.size() != rank) {
                throw l.invalid("inputs must have the same rank; " + node + " differs from " + l.in());
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && !s.get(d).equals(first.get(d))) {
                    throw l.invalid("inputs must match in every dimension but the axis " + axis + "; " + node
                            + " differs from " + l.in() + " in dimension " + d);
                }
            }
            sum += s.get(axis);
        }
        List<Integer> out = new ArrayList<>(first);
        out.set(axis, sum);
        return List.copyOf(out);
    }

    private List<Integer> padShape(Layer l) {
        List<Integer> in = l.in().shape();
        if (l.paddings.length != 2 * in.size()) {
            throw l.invalid("needs " + 2 * in.size() + " padding values (before and after each of " + in.size()
                    + " dimensions) for " + l.describeInput() + ", was given " + l.paddings.length);
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < in.size(); d++) {
            int before = l.paddings[2 * d];
            int after = l.paddings[2 * d + 1];
            if (before < 0 || after < 0) {
                throw l.invalid("padding of dimension " + d + " is negative: " + before + ", " + after);
            }
            out.add(in.get(d) + before + after);
        }
        return List.copyOf(out);
    }

    private List<Integer> meanShape(Layer l) {
        List<Integer> in = l.in().shape();
        int[] axes = normalizedAxes(l);
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < in.size(); d++) {
            boolean reduced = contains(axes, d);
            if (!reduced) {
                out.add(in.get(d));
            } else if (l.keepDims) {
                out.add(1);
            }
        }
        return List.copyOf(out);
    }

    private int[] normalizedAxes(Layer l) {
        int rank = l.in().rank();
        if (l.axes.length == 0) {
            throw l.invalid("needs at least one axis");
        }
        int[] axes = new int[l.axes.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = normalizeAxis(l, l.axes[i], rank);
            if (contains(Arrays.copyOf(axes, i), axes[i])) {
                throw l.invalid("axis " + l.axes[i] + " is given twice in " + Arrays.toString(l.axes));
            }
        }
        return axes;
    }

    private static int normalizeAxis(Layer l, int axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw l.invalid("axis " + axis + " is out of range for rank " + rank + " (" + l.describeInput() + ")");
        }
        return axis < 0 ? axis + rank : axis;
    }

    // ---------------------------------------------------------------------------------------------------
    // Placing a layer: tensors, constants, operator

    private void commit() {
        Layer l = pending;
        if (l == null) {
            return;
        }
        pending = null;
        List<Integer> shape = outputShape(l);
        SplittableRandom layerRandom = random.split();
        switch (l.kind) {
            case INPUT -> {
                Quantization q = l.quantization != null ? l.quantization : defaultInputQuantization();
                DataType inputType = l.outputType != null ? l.outputType : type;
                int index = tensor(l.name, shape, inputType, 0, q);
                current = new Node(this, index, l.name, shape, q, inputType);
                lastOutputs = List.of(current);
                modelInputs.add(current.tensorIndex);
            }
            case CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED -> placeWeighted(l, shape, layerRandom);
            case AVERAGE_POOL_2D, MAX_POOL_2D -> place(l, shape, l.in().quantization(), List.of(),
                    new BuiltinOptions.Pool2D(l.padding, l.strideW, l.strideH, l.kernelW, l.kernelH, l.activation));
            case ADD, MUL -> placeElementwise(l, shape);
            case RESHAPE -> {
                int shapeTensor = constant(l.name + "/shape", DataType.INT32, List.of(shape.size()),
                        int32Bytes(unbox(shape)), null);
                place(l, shape, l.in().quantization(), List.of(shapeTensor), new BuiltinOptions.Reshape(shape));
            }
            case SOFTMAX -> place(l, shape, l.in().dataType() == DataType.INT16
                            ? Quantization.perTensor(1f / 32768, 0) : Quantization.perTensor(1f / 256, qmin), List.of(),
                    new BuiltinOptions.Softmax(l.beta));
            case CONCATENATION -> placeConcatenation(l, shape);
            case PAD -> {
                int paddings = constant(l.name + "/paddings", DataType.INT32, List.of(l.in().rank(), 2),
                        int32Bytes(l.paddings), null);
                place(l, shape, l.in().quantization(), List.of(paddings), new BuiltinOptions.Pad());
            }
            case MEAN -> {
                int[] axes = normalizedAxes(l);
                int axis = constant(l.name + "/axis", DataType.INT32, List.of(axes.length), int32Bytes(axes), null);
                Quantization q = l.quantization != null ? l.quantization : l.in().quantization();
                place(l, shape, q, List.of(axis), new BuiltinOptions.Reducer(l.keepDims));
            }
            case SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE -> placeElementwise(l, shape);
            case LOGISTIC, TANH, HARD_SWISH, RELU, RELU6, LEAKY_RELU, EXP, LOG, ABS, RSQRT, QUANTIZE, DEQUANTIZE ->
                    placeUnary(l, shape);
            case PRELU -> {
                float maxAbs = 1e-6f;
                for (float a : l.floats) {
                    maxAbs = Math.max(maxAbs, Math.abs(a));
                }
                float scale = maxAbs / qmax;
                long zeroPoint = type == DataType.UINT8 ? 128 : 0;
                if (type == DataType.UINT8) {
                    scale = 2 * maxAbs / 255;
                }
                long[] quantized = new long[l.floats.length];
                for (int i = 0; i < quantized.length; i++) {
                    quantized[i] = clamp(Math.round(l.floats[i] / scale) + zeroPoint, qmin, qmax);
                }
                byte[] data = elementBytes(type, quantized);
                int alpha = constant(l.name + "/alpha", type, List.of(1, 1, l.floats.length), data,
                        Quantization.perTensor(scale, zeroPoint));
                Quantization q = l.quantization != null ? l.quantization : l.in().quantization();
                place(l, shape, q, List.of(alpha), null);
            }
            case RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR -> {
                int size = constant(l.name + "/size", DataType.INT32, List.of(2), int32Bytes(l.ints), null);
                BuiltinOptions options = l.kind == Kind.RESIZE_BILINEAR
                        ? new BuiltinOptions.ResizeBilinear(l.alignCorners, l.halfPixelCenters)
                        : new BuiltinOptions.ResizeNearestNeighbor(l.alignCorners, l.halfPixelCenters);
                place(l, shape, l.in().quantization(), List.of(size), options);
            }
            case TRANSPOSE_CONV -> placeTransposeConv(l, shape, layerRandom);
            case LSTM -> placeLstm(l, shape, layerRandom);
            case SPLIT, SPLIT_V, UNPACK -> placeParts(l);
            case STRIDED_SLICE -> {
                int rank = l.in().rank();
                int begin = constant(l.name + "/begin", DataType.INT32, List.of(rank), int32Bytes(l.ints), null);
                int end = constant(l.name + "/end", DataType.INT32, List.of(rank), int32Bytes(l.ints2), null);
                int[] ones = new int[rank];
                Arrays.fill(ones, 1);
                int strides = constant(l.name + "/strides", DataType.INT32, List.of(rank), int32Bytes(ones), null);
                place(l, shape, l.in().quantization(), List.of(begin, end, strides),
                        new BuiltinOptions.StridedSlice(0, 0, 0, 0, l.mask, false));
            }
            case SLICE -> {
                int rank = l.in().rank();
                int begin = constant(l.name + "/begin", DataType.INT32, List.of(rank), int32Bytes(l.ints), null);
                int size = constant(l.name + "/size", DataType.INT32, List.of(rank), int32Bytes(l.ints2), null);
                place(l, shape, l.in().quantization(), List.of(begin, size), new BuiltinOptions.Slice());
            }
            case PACK -> place(l, shape, l.in().quantization(), List.of(),
                    new BuiltinOptions.Pack(l.inputs.size(), l.axis));
            case ARG_MAX -> {
                int axis = constant(l.name + "/axis", DataType.INT32, List.of(1),
                        int32Bytes(new int[]{l.in().rank() - 1}), null);
                place(l, shape, null, List.of(axis), new BuiltinOptions.ArgMax(l.outputType));
            }
            case TRANSPOSE -> {
                int perm = constant(l.name + "/perm", DataType.INT32, List.of(l.ints.length), int32Bytes(l.ints),
                        null);
                place(l, shape, l.in().quantization(), List.of(perm), new BuiltinOptions.Transpose());
            }
        }
    }

    /** The output quantization of the one-input operators: fixed for LOGISTIC and TANH, else from the input range. */
    private void placeUnary(Layer l, List<Integer> shape) {
        Quantization in = l.in().quantization();
        Quantization out = l.quantization;
        if (out == null && l.in().dataType() == DataType.FLOAT32 && l.kind != Kind.QUANTIZE) {
            // float stays float, without quantization
            l.outputType = DataType.FLOAT32;
        } else if (out == null) {
            double[] r = l.kind == Kind.DEQUANTIZE ? null : realRange(in);
            out = switch (l.kind) {
                case LOGISTIC -> type == DataType.INT16 ? Quantization.perTensor(1f / 32768, 0)
                        : Quantization.perTensor(1f / 256, qmin);
                case TANH -> type == DataType.INT16 ? Quantization.perTensor(1f / 32768, 0)
                        : Quantization.perTensor(1f / 128, type == DataType.INT8 ? 0 : 128);
                case EXP -> fromRange(Math.exp(r[0]), Math.exp(r[1]));
                case LOG -> fromRange(Math.log(1e-3), Math.log(Math.max(r[1], 1e-3)));
                case ABS -> fromRange(0, Math.max(-r[0], r[1]));
                case HARD_SWISH -> fromRange(-0.375, r[1]);
                case DEQUANTIZE -> null;
                default -> in;
            };
        }
        BuiltinOptions options = switch (l.kind) {
            case LEAKY_RELU -> new BuiltinOptions.LeakyRelu(l.alpha);
            case EXP -> new BuiltinOptions.Exp();
            case ABS -> new BuiltinOptions.Abs();
            case DEQUANTIZE -> new BuiltinOptions.Dequantize();
            default -> null;
        };
        place(l, shape, out, List.of(), options);
    }

    /** TRANSPOSE_CONV as TFLite lays it out: output shape, weights [O, H, W, I], input, bias. */
    private void placeTransposeConv(Layer l, List<Integer> shape, SplittableRandom layerRandom) {
        Node in = l.in();
        int inChannels = in.shape().get(3);
        List<Integer> weightShape = List.of(l.filters, l.kernelH, l.kernelW, inChannels);
        int count = product(weightShape);
        int perChannel = count / l.filters;
        int[] channelOf = new int[count];
        for (int i = 0; i < count; i++) {
            channelOf[i] = i / perChannel;
        }
        float[] weights = randomWeights(layerRandom, channelOf, l.filters, l.kernelH * l.kernelW * inChannels);
        QuantizedWeights qw = l.perChannel == Boolean.FALSE
                ? quantizeWeights(weights, new int[count], 1, 0).spreadOver(l.filters)
                : quantizeWeights(weights, channelOf, l.filters, 0);
        float inputScale = in.quantization().scale().get(0);
        int[] biasValues = new int[l.filters];
        List<Float> biasScales = new ArrayList<>();
        for (int c = 0; c < l.filters; c++) {
            biasScales.add(inputScale * qw.channelScales()[c]);
        }
        Quantization biasQuantization = qw.quantization().isPerAxis()
                ? new Quantization(List.of(), List.of(), biasScales, Collections.nCopies(l.filters, 0L), 0)
                : Quantization.perTensor(biasScales.get(0), 0);
        int outputShape = constant(l.name + "/output_shape", DataType.INT32, List.of(4),
                int32Bytes(unbox(shape)), null);
        int weightTensor = constant(l.name + "/weights", weightType(), weightShape, qw.data(), qw.quantization());
        int biasTensor = constant(l.name + "/bias", biasType(), List.of(l.filters), biasBytes(biasValues),
                biasQuantization);
        Quantization out = l.quantization != null ? l.quantization : in.quantization();
        List<Integer> inputs = List.of(outputShape, weightTensor, in.tensorIndex, biasTensor);
        Node o = featureMap(l.name, shape, out);
        operators.add(new PlacedOperator(l.kind.op, version(l), inputs, List.of(o.tensorIndex),
                new BuiltinOptions.TransposeConv(l.padding, l.strideW, l.strideH, Activation.NONE, DataType.FLOAT32)));
        current = o;
        lastOutputs = List.of(o);
    }

    /**
     * The LSTM's 24 inputs and 5 intermediates. Gate weights are per tensor; the cell state is int16 in Q3.12
     * (scale 2^-11 as TFLite's converter picks for a cell range of [-16, 16)); the hidden state and output cover
     * [-1, 1], the range of tanh times a sigmoid.
     */
    private void placeLstm(Layer l, List<Integer> shape, SplittableRandom layerRandom) {
        Node in = l.in();
        int batch = in.shape().get(0);
        int features = in.shape().get(2);
        int units = l.filters;
        float inputScale = in.quantization().scale().get(0);
        Quantization hidden = l.quantization != null ? l.quantization : fromRange(-1, 1);
        List<Integer> inputs = new ArrayList<>(Collections.nCopies(24, -1));
        inputs.set(0, in.tensorIndex);
        String[] gates = {"input", "forget", "cell", "output"};
        for (int g = 0; g < 4; g++) {
            for (boolean recurrent : new boolean[] {false, true}) {
                int fanIn = recurrent ? units : features;
                int count = units * fanIn;
                float[] weights = randomWeights(layerRandom, new int[count], 1, fanIn);
                QuantizedWeights qw = quantizeWeights(weights, new int[count], 1, 0);
                String name = l.name + "/" + (recurrent ? "recurrent_to_" : "input_to_") + gates[g] + "_weights";
                inputs.set(1 + g + (recurrent ? 4 : 0), constant(name, weightType(), List.of(units, fanIn),
                        qw.data(), qw.quantization()));
            }
            float[] bias = randomBias(layerRandom, units);
            float biasScale = inputScale * 1f / 127;
            int[] biasValues = new int[units];
            for (int c = 0; c < units; c++) {
                biasValues[c] = (int) clamp(Math.round(bias[c] / (double) biasScale), Integer.MIN_VALUE,
                        Integer.MAX_VALUE);
            }
            inputs.set(12 + g, constant(l.name + "/" + gates[g] + "_gate_bias", biasType(), List.of(units),
                    biasBytes(biasValues), Quantization.perTensor(biasScale, 0)));
        }
        inputs.set(18, variable(l.name + "/output_state", type, List.of(batch, units), hidden));
        inputs.set(19, variable(l.name + "/cell_state", DataType.INT16, List.of(batch, units),
                Quantization.perTensor(1f / 2048, 0)));
        List<Integer> intermediates = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            intermediates.add(tensor(l.name + "/" + gates[g] + "_gate_intermediate", List.of(), DataType.INT16, 0,
                    Quantization.perTensor(1f / 4096, 0)));
        }
        intermediates.add(tensor(l.name + "/effective_hidden", List.of(), type, 0, hidden));
        Node out = featureMap(l.name, shape, hidden);
        operators.add(new PlacedOperator(l.kind.op, version(l), inputs, List.of(out.tensorIndex),
                new BuiltinOptions.UnidirectionalSequenceLSTM(Activation.TANH, l.cellClip, 0f, false, false, false),
                intermediates));
        current = out;
        lastOutputs = List.of(out);
    }

    /** A variable tensor (a state the operator reads and writes in place), without data. */
    private int variable(String name, DataType dataType, List<Integer> shape, Quantization q) {
        if (!tensorNames.add(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is already used in model '"
                    + modelName + "'");
        }
        tensors.add(new Tensor(name, shape, null, dataType, 0, q, true, false));
        return tensors.size() - 1;
    }

    /** SPLIT, SPLIT_V and UNPACK: one output tensor per part, named {@code <name>:<i>}. */
    private void placeParts(Layer l) {
        List<List<Integer>> shapes = partShapes(l);
        int axis = normalizeAxis(l, l.axis, l.in().rank());
        List<Integer> inputs = new ArrayList<>();
        BuiltinOptions options;
        switch (l.kind) {
            case SPLIT -> {
                inputs.add(constant(l.name + "/axis", DataType.INT32, List.of(), int32Bytes(new int[]{axis}), null));
                inputs.add(l.in().tensorIndex);
                options = new BuiltinOptions.Split(shapes.size());
            }
            case SPLIT_V -> {
                inputs.add(l.in().tensorIndex);
                inputs.add(constant(l.name + "/sizes", DataType.INT32, List.of(l.ints.length), int32Bytes(l.ints),
                        null));
                inputs.add(constant(l.name + "/axis", DataType.INT32, List.of(), int32Bytes(new int[]{axis}), null));
                options = new BuiltinOptions.SplitV(shapes.size());
            }
            default -> {
                inputs.add(l.in().tensorIndex);
                options = new BuiltinOptions.Unpack(shapes.size(), axis);
            }
        }
        List<Node> outs = new ArrayList<>();
        List<Integer> outIndices = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            Node o = featureMap(i == 0 ? l.name : l.name + ":" + i, shapes.get(i), l.in().quantization());
            outs.add(o);
            outIndices.add(o.tensorIndex);
        }
        operators.add(new PlacedOperator(l.kind.op, version(l), inputs, outIndices, options));
        current = outs.get(0);
        lastOutputs = List.copyOf(outs);
    }

    private void placeWeighted(Layer l, List<Integer> shape, SplittableRandom layerRandom) {
        Node in = l.in();
        int channels = shape.get(shape.size() - 1);
        List<Integer> weightShape;
        int fanIn;
        int quantizedDimension;
        switch (l.kind) {
            case CONV_2D -> {
                int inChannels = in.shape().get(3) / l.groups;
                weightShape = List.of(channels, l.kernelH, l.kernelW, inChannels);
                fanIn = l.kernelH * l.kernelW * inChannels;
                quantizedDimension = 0;
            }
            case DEPTHWISE_CONV_2D -> {
                weightShape = List.of(1, l.kernelH, l.kernelW, channels);
                fanIn = l.kernelH * l.kernelW;
                quantizedDimension = 3;
            }
            default -> {
                int inputs = in.shape().get(in.rank() - 1);
                weightShape = List.of(channels, inputs);
                fanIn = inputs;
                quantizedDimension = 0;
            }
        }
        int count = product(weightShape);
        // Channel of each weight: the outermost dimension, except for depthwise where it is the innermost.
        int perChannel = count / channels;
        int[] channelOf = new int[count];
        for (int i = 0; i < count; i++) {
            channelOf[i] = quantizedDimension == 3 ? i % channels : i / perChannel;
        }

        float[] weights = l.weights != null ? l.weights : randomWeights(layerRandom, channelOf, channels, fanIn);
        float[] bias = l.bias != null ? l.bias : randomBias(layerRandom, channels);
        // TFLite's converter quantizes fully connected weights per tensor (and Ethos-U accepts per-axis
        // quantization only for convolutions), convolution weights per output channel.
        boolean channelScales = l.perChannel != null ? l.perChannel : l.kind != Kind.FULLY_CONNECTED;
        QuantizedWeights qw = !channelScales
                ? quantizeWeights(weights, new int[count], 1, 0).spreadOver(channels)
                : quantizeWeights(weights, channelOf, channels, quantizedDimension);

        float inputScale = in.quantization().scale().get(0);
        int[] biasValues = new int[channels];
        List<Float> biasScales = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            float scale = inputScale * qw.channelScales()[c];
            biasScales.add(scale);
            biasValues[c] = (int) clamp(Math.round(bias[c] / (double) scale), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        Quantization biasQuantization = qw.quantization().isPerAxis()
                ? new Quantization(List.of(), List.of(), biasScales, Collections.nCopies(channels, 0L), 0)
                : Quantization.perTensor(biasScales.get(0), 0);

        int weightTensor = constant(l.name + "/weights", weightType(), weightShape, qw.data(), qw.quantization());
        int biasTensor = constant(l.name + "/bias", biasType(), List.of(channels), biasBytes(biasValues),
                biasQuantization);

        Quantization out = l.quantization;
        if (out == null) {
            // A calibration stand-in: about the spread of a sum of fanIn products of the input and the weights.
            // With the He-scaled random weights it stays near the input's magnitude from layer to layer.
            double[] inRange = realRange(in.quantization());
            double maxAbsInput = Math.max(-inRange[0], inRange[1]);
            double meanAbsWeight = 0;
            for (float w : weights) {
                meanAbsWeight += Math.abs(w);
            }
            meanAbsWeight /= weights.length;
            double maxAbsBias = 0;
            for (float b : bias) {
                maxAbsBias = Math.max(maxAbsBias, Math.abs(b));
            }
            double spread = Math.sqrt(fanIn) * maxAbsInput * meanAbsWeight + maxAbsBias;
            out = activationRange(-spread, spread, l.activation);
        }
        BuiltinOptions options = switch (l.kind) {
            case CONV_2D -> new BuiltinOptions.Conv2D(l.padding, l.strideW, l.strideH, l.activation,
                    l.dilationW, l.dilationH);
            case DEPTHWISE_CONV_2D -> new BuiltinOptions.DepthwiseConv2D(l.padding, l.strideW, l.strideH,
                    l.depthMultiplier, l.activation, l.dilationW, l.dilationH);
            default -> new BuiltinOptions.FullyConnected(l.activation, 0, l.keepNumDims, false);
        };
        place(l, shape, out, List.of(weightTensor, biasTensor), options);
    }

    private void placeElementwise(Layer l, List<Integer> shape) {
        Quantization out = l.quantization;
        if (out == null) {
            double[] a = realRange(l.inputs.get(0).quantization());
            double[] b = realRange(l.inputs.get(1).quantization());
            out = switch (l.kind) {
                case ADD -> activationRange(a[0] + b[0], a[1] + b[1], l.activation);
                case SUB -> activationRange(a[0] - b[1], a[1] - b[0], l.activation);
                case MAXIMUM, MINIMUM -> l.inputs.get(0).quantization();
                case SQUARED_DIFFERENCE -> {
                    double d = Math.max(Math.abs(a[1] - b[0]), Math.abs(b[1] - a[0]));
                    yield fromRange(0, d * d);
                }
                default -> {
                    double[] products = {a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]};
                    yield activationRange(Arrays.stream(products).min().orElseThrow(),
                            Arrays.stream(products).max().orElseThrow(), l.activation);
                }
            };
        }
        BuiltinOptions options = switch (l.kind) {
            case ADD -> new BuiltinOptions.Add(l.activation, false);
            case SUB -> new BuiltinOptions.Sub(l.activation, false);
            case MAXIMUM, MINIMUM -> new BuiltinOptions.MaximumMinimum();
            case SQUARED_DIFFERENCE -> new BuiltinOptions.SquaredDifference();
            default -> new BuiltinOptions.Mul(l.activation);
        };
        place(l, shape, out, List.of(), options);
    }

    private void placeConcatenation(Layer l, List<Integer> shape) {
        Quantization out = l.quantization;
        if (out == null) {
            boolean shared = l.inputs.stream().allMatch(n -> n.quantization().equals(l.in().quantization()));
            if (shared && l.activation == Activation.NONE) {
                out = l.in().quantization();
            } else {
                double min = 0;
                double max = 0;
                for (Node node : l.inputs) {
                    double[] r = realRange(node.quantization());
                    min = Math.min(min, r[0]);
                    max = Math.max(max, r[1]);
                }
                out = activationRange(min, max, l.activation);
            }
        }
        int axis = normalizeAxis(l, l.axis, l.in().rank());
        place(l, shape, out, List.of(), new BuiltinOptions.Concatenation(axis, l.activation));
    }

    /** Adds the output tensor and the operator reading the layer's inputs followed by {@code constants}. */
    private void place(Layer l, List<Integer> shape, Quantization outQuantization, List<Integer> constants,
                       BuiltinOptions options) {
        List<Integer> inputs = new ArrayList<>();
        for (Node node : l.inputs) {
            inputs.add(node.tensorIndex);
        }
        inputs.addAll(constants);
        // Operators keep their input's type unless they convert it (QUANTIZE, DEQUANTIZE).
        DataType outType = l.outputType != null ? l.outputType : l.inputs.isEmpty() ? type : l.in().dataType();
        int index = tensor(l.name, shape, outType, 0, outQuantization);
        Node out = new Node(this, index, l.name, shape, outQuantization, outType);
        operators.add(new PlacedOperator(l.kind.op, version(l), inputs, List.of(out.tensorIndex), options));
        current = out;
        lastOutputs = List.of(out);
    }

    /**
     * Operator versions as TFLite's converter assigns them for these inputs: int8 kernels came in later
     * versions than uint8 ones, and some settings need newer kernels still.
     */
    private int version(Layer l) {
        boolean int8 = type == DataType.INT8;
        return switch (l.kind) {
            case CONV_2D -> int8 ? 3 : 1;
            case DEPTHWISE_CONV_2D -> int8 ? 3 : (l.dilationH != 1 || l.dilationW != 1 ? 2 : 1);
            case FULLY_CONNECTED -> l.keepNumDims ? 5 : int8 ? 4 : 1;
            case AVERAGE_POOL_2D, MAX_POOL_2D, ADD, MUL, SOFTMAX, CONCATENATION, PAD, MEAN -> int8 ? 2 : 1;
            case RESHAPE, INPUT -> 1;
            default -> int8 ? 2 : 1;
        };
    }

    private Node featureMap(String name, List<Integer> shape, Quantization quantization) {
        int index = tensor(name, shape, type, 0, quantization);
        return new Node(this, index, name, shape, quantization, type);
    }

    private int constant(String name, DataType dataType, List<Integer> shape, byte[] data, Quantization q) {
        buffers.add(new Buffer(ConstantData.copyOf(data)));
        return tensor(name, shape, dataType, buffers.size() - 1, q);
    }

    private int tensor(String name, List<Integer> shape, DataType dataType, int buffer, Quantization q) {
        if (!tensorNames.add(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is already used in model '"
                    + modelName + "'");
        }
        tensors.add(new Tensor(name, shape, null, dataType, buffer, q, false, false));
        return tensors.size() - 1;
    }

    // ---------------------------------------------------------------------------------------------------
    // Quantization

    /** An image scaled to [0, 1], the usual input of the models this builder imitates. */
    private Quantization defaultInputQuantization() {
        return type == DataType.INT16 ? Quantization.perTensor(1f / 32767, 0) : Quantization.perTensor(1f / 255, qmin);
    }

    /** The real range [min, max] a per-tensor quantization covers. */
    private double[] realRange(Quantization q) {
        double scale = q.scale().get(0);
        long zeroPoint = q.zeroPoint().get(0);
        return new double[] {(qmin - zeroPoint) * scale, (qmax - zeroPoint) * scale};
    }

    /** The quantization of a real range after a fused activation clamps it. */
    private Quantization activationRange(double min, double max, Activation activation) {
        switch (activation) {
            case RELU -> min = Math.max(min, 0);
            case RELU6 -> {
                min = Math.max(min, 0);
                max = Math.min(max, 6);
            }
            case RELU_N1_TO_1 -> {
                min = Math.max(min, -1);
                max = Math.min(max, 1);
            }
            default -> {
            }
        }
        return fromRange(min, max);
    }

    /**
     * Asymmetric quantization of [min, max] widened to contain 0 (so zero, the padding value, is exact), as
     * TFLite's converter nudges calibrated ranges.
     */
    private Quantization fromRange(double min, double max) {
        min = Math.min(min, 0);
        max = Math.max(max, 0);
        if (max - min < 1e-6) {
            max = min + 1e-6;
        }
        if (type == DataType.INT16) {
            // 16x8 activations are symmetric: zero point 0, the scale covering the larger magnitude.
            return Quantization.perTensor((float) (Math.max(-min, max) / qmax), 0);
        }
        float scale = (float) ((max - min) / (qmax - qmin));
        long zeroPoint = clamp(Math.round(qmin - min / scale), qmin, qmax);
        return Quantization.perTensor(scale, zeroPoint);
    }

    /**
     * int8: symmetric per output channel, scale max|w| / 127, zero point 0, values in [-127, 127].
     * uint8: asymmetric per tensor over [min(w, 0), max(w, 0)].
     */
    private QuantizedWeights quantizeWeights(float[] weights, int[] channelOf, int channels, int quantizedDimension) {
        byte[] data = new byte[weights.length];
        float[] channelScales = new float[channels];
        if (type != DataType.UINT8) {
            double[] maxAbs = new double[channels];
            for (int i = 0; i < weights.length; i++) {
                maxAbs[channelOf[i]] = Math.max(maxAbs[channelOf[i]], Math.abs(weights[i]));
            }
            List<Float> scales = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                // An all-zero channel still needs a positive scale; any will do, its values are 0.
                channelScales[c] = maxAbs[c] > 0 ? (float) (maxAbs[c] / 127) : 1f;
                scales.add(channelScales[c]);
            }
            for (int i = 0; i < weights.length; i++) {
                data[i] = (byte) clamp(Math.round(weights[i] / (double) channelScales[channelOf[i]]), -127, 127);
            }
            Quantization q = new Quantization(List.of(), List.of(), scales, Collections.nCopies(channels, 0L),
                    quantizedDimension);
            return new QuantizedWeights(data, q, channelScales);
        }
        double min = 0;
        double max = 0;
        for (float w : weights) {
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        Quantization q = fromRange(min, max);
        float scale = q.scale().get(0);
        long zeroPoint = q.zeroPoint().get(0);
        for (int i = 0; i < weights.length; i++) {
            data[i] = (byte) clamp(Math.round(weights[i] / (double) scale) + zeroPoint, 0, 255);
        }
        Arrays.fill(channelScales, scale);
        return new QuantizedWeights(data, q, channelScales);
    }

    /**
     * He-uniform weights (which keep activations at a steady magnitude through a deep stack) with a different
     * gain per output channel, so per-channel scales differ as in a trained model.
     */
    private static float[] randomWeights(SplittableRandom r, int[] channelOf, int channels, int fanIn) {
        double limit = Math.sqrt(6.0 / fanIn);
        double[] gain = new double[channels];
        for (int c = 0; c < channels; c++) {
            gain[c] = r.nextDouble(0.5, 1.0);
        }
        float[] w = new float[channelOf.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble(-limit, limit) * gain[channelOf[i]]);
        }
        return w;
    }

    private static float[] randomBias(SplittableRandom r, int channels) {
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            b[c] = (float) r.nextDouble(-0.1, 0.1);
        }
        return b;
    }

    // ---------------------------------------------------------------------------------------------------
    // Encoding and arithmetic

    /** The weights' element type: int8 weights for int16 feature maps (16x8), else the model's type. */
    private DataType weightType() {
        return type == DataType.INT16 ? DataType.INT8 : type;
    }

    /** The biases' element type: int64 with int16 feature maps, else int32. */
    private DataType biasType() {
        return type == DataType.INT16 ? DataType.INT64 : DataType.INT32;
    }

    private byte[] biasBytes(int[] values) {
        if (type != DataType.INT16) {
            return int32Bytes(values);
        }
        return elementBytes(DataType.INT64, Arrays.stream(values).asLongStream().toArray());
    }

    /** Values as little-endian elements of {@code elementType} (8, 16, 32 or 64 bits). */
    private static byte[] elementBytes(DataType elementType, long[] values) {
        int size = switch (elementType) {
            case INT16 -> 2;
            case INT32 -> 4;
            case INT64 -> 8;
            default -> 1;
        };
        ByteBuffer buf = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (size) {
                case 2 -> buf.putShort((short) v);
                case 4 -> buf.putInt((int) v);
                case 8 -> buf.putLong(v);
                default -> buf.put((byte) v);
            }
        }
        return buf.array();
    }

    private static byte[] int32Bytes(int[] values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buf.putInt(v);
        }
        return buf.array();
    }

    private static List<Integer> box(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static int[] unbox(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int product(List<Integer> shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
