package npuc.frontend;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/**
 * Vela's verdicts on original TFLite operators: the semantic checks and the supported-operator checks.
 * This covers the operator-type list and the constraints the bundled models exercise; the full
 * constraint sets are kept in one place here so the front end never depends on how they are decided.
 */
public final class OperatorSupport {
    private OperatorSupport() {
    }

    private static final Set<BuiltinOperator> NPU_TYPES = EnumSet.of(
            BuiltinOperator.SHAPE, BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, BuiltinOperator.CONV_2D,
            BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.TRANSPOSE_CONV, BuiltinOperator.AVERAGE_POOL_2D,
            BuiltinOperator.MAX_POOL_2D, BuiltinOperator.RESIZE_BILINEAR, BuiltinOperator.RESIZE_NEAREST_NEIGHBOR,
            BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.MEAN, BuiltinOperator.ARG_MAX, BuiltinOperator.ADD,
            BuiltinOperator.SUB, BuiltinOperator.MUL, BuiltinOperator.MAXIMUM, BuiltinOperator.MINIMUM,
            BuiltinOperator.ABS, BuiltinOperator.EXP, BuiltinOperator.LEAKY_RELU, BuiltinOperator.LOG,
            BuiltinOperator.RSQRT, BuiltinOperator.SQRT, BuiltinOperator.SQUARED_DIFFERENCE, BuiltinOperator.PAD,
            BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.RELU_N1_TO_1, BuiltinOperator.TANH,
            BuiltinOperator.LOGISTIC, BuiltinOperator.SOFTMAX, BuiltinOperator.HARD_SWISH, BuiltinOperator.PRELU,
            BuiltinOperator.QUANTIZE, BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE, BuiltinOperator.EXPAND_DIMS,
            BuiltinOperator.TRANSPOSE, BuiltinOperator.CONCATENATION, BuiltinOperator.PACK, BuiltinOperator.SPLIT,
            BuiltinOperator.SPLIT_V, BuiltinOperator.STRIDED_SLICE, BuiltinOperator.SLICE, BuiltinOperator.UNPACK);

    private static final Set<BuiltinOperator> INT32_TYPES = EnumSet.of(BuiltinOperator.SHAPE, BuiltinOperator.ARG_MAX,
            BuiltinOperator.TRANSPOSE, BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.SUB);

    private static final Set<DataType> SUPPORTED_TYPES = EnumSet.of(DataType.INT16, DataType.INT32, DataType.INT8,
            DataType.UINT8);

    /** Semantic checks (tflite_model_semantic) of one original operator of the model; reason SEMANTIC on failure. */
    public static OperatorPlacement semantic(Graph graph, int subgraph, int operator) {
        Subgraph sg = graph.subgraphs().get(subgraph);
        Operator op = sg.operators().get(operator);
        BuiltinOperator type = graph.operatorCode(op).builtin();
        if (type == BuiltinOperator.SOFTMAX) {
            Tensor ifm = tensor(sg, op.inputs(), 0);
            Tensor ofm = tensor(sg, op.outputs(), 0);
            if (ifm != null && ofm != null && ifm.type() != ofm.type()) {
                return new OperatorPlacement(false, OperatorPlacement.Reason.SEMANTIC, List.of(
                        "Warning: Unsupported TensorFlow Lite semantics for SOFTMAX '" + name(sg, op)
                                + "'. Placing on CPU instead",
                        " - IFM and OFM data types must match",
                        "   Op has ifm_dtype=" + lower(ifm.type()) + " and ofm_dtype=" + lower(ofm.type())));
            }
        }
        return OperatorPlacement.supported();
    }

