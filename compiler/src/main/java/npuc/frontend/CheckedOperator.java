package npuc.frontend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Padding;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/**
 * One original TFLite operator as Vela's checks see it right after Vela's reader built it: its name (the
 * first output's), its tensors by role (ifm, ifm2, weights, bias, ofm, from Vela's per-type index table),
 * its options, the attributes Vela could not read, its fused activation and its kernel.
 */
final class CheckedOperator {

    /** Positions of the input tensors by role in Vela's internal operator (ifms, weights, biases). */
    record TensorIndices(List<Integer> ifms, List<Integer> weights, List<Integer> biases) {
        static final TensorIndices NONE = new TensorIndices(List.of(), List.of(), List.of());
        static final TensorIndices IFM = new TensorIndices(List.of(0), List.of(), List.of());
        static final TensorIndices IFM_IFM2 = new TensorIndices(List.of(0, 1), List.of(), List.of());
        static final TensorIndices IFM_WEIGHTS = new TensorIndices(List.of(0), List.of(1), List.of());
        static final TensorIndices IFM_WEIGHTS_BIAS = new TensorIndices(List.of(0), List.of(1), List.of(2));

        static TensorIndices of(BuiltinOperator op) {
            if (op == null) {
                return NONE;
            }
            return switch (op) {
                case ABS, ARG_MAX, AVERAGE_POOL_2D, DEQUANTIZE, EXPAND_DIMS, EXP, GELU, HARD_SWISH, LEAKY_RELU,
                        LOG, LOGISTIC, MAX_POOL_2D, MEAN, PACK, PAD, QUANTIZE, RELU, RELU6, RELU_0_TO_1, RELU_N1_TO_1,
                        RESHAPE, RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, RSQRT, SHAPE, SIGN, SLICE, SOFTMAX,
                        SPLIT_V, SQRT, SQUEEZE, STRIDED_SLICE, TANH, UNPACK -> IFM;
                case ADD, ATAN2, MAXIMUM, MINIMUM, MUL, PRELU, SQUARED_DIFFERENCE, SUB, TRANSPOSE -> IFM_IFM2;
                case CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED -> IFM_WEIGHTS_BIAS;
                case LSTM, RNN, UNIDIRECTIONAL_SEQUENCE_LSTM, UNIDIRECTIONAL_SEQUENCE_RNN,
                        BIDIRECTIONAL_SEQUENCE_LSTM, BIDIRECTIONAL_SEQUENCE_RNN -> IFM_WEIGHTS;
                // Vela reads TRANSPOSE_CONV as Conv2DBackpropInput: [output_shape, weights, ifm, bias].
                case TRANSPOSE_CONV -> new TensorIndices(List.of(2), List.of(1), List.of(3));
                case CONCATENATION -> new TensorIndices(List.of(1, 2), List.of(), List.of());
                case SPLIT -> new TensorIndices(List.of(1), List.of(), List.of());
                default -> NONE;
            };
        }
    }

    private final BuiltinOperator type;
    private final String typeName;
    private final String name;
    private final List<Operand> inputs;
    private final List<Operand> outputs;
    private final List<Operand> intermediates;
    private final BuiltinOptions options;
    private final List<String> missingAttributes;
    private final TensorIndices indices;

    private CheckedOperator(BuiltinOperator type, String typeName, String name, List<Operand> inputs,
                            List<Operand> outputs, List<Operand> intermediates, BuiltinOptions options,
                            List<String> missingAttributes) {
        this.type = type;
        this.typeName = typeName;
        this.name = name;
        this.inputs = Collections.unmodifiableList(inputs);
        this.outputs = Collections.unmodifiableList(outputs);
        this.intermediates = Collections.unmodifiableList(intermediates);
        this.options = options;
        this.missingAttributes = List.copyOf(missingAttributes);
        this.indices = TensorIndices.of(type);
    }