    /** Supported-operator checks (tflite_supported_operators) of one original operator; UNSUPPORTED or CPU_ONLY on failure. */
    public static OperatorPlacement supported(Graph graph, int subgraph, int operator) {
        Subgraph sg = graph.subgraphs().get(subgraph);
        Operator op = sg.operators().get(operator);
        String typeName = graph.operatorCode(op).displayName();
        BuiltinOperator type = graph.operatorCode(op).isCustom() ? null : graph.operatorCode(op).builtin();
        if (type == null || !NPU_TYPES.contains(type)) {
            return new OperatorPlacement(false, OperatorPlacement.Reason.CPU_ONLY,
                    List.of("Info: " + typeName + " '" + name(sg, op) + "' is a CPU only op"));
        }
        List<Tensor> checked = checkedTensors(sg, op, type);
        for (Tensor t : checked) {
            if (type != BuiltinOperator.ARG_MAX && !SUPPORTED_TYPES.contains(t.type())) {
                return unsupported(typeName, sg, op, "Tensors must be of type: int16, int32, int8, uint8",
                        "Tensor '" + t.name() + "' has data type: " + lower(t.type()));
            }
        }
        if (!INT32_TYPES.contains(type)) {
            List<String> names = new ArrayList<>();
            boolean any = false;
            for (Tensor t : checked) {
                if (t.type() == DataType.INT32) {
                    any = true;
                    if (!t.name().isEmpty()) {
                        names.add(t.name());
                    }
                }
            }
            if (any) {
                return unsupported(typeName, sg, op,
                        "Tensors which are int32 are only valid when op type is: ADD, ARG_MAX, MUL, SHAPE, SUB, TRANSPOSE",
                        "Op has int32 tensor(s): " + String.join(", ", names));
            }
        }
        if (type == BuiltinOperator.DEPTHWISE_CONV_2D && op.options() instanceof BuiltinOptions.DepthwiseConv2D dw
                && dw.depthMultiplier() > 1) {
            Tensor ifm = tensor(sg, op.inputs(), 0);
            Tensor ofm = tensor(sg, op.outputs(), 0);
            int ifmDepth = ifm.shape().get(ifm.shape().size() - 1);
            int ofmDepth = ofm.shape().get(ofm.shape().size() - 1);
            if (ifmDepth != 1 || ofmDepth != dw.depthMultiplier()) {
                return unsupported(typeName, sg, op, "For depth multipliers > 1, IFM channels must be 1 and OFM channels"
                        + " must be equal to the depth multiplier", "Op has ifm_channels=" + ifmDepth
                        + ", ofm_channels=" + ofmDepth + " and depth_multiplier=" + dw.depthMultiplier());
            }
        }
        if (type == BuiltinOperator.TRANSPOSE_CONV && op.options() instanceof BuiltinOptions.TransposeConv tc) {
            Tensor ifm = tensor(sg, op.inputs(), 2);
            Tensor weights = tensor(sg, op.inputs(), 1);
            int sw = tc.strideW();
            int sh = tc.strideH();
            boolean square = (sw == 1 && sh == 1) || (sw == 2 && sh == 2);
            if (!square && ifm != null && weights != null) {
                int ifmHeight = ifm.shape().size() >= 3 ? ifm.shape().get(ifm.shape().size() - 3) : 1;
                int kernelHeight = weights.shape().get(1);
                boolean wide = sw == 2 && sh == 1 && ifmHeight == 1 && kernelHeight == 1;
                if (!wide) {
                    return unsupported(typeName, sg, op,
                            "Stride values for width and height must match one of the following criteria:\n"
                                    + "        Stride values WxH must be 1x1 or 2x2\n"
                                    + "        Stride WxH 2x1 supported if ifm height and kernel height = 1",
                            "Op has ifm_height=" + ifmHeight + ", kernel_height=" + kernelHeight
                                    + " and stride WxH as " + sw + "x" + sh);
                }
            }
        }
        return OperatorPlacement.supported();
    }

    /** The ifm, ifm2, weights and ofm of an operator (all inputs when it has none of those). */
    private static List<Tensor> checkedTensors(Subgraph sg, Operator op, BuiltinOperator type) {
        List<Tensor> out = new ArrayList<>();
        OpType t = OpType.ofBuiltin(type);
        int[] indices = {t.layout.ifm, t.layout.ifm2, t.layout.weights};
        for (int i : indices) {
            Tensor x = i >= 0 ? tensor(sg, op.inputs(), i) : null;
            if (x != null) {
                out.add(x);
            }
        }
        Tensor ofm = tensor(sg, op.outputs(), 0);
        if (ofm != null) {
            out.add(ofm);
        }
        if (out.isEmpty()) {
            for (int i = 0; i < op.inputs().size(); i++) {
                Tensor x = tensor(sg, op.inputs(), i);
                if (x != null) {
                    out.add(x);
                }
            }
        }
        return out;
    }

    private static OperatorPlacement unsupported(String typeName, Subgraph sg, Operator op, String constraint,
                                                 String extra) {
        List<String> lines = new ArrayList<>();
        lines.add("Warning: " + typeName + " '" + name(sg, op) + "' is not supported on the NPU. Placing on CPU instead");
        lines.add(" - " + constraint);
        if (!extra.isEmpty()) {
            lines.add("   " + extra);
        }
        return new OperatorPlacement(false, OperatorPlacement.Reason.UNSUPPORTED, lines);
    }

    private static Tensor tensor(Subgraph sg, List<Integer> indices, int i) {
        if (i < 0 || i >= indices.size() || indices.get(i) < 0) {
            return null;
        }
        return sg.tensors().get(indices.get(i));
    }

    private static String name(Subgraph sg, Operator op) {
        Tensor out = tensor(sg, op.outputs(), 0);
        return out == null ? "unknown_op_name" : out.name();
    }

    private static String lower(DataType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