    /** Operator {@code operator} of subgraph {@code subgraph}, as Vela's reader builds it. */
    static CheckedOperator of(Graph graph, int subgraph, int operator) {
        Subgraph sg = graph.subgraphs().get(subgraph);
        Operator op = sg.operators().get(operator);
        OperatorCode code = graph.operatorCode(op);
        BuiltinOperator type = code.builtin();
        String typeName = code.isCustom() ? "CUSTOM" : code.displayName();

        Set<Integer> written = new HashSet<>();
        for (Operator other : sg.operators()) {
            for (int out : other.outputs()) {
                written.add(out);
            }
        }
        Set<Integer> subgraphInputs = new HashSet<>(sg.inputs());

        List<Operand> inputs = operands(graph, sg, op.inputs(), written, subgraphInputs);
        List<Operand> outputs = operands(graph, sg, op.outputs(), written, subgraphInputs);
        List<Operand> intermediates = operands(graph, sg, op.intermediates(), written, subgraphInputs);

        String name = outputs.isEmpty() || outputs.get(0) == null ? "unknown_op_name" : outputs.get(0).name();
        if (type == BuiltinOperator.ASSIGN_VARIABLE || type == BuiltinOperator.CALL_ONCE) {
            // Vela gives these output-less operators a virtual scalar output so that its traversals from the
            // subgraph outputs reach them, and names both after its type name and the operator's index.
            name = (type == BuiltinOperator.ASSIGN_VARIABLE ? "AssignVariable_" : "CallOnce_") + operator;
            outputs = new ArrayList<>(List.of(new Operand(name, List.of(), DataType.INT8, null, null, List.of(),
                    false, Operand.Producer.OPERATOR)));
        }
        if (type == BuiltinOperator.CONV_2D || type == BuiltinOperator.DEPTHWISE_CONV_2D
                || type == BuiltinOperator.TRANSPOSE_CONV || type == BuiltinOperator.FULLY_CONNECTED) {
            cloneConstantWeights(type, inputs);
        }
        List<String> missing = missingAttributes(type, op.options(), inputs.size());
        return new CheckedOperator(type, typeName, name, inputs, outputs, intermediates, op.options(), missing);
    }

    private static List<Operand> operands(Graph graph, Subgraph sg, List<Integer> indices, Set<Integer> written,
                                          Set<Integer> subgraphInputs) {
        List<Operand> list = new ArrayList<>(indices.size());
        for (int index : indices) {
            list.add(index < 0 || index >= sg.tensors().size() ? null
                    : operand(graph, sg.tensors().get(index), written.contains(index),
                    subgraphInputs.contains(index)));
        }
        return list;
    }

    private static Operand operand(Graph graph, Tensor t, boolean written, boolean subgraphInput) {
        var buffer = t.buffer() >= 0 && t.buffer() < graph.buffers().size() ? graph.buffers().get(t.buffer()) : null;
        var data = buffer == null || buffer.data().isEmpty() ? null : buffer.data();
        var q = t.quantization();
        if (q != null && q.scale().isEmpty() && q.zeroPoint().isEmpty()) {
            q = null;
        }
        Operand.Producer producer;
        if (written) {
            producer = Operand.Producer.OPERATOR;
        } else if (subgraphInput) {
            producer = data == null ? Operand.Producer.PLACEHOLDER : Operand.Producer.CONSTANT;
        } else {
            producer = t.variable() ? Operand.Producer.PLACEHOLDER : Operand.Producer.CONSTANT;
        }
        return new Operand(t.name(), t.shape(), t.type(), q, data, t.shape(), t.variable(), producer);
    }

    /**
     * Vela's reader replaces constant weights of convolutions by a transposed copy (OHWI to HWIO; FC [O, I]
     * to [I, O]) and a constant bias by a 1-D copy, both named with a "_reshape" suffix; an omitted bias
     * becomes an explicit empty slot. The checks see the copies.
     */
    private static void cloneConstantWeights(BuiltinOperator type, List<Operand> inputs) {
        if (inputs.size() < 2 || inputs.get(1) == null || !inputs.get(1).isConstant()) {
            return;
        }
        Operand w = inputs.get(1);
        List<Integer> s = w.shape();
        List<Integer> transposed = s;
        if (type == BuiltinOperator.FULLY_CONNECTED && s.size() == 2) {
            transposed = List.of(s.get(1), s.get(0));
        } else if (type != BuiltinOperator.FULLY_CONNECTED && s.size() == 4) {
            transposed = List.of(s.get(1), s.get(2), s.get(3), s.get(0));
        }
        inputs.set(1, new Operand(w.name() + "_reshape", transposed, w.type(), w.quantization(), w.data(),
                w.dataShape(), w.variable(), Operand.Producer.CONSTANT));
        int biasIndex = type == BuiltinOperator.TRANSPOSE_CONV ? 3 : 2;
        if (inputs.size() <= biasIndex) {
            inputs.add(null);
        }
        Operand last = inputs.get(inputs.size() - 1);
        if (last != null && last.isConstant()) {
            long elements = last.elementCount();
            inputs.set(inputs.size() - 1, new Operand(last.name() + "_reshape", List.of((int) elements),
                    last.type(), last.quantization(), last.data(), last.dataShape(), last.variable(),
                    Operand.Producer.CONSTANT));
        }
    }

    /**
     * The attributes Vela reports it could not read: all of them when the options table is absent (or is
     * another operator's table), and the vector attributes (new_shape, squeeze_dims) when left out. RESHAPE
     * may leave out new_shape when it has a shape input.
     */
    private static List<String> missingAttributes(BuiltinOperator type, BuiltinOptions options, int inputCount) {
        OptionAttributes expected = OptionAttributes.of(type);
        if (expected == null || expected.attributes().isEmpty()) {
            return List.of();
        }
        if (options == null || options.unionType() != expected.unionType()) {
            List<String> all = new ArrayList<>(expected.attributes());
            if (type == BuiltinOperator.RESHAPE && inputCount > 1) {
                all.remove("new_shape");
            }
            return all;
        }
        if (options instanceof BuiltinOptions.Reshape r && r.newShape() == null && inputCount <= 1) {
            return List.of("new_shape");
        }
        if (options instanceof BuiltinOptions.Squeeze s && s.squeezeDims() == null) {
            return List.of("squeeze_dims");
        }
        return List.of();
    }

    // ---------------------------------------------------------------------------------------------------

    /** The builtin operator, or null for operator codes newer than npuc knows. */
    BuiltinOperator type() {
        return type;
    }

    /** The name Vela prints for the type: the TFLite builtin name, CUSTOM for custom operators. */
    String typeName() {
        return typeName;
    }

    /** Vela's name for the operator: its first output tensor's name. */
    String name() {
        return name;
    }

    List<Operand> inputs() {
        return inputs;
    }

    List<Operand> outputs() {
        return outputs;
    }

    List<Operand> intermediates() {
        return intermediates;
    }

    /** Input {@code i}, or null when the operator has no such input or it is omitted (-1). */
    Operand input(int i) {
        return i >= 0 && i < inputs.size() ? inputs.get(i) : null;
    }

    BuiltinOptions options() {
        return options;
    }

    List<String> missingAttributes() {
        return missingAttributes;
    }

    Operand ifm() {
        return indices.ifms().isEmpty() ? null : input(indices.ifms().get(0));
    }

    Operand ifm2() {
        return indices.ifms().size() < 2 ? null : input(indices.ifms().get(1));
    }

    Operand weights() {
        return indices.weights().isEmpty() ? null : input(indices.weights().get(0));
    }

    Operand bias() {
        return indices.biases().isEmpty() ? null : input(indices.biases().get(0));
    }

    Operand ofm() {
        return outputs.isEmpty() ? null : outputs.get(0);
    }

    /** ifm, ifm2, weights and ofm that exist, in that order (Vela's get_ifm_ifm2_weights_ofm). */
    List<Operand> ifmIfm2WeightsOfm() {
        List<Operand> list = new ArrayList<>(4);
        for (Operand t : new Operand[] {ifm(), ifm2(), weights(), ofm()}) {
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }

    /** Inputs that are present (omitted optional inputs dropped). */
    List<Operand> presentInputs() {
        List<Operand> list = new ArrayList<>();
        for (Operand t : inputs) {
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }

    /** Present inputs followed by present outputs. */
    List<Operand> presentInputsAndOutputs() {
        List<Operand> list = presentInputs();
        for (Operand t : outputs) {
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }

    // ---------------------------------------------------------------------------------------------------
    // Attributes

    /** The fused activation Vela records, or null when none (NONE, or an options table without one). */
    Activation activation() {
        OptionAttributes expected = OptionAttributes.of(type);
        if (expected == null || !expected.attributes().contains("fused_activation_function")
                || missingAttributes.contains("fused_activation_function")) {
            return null;
        }
        Activation a = null;
        if (options instanceof BuiltinOptions.Conv2D o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.Pool2D o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.FullyConnected o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.Concatenation o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.Add o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.Sub o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.Mul o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.Div o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.L2Norm o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.SVDF o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.RNN o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.SequenceRNN o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.LSTM o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.UnidirectionalSequenceLSTM o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.BidirectionalSequenceLSTM o) {
            a = o.activation();
        } else if (options instanceof BuiltinOptions.BidirectionalSequenceRNN o) {
            a = o.activation();
        }
        return a == Activation.NONE ? null : a;
    }

    int strideW() {
        if (options instanceof BuiltinOptions.Conv2D o) {
            return o.strideW();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D o) {
            return o.strideW();
        } else if (options instanceof BuiltinOptions.Pool2D o) {
            return o.strideW();
        } else if (options instanceof BuiltinOptions.TransposeConv o) {
            return o.strideW();
        }
        return 1;
    }

    int strideH() {
        if (options instanceof BuiltinOptions.Conv2D o) {
            return o.strideH();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D o) {
            return o.strideH();
        } else if (options instanceof BuiltinOptions.Pool2D o) {
            return o.strideH();
        } else if (options instanceof BuiltinOptions.TransposeConv o) {
            return o.strideH();
        }
        return 1;
    }

    int dilationW() {
        if (options instanceof BuiltinOptions.Conv2D o) {
            return o.dilationW();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D o) {
            return o.dilationW();
        }
        return 1;
    }

    int dilationH() {
        if (options instanceof BuiltinOptions.Conv2D o) {
            return o.dilationH();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D o) {
            return o.dilationH();
        }
        return 1;
    }

    /** The padding attribute, or null when the operator has none. */
    Padding padding() {
        if (options instanceof BuiltinOptions.Conv2D o) {
            return o.padding();
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D o) {
            return o.padding();
        } else if (options instanceof BuiltinOptions.Pool2D o) {
            return o.padding();
        } else if (options instanceof BuiltinOptions.TransposeConv o) {
            return o.padding();
        }
        return null;
    }

    /** How Vela prints the padding attribute: "Padding.SAME", "Padding.VALID" or "None". */
    String paddingText() {
        Padding p = padding();
        return p == null ? "None" : "Padding." + p.name();
    }

    private boolean isConvolution() {
        return type == BuiltinOperator.CONV_2D || type == BuiltinOperator.DEPTHWISE_CONV_2D
                || type == BuiltinOperator.TRANSPOSE_CONV;
    }

    private boolean isPooling() {
        return type == BuiltinOperator.AVERAGE_POOL_2D || type == BuiltinOperator.MAX_POOL_2D
                || type == BuiltinOperator.RESIZE_BILINEAR || type == BuiltinOperator.RESIZE_NEAREST_NEIGHBOR;
    }

    /** Kernel width: the weights' W for convolutions, the filter width for pools, else 1. */
    int kernelW() {
        return kernelSize()[0];
    }

    /** Kernel height: the weights' H for convolutions, the filter height for pools, else 1. */
    int kernelH() {
        return kernelSize()[1];
    }

    private int[] kernelSize() {
        Operand w = weights();
        if (w != null && isConvolution()) {
            // The weights padded to 4-D, read as [H, W, ...] (HWIO once Vela has transposed them).
            List<Integer> s = w.shape();
            int n = s.size();
            int h = n >= 4 ? s.get(n - 4) : 1;
            int wd = n >= 3 ? s.get(n - 3) : 1;
            return new int[] {wd, h};
        }
        if (isPooling() && options instanceof BuiltinOptions.Pool2D o) {
            return new int[] {o.filterWidth(), o.filterHeight()};
        }
        return new int[] {1, 1};
    }

    /** The depth multiplier, with Vela's fix for 0: weight channels / ifm channels. */
    int depthMultiplier() {
        if (!(options instanceof BuiltinOptions.DepthwiseConv2D o)) {
            return 1;
        }
        if (o.depthMultiplier() == 0 && weights() != null && ifm() != null && weights().rank() > 2
                && ifm().rank() > 0 && ifm().dim(-1) != 0) {
            return Math.floorDiv(weights().shape().get(2), ifm().dim(-1));
        }
        return o.depthMultiplier();
    }
}
