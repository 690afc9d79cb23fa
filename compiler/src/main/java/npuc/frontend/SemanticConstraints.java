package npuc.frontend;

import static npuc.frontend.Constraint.Verdict.of;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.frontend.Constraint.Verdict;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;

/**
 * Vela's TFLite semantic checks (tflite_model_semantic): whether an operator is a well-formed TFLite
 * operator at all. They run on every operator of the model, CPU-only types included. A failure pins the
 * operator to the CPU. Generic constraints run first, in order, then the operator type's own; the first
 * failure is the one reported.
 */
final class SemanticConstraints {
    private SemanticConstraints() {
    }

    private static final float FLOAT32_TINY = Float.MIN_NORMAL;

    /** Operator types whose inputs may be scalars. */
    static final Set<BuiltinOperator> SHAPELESS_INPUT_OPS = EnumSet.of(BuiltinOperator.ADD, BuiltinOperator.MUL,
            BuiltinOperator.SUB, BuiltinOperator.MAXIMUM, BuiltinOperator.MINIMUM, BuiltinOperator.SPLIT,
            BuiltinOperator.SPLIT_V, BuiltinOperator.MEAN, BuiltinOperator.EXPAND_DIMS, BuiltinOperator.QUANTIZE,
            BuiltinOperator.ARG_MAX);

    static final Set<BuiltinOperator> UNARY_ELEMENTWISE = EnumSet.of(BuiltinOperator.ABS, BuiltinOperator.EXP,
            BuiltinOperator.LEAKY_RELU, BuiltinOperator.LOG, BuiltinOperator.RSQRT, BuiltinOperator.SQRT,
            BuiltinOperator.GELU);
    static final Set<BuiltinOperator> MIN_MAX = EnumSet.of(BuiltinOperator.MINIMUM, BuiltinOperator.MAXIMUM);
    static final Set<BuiltinOperator> ADD_MUL_SUB = EnumSet.of(BuiltinOperator.ADD, BuiltinOperator.MUL,
            BuiltinOperator.SUB);

    // ---------------------------------------------------------------------------------------------------
    // Generic constraints

    static final Constraint ATTRIBUTES_SPECIFIED = new Constraint(
            "All required operator attributes must be specified",
            op -> of(op.missingAttributes().isEmpty(),
                    "Op has missing attributes: " + PythonText.join(op.missingAttributes())));

    static final Constraint TENSORS_NOT_DYNAMIC = new Constraint(
            "Input(s) and Output tensors must not be dynamic",
            op -> {
                List<String> names = new ArrayList<>();
                for (Operand t : op.presentInputsAndOutputs()) {
                    if (t.shape().isEmpty() && !t.isConstant()) {
                        names.add(t.name());
                    }
                }
                return of(names.isEmpty(), "Op has dynamic tensor(s): " + PythonText.join(names));
            });

    /**
     * TFLite files give every dimension as a number, so a tensor read from a file always has a defined shape;
     * Vela keeps the check for graphs built by its other front ends.
     */
    static final Constraint TENSORS_DEFINED_SHAPE = new Constraint(
            "Input(s) and Output tensors must have a defined shape",
            op -> of(true, ""));

    static final Constraint OUTPUT_NOT_SCALAR = new Constraint(
            "Output tensors cannot be scalar",
            op -> {
                Operand ofm = op.ofm();
                return ofm == null ? of(true, "")
                        : of(!ofm.shape().isEmpty(), "Output Tensor '" + ofm.name() + "' is scalar");
            });

    static final Constraint SCALAR_INPUTS = new Constraint(
            "Scalar Input tensors are only valid for op type: " + OperatorNames.format(SHAPELESS_INPUT_OPS),
            op -> {
                List<String> names = new ArrayList<>();
                for (Operand t : op.presentInputs()) {
                    if (t.shape().isEmpty() && !SHAPELESS_INPUT_OPS.contains(op.type())) {
                        names.add(t.name());
                    }
                }
                return of(names.isEmpty(), "Op has scalar input tensor(s): " + PythonText.join(names));
            });

    static final Constraint TENSORS_AT_MOST_4D = new Constraint(
            "Input(s) and Output tensors must not be greater than 4D",
            op -> {
                List<String> found = new ArrayList<>();
                for (Operand t : op.presentInputsAndOutputs()) {
                    if (t.rank() > 4) {
                        found.add("Tensor '" + t.name() + "' has shape: " + PythonText.list(t.shape()));
                    }
                }
                return of(found.isEmpty(), PythonText.join(found));
            });

    static final Constraint QUANTIZATION_PRESENT = new Constraint(
            "Input(s), Output and Weight tensors must have quantization parameters",
            op -> {
                List<String> names = new ArrayList<>();
                for (Operand t : op.ifmIfm2WeightsOfm()) {
                    if (t.quantization() == null) {
                        names.add(t.name());
                    }
                }
                return of(names.isEmpty(),
                        "Op has tensors with missing quantization parameters: " + PythonText.join(names));
            });

    static final Constraint QUANTIZATION_SCALES_FINITE = new Constraint(
            "Input(s), Output and Weight tensors with quantization scales must be finite",
            op -> {
                List<String> found = new ArrayList<>();
                for (Operand t : op.ifmIfm2WeightsOfm()) {
                    if (t.quantization() != null && !t.quantization().scale().isEmpty()
                            && t.quantization().scale().stream().anyMatch(s -> Float.isInfinite(s))) {
                        found.add("Tensor '" + t.name() + "' has quantization scale: "
                                + PythonText.float32Values(t.quantization().scale()));
                    }
                }
                return of(found.isEmpty(), PythonText.join(found));
            });

    static final Constraint QUANTIZATION_SCALES_FIT_FLOAT32 = new Constraint(
            "Input and Output tensors must have quantization scales that fit within float32 precision",
            op -> {
                Operand ofm = op.ofm();
                if (ofm != null && ofm.isQuantized()) {
                    List<Float> ofmScale = ofm.quantization().scale();
                    if (ofmScale.stream().anyMatch(s -> s < FLOAT32_TINY)) {
                        return of(false, "The quantization scale of the output tensor is "
                                + PythonText.float32Values(ofmScale) + ", minimum supported is: "
                                + PythonText.float32(FLOAT32_TINY));
                    }
                    Operand ifm = op.ifm();
                    if (ifm != null && ifm.isQuantized()) {
                        List<Float> ifmScale = ifm.quantization().scale();
                        int n = Math.max(ifmScale.size(), ofmScale.size());
                        for (int i = 0; i < n; i++) {
                            // float32 division, as numpy divides float32 scales: it overflows to infinity.
                            float ratio = ifmScale.get(ifmScale.size() == 1 ? 0 : Math.min(i, ifmScale.size() - 1))
                                    / ofmScale.get(ofmScale.size() == 1 ? 0 : Math.min(i, ofmScale.size() - 1));
                            if (Float.isInfinite(ratio)) {
                                return of(false, "IFM scale divided by OFM scale is infinite, ifm_scale="
                                        + PythonText.float32Values(ifmScale) + " ofm_scale="
                                        + PythonText.float32Values(ofmScale));
                            }
                        }
                    }
                }
                return of(true, "Op's quantization is ok");
            });

    static final Constraint CONSTANTS_HAVE_VALUES = new Constraint(
            "Constant tensors should not have NoneType-values",
            op -> {
                boolean valid = true;
                String last = "";
                for (Operand t : op.presentInputs()) {
                    if (t.producer() == Operand.Producer.CONSTANT && !t.isConstant()) {
                        valid = false;
                        last = t.name();
                    }
                }
                return of(valid, "Unexpected None value for constant tensor: " + last);
            });

    static final List<Constraint> GENERIC = List.of(ATTRIBUTES_SPECIFIED, TENSORS_NOT_DYNAMIC,
            TENSORS_DEFINED_SHAPE, OUTPUT_NOT_SCALAR, SCALAR_INPUTS, TENSORS_AT_MOST_4D, QUANTIZATION_PRESENT,
            QUANTIZATION_SCALES_FINITE, QUANTIZATION_SCALES_FIT_FLOAT32, CONSTANTS_HAVE_VALUES);

    /** Generic constraints that do not apply to some operator types. */
    static final Map<BuiltinOperator, Set<Constraint>> GENERIC_EXCLUSIONS = Map.of(
            BuiltinOperator.SHAPE, Set.of(QUANTIZATION_PRESENT),
            BuiltinOperator.QUANTIZE, Set.of(TENSORS_NOT_DYNAMIC, OUTPUT_NOT_SCALAR),
            BuiltinOperator.ARG_MAX, Set.of(QUANTIZATION_PRESENT),
            BuiltinOperator.TRANSPOSE, Set.of(QUANTIZATION_PRESENT));

    // ---------------------------------------------------------------------------------------------------
    // Specific constraints

    /** TFLite stores strides as integers, so they always are; the check is kept for the listing. */
    static final Constraint STRIDE_INTEGER = new Constraint(
            "Stride values for both width and height must be integer types",
            op -> of(true, "Op has stride WxH as: " + op.strideW() + "x" + op.strideH()));

    static final Constraint DILATION_INTEGER = new Constraint(
            "Dilation factor values for both width and height must be integer types",
            op -> of(true, "Op has dilation factor WxH as: " + op.dilationW() + "x" + op.dilationH()));

    static final Constraint FILTER_INTEGER = new Constraint(
            "Kernel filter values for both width and height must be integer types",
            op -> of(true, "Op has kernel filter WxH as: " + op.kernelW() + "x" + op.kernelH()));

    static final Constraint CONV_GROUPS_IFM_DEPTH = new Constraint(
            "IFM depth must be a whole multiple of the filter kernel depth",
            op -> {
                int ifmDepth = op.ifm().dim(-1);
                int kernelIc = op.weights().dim(-2);
                boolean valid = kernelIc != 0 && ifmDepth % kernelIc == 0;
                return of(valid, "IFM depth = " + ifmDepth + " and filter kernel depth = " + kernelIc);
            });

    static final Constraint CONV_GROUPS_NUM_FILTERS = new Constraint(
            "Number of filter kernels must be equally divisible by the number of convolution groups",
            op -> {
                int ifmDepth = op.ifm().dim(-1);
                int kernelIc = op.weights().dim(-2);
                int kernelOc = op.weights().dim(-1);
                int groups = kernelIc == 0 ? 0 : Math.floorDiv(ifmDepth, kernelIc);
                boolean valid = groups != 0 && kernelOc % groups == 0;
                return of(valid, "Filter kernels = " + kernelOc + " and convolution groups = " + groups);
            });

    static final Constraint MATCHING_IN_OUT_TYPES = new Constraint(
            "IFM and OFM data types must match",
            op -> of(op.ifm().type() == op.ofm().type(),
                    "Op has ifm_dtype=" + op.ifm().typeName() + " and ofm_dtype=" + op.ofm().typeName()));

    static final Constraint CONCAT_AXIS_EXISTS = new Constraint(
            "Axis attribute must exist",
            op -> {
                Integer axis = concatAxis(op);
                return of(axis != null, "Op has axis=" + (axis == null ? "None" : axis));
            });

    static final Constraint CONCAT_AXIS_VALID = new Constraint(
            "Axis attribute must be in the range [0, <ofm_dimensions>)",
            op -> {
                int dims = op.ofm().rank();
                int axis = normalizedConcatAxis(op);
                return of(0 <= axis && axis < dims,
                        "Op has ofm_dimensions=" + dims + " and axis attribute is: " + axis);
            });

    static final Constraint CONCAT_MATCHING_DIMENSIONALITY = new Constraint(
            "All Input dimensionalities must match OFM dimensionality",
            op -> {
                int ofmDim = op.ofm().rank();
                List<String> found = new ArrayList<>();
                for (Operand t : op.presentInputs()) {
                    if (t.rank() != ofmDim) {
                        found.add("Tensor '" + t.name() + "' has dimension: " + t.rank());
                    }
                }
                return of(found.isEmpty(), "Op has ofm_dimension=" + ofmDim
                        + " and the list of mismatching inputs are: " + PythonText.join(found));
            });

    static final Constraint CONCAT_VALID_DIMENSIONS = new Constraint(
            "All Input dimensions must match OFM dimension in all axes except the one defined by the axis attribute",
            op -> {
                List<Integer> ofmShape = op.ofm().shape();
                int axis = normalizedConcatAxis(op);
                List<String> found = new ArrayList<>();
                for (Operand t : op.presentInputs()) {
                    for (int d = 0; d < ofmShape.size(); d++) {
                        if (d != axis && !t.shape().get(d).equals(ofmShape.get(d))) {
                            found.add("Tensor '" + t.name() + "' has shape: " + PythonText.list(t.shape()));
                            break;
                        }
                    }
                }
                return of(found.isEmpty(), "Op has axis=" + axis + ", ofm_shape=" + PythonText.list(ofmShape)
                        + " and the list of mismatching inputs are: " + PythonText.join(found));
            });

    static final Constraint CONCAT_VALID_AXIS_SIZE = new Constraint(
            "The size of the OFM axis must match the sum of all IFM axis defined by the axis attribute",
            op -> {
                List<Integer> ofmShape = op.ofm().shape();
                int axis = normalizedConcatAxis(op);
                long sum = 0;
                List<String> found = new ArrayList<>();
                for (Operand t : op.presentInputs()) {
                    sum += t.shape().get(axis);
                    found.add("Tensor '" + t.name() + "' has shape: " + PythonText.list(t.shape()));
                }
                return of(sum == ofmShape.get(axis), "Op has axis=" + axis + ", ofm_shape="
                        + PythonText.list(ofmShape) + " and the list of mismatching inputs are: "
                        + PythonText.join(found));
            });

    static final Constraint MATCHING_EITHER_SHAPES = new Constraint(
            "At least one Input's shape must match the OFM's shape",
            op -> {
                List<Integer> ofmShape = op.ofm().shape();
                boolean valid = op.ifm().shape().equals(ofmShape)
                        || (op.ifm2() != null && op.ifm2().shape().equals(ofmShape));
                return of(valid, "Op has ifm_shape=" + PythonText.shape(op.ifm()) + ", ifm2_shape="
                        + PythonText.shape(op.ifm2()) + " and ofm_shape=" + PythonText.list(ofmShape));
            });

    static final Constraint MATCHING_INPUT_TYPES = new Constraint(
            "Both Input data types must match",
            op -> of(op.ifm().type() == op.ifm2().type(),
                    "Op has ifm_dtype=" + op.ifm().typeName() + " and ifm2_dtype=" + op.ifm2().typeName()));

    static final Constraint MATCHING_SIGNED = new Constraint(
            "For IFM that are signed, OFM must also be signed",
            op -> {
                boolean valid = !isSigned(op.ifm().type()) || isSigned(op.ofm().type());
                return of(valid, "Op has ifm_dtype=" + op.ifm().typeName() + " and ofm_dtype=" + op.ofm().typeName());
            });

    static final Constraint UNSIGNED_VALID = new Constraint(
            "For IFM that are unsigned, OFM must either be the same type or int32",
            op -> {
                DataType in = op.ifm().type();
                DataType out = op.ofm().type();
                boolean valid = !isUnsigned(in) || in == out || out == DataType.INT32;
                return of(valid, "Op has ifm_dtype=" + op.ifm().typeName() + " and ofm_dtype=" + op.ofm().typeName());
            });

    static final Constraint MATCHING_IN_OUT_QUANTIZATION = new Constraint(
            "Input and output quantisation must match.",
            op -> op.ifm().scalingEquals(op.ofm())
                    ? of(true, "IFM and OFM quantisation parameters matches.")
                    : of(false, "IFM and OFM quantisation parameters are not equal."));

    static final Constraint MATCHING_IN_OUT_ELEMENTS = new Constraint(
            "Input and output number of elements must match.",
            op -> op.ifm().elementCount() == op.ofm().elementCount()
                    ? of(true, "IFM and OFM number of elements are equal.")
                    : of(false, "IFM " + PythonText.list(op.ifm().shape()) + " and OFM "
                            + PythonText.list(op.ofm().shape()) + " number of elements are not equal."));

    static final Constraint MATCHING_SHAPES = new Constraint(
            "IFM and OFM shapes must match",
            op -> of(op.ifm().shape().equals(op.ofm().shape()), "Op has ifm_shape=" + PythonText.list(op.ifm().shape())
                    + " and ofm_shape=" + PythonText.list(op.ofm().shape())));

    static final Constraint BETA_NOT_NEGATIVE = new Constraint(
            "Beta value needs to be positive",
            op -> {
                double beta = op.options() instanceof BuiltinOptions.Softmax s ? s.beta() : 1.0;
                return of(beta >= 0, "Op has beta=" + PythonText.pythonFloat(beta));
            });

    static final Constraint SPLIT_AXIS = new Constraint(
            "Axis value must be in the range [-RANK(IFM) to +RANK(IFM))",
            op -> {
                Operand input = op.input(1);
                int dims = input == null ? 0 : input.rank();
                Integer axis = splitAxis(op);
                if (axis == null) {
                    return of(false, "Op has ifm_dimensions=" + dims + " and axis value is: None");
                }
                return of(0 <= axis && axis < dims, "Op has ifm_dimensions=" + dims + " and axis value is: " + axis);
            });

    static final Constraint SPLIT_NUM_SPLITS = new Constraint(
            "Axis must be divisible by number of splits",
            op -> {
                Operand input = op.input(1);
                int numSplits = op.options() instanceof BuiltinOptions.Split s ? s.numSplits() : 0;
                int axis = splitAxis(op);
                boolean valid = numSplits != 0 && input.shape().get(axis) % numSplits == 0;
                return of(valid, "Op has ifm shape=" + PythonText.list(input.shape()) + " axis=" + axis
                        + " num_splits=" + numSplits);
            });

    static final Constraint SPLIT_V_ONE_INFERRED = new Constraint(
            "Only one size is allowed to be inferred",
            op -> {
                Operand sizes = op.input(1);
                long[] values = sizes == null ? null : sizes.values();
                long inferred = values == null ? 0 : Arrays.stream(values).filter(v -> v == -1).count();
                return of(inferred <= 1, "Op has multiple inferred sizes (-1): "
                        + (sizes == null ? "None" : sizes.valuesText()));
            });

    static final Constraint STRIDED_SLICE_INPUT_COUNT = new Constraint(
            "Exactly 4 Input tensors are required",
            op -> of(op.inputs().size() == 4, "Op has " + op.inputs().size() + " inputs"));

    static final Constraint STRIDED_SLICE_CONSTANT_INPUTS = new Constraint(
            "Begin, End and Stride Input tensors must be constant",
            op -> {
                List<String> found = new ArrayList<>();
                String[] roles = {"Begin", "End", "Stride"};
                for (int i = 1; i <= 3; i++) {
                    Operand t = op.input(i);
                    if (t == null || !t.isConstant()) {
                        found.add(roles[i - 1] + " tensor '" + (t == null ? "None" : t.name()) + "'");
                    }
                }
                return of(found.isEmpty(), "Op has non-constant tensors: " + PythonText.join(found));
            });

    static final Constraint ELLIPSIS_MASK_ZERO = new Constraint(
            "ellipsis_mask must be 0",
            op -> {
                int mask = stridedSlice(op).ellipsisMask();
                return of(mask == 0, "Op has ellipsis mask as: " + mask);
            });

    static final Constraint AXIS_MASKS = new Constraint(
            "new_axis_mask and shrink_axis_mask cannot both be set",
            op -> {
                BuiltinOptions.StridedSlice s = stridedSlice(op);
                return of(s.newAxisMask() == 0 || s.shrinkAxisMask() == 0, "Op has new_axis_mask="
                        + s.newAxisMask() + " and shrink_axis_mask=" + s.shrinkAxisMask());
            });

    static final Constraint SLICE_RANGES = new Constraint(
            "Slice 'end' values must be greater than 'begin' values",
            op -> {
                BuiltinOptions.StridedSlice s = stridedSlice(op);
                Operand ifm = op.input(0);
                Operand begin = op.input(1);
                Operand end = op.input(2);
                String extra = "Op has begin_values=" + begin.valuesText() + " and end_values=" + end.valuesText();
                long[] b = sliceOffsets(ifm.shape(), begin.values(), s.beginMask(), true);
                long[] e = sliceOffsets(ifm.shape(), end.values(), s.endMask(), false);
                if (b == null || e == null) {
                    return of(false, extra);
                }
                boolean valid = true;
                for (int i = 0; i < ifm.rank(); i++) {
                    if ((s.shrinkAxisMask() & (1 << i)) == 0 && e[i] <= b[i]) {
                        valid = false;
                    }
                }
                return of(valid, extra);
            });

    static final Constraint FC_OUTPUT_2D = new Constraint(
            "The output tensor(s) must have 2D shape",
            op -> {
                Operand ifm = op.ifm();
                Operand w = op.weights();
                long inner = w.rank() >= 2 ? w.dim(-2) : 0;
                long elements = ifm.elementCount();
                boolean valid = inner != 0 && (elements / inner) * inner == elements && ifm.rank() != 1;
                return of(valid, valid ? "" : "Op has non-2D output tensor '" + op.ofm().name() + "'");
            });

    static final Constraint KEEP_DIMS_MATCH = new Constraint(
            "The IFM and OFM must have the same number of dimensions if keep_num_dims is set to true",
            op -> {
                boolean keep = op.options() instanceof BuiltinOptions.FullyConnected f && f.keepNumDims();
                boolean valid = !keep || op.ifm().rank() == op.ofm().rank();
                return of(valid, "Op has ifm shape=" + PythonText.list(op.ifm().shape()) + " and ofm shape="
                        + PythonText.list(op.ofm().shape()));
            });

    static final Constraint PAD_INPUT_COUNT = new Constraint(
            "Number of input tensors must be exactly 2",
            op -> of(op.inputs().size() == 2, "Op has " + op.inputs().size() + " inputs"));

    static final Constraint PAD_CONSTANT = new Constraint(
            "The padding tensor must be constant",
            op -> {
                Operand pad = op.input(1);
                boolean valid = pad != null && pad.isConstant();
                return of(valid, "Op has non-constant padding tensor: " + (pad == null ? "None" : pad.valuesText()));
            });

    static final Constraint PAD_OUTPUT_SHAPE = new Constraint(
            "Shape of output tensor must equal to size of input tensor plus padding",
            op -> {
                List<Integer> in = op.input(0).shape();
                List<Integer> out = op.ofm().shape();
                long[] pads = op.input(1).values();
                int rows = pads.length / 2;
                // Vela adds the input shape and the two pad columns elementwise (numpy broadcasting).
                int n = in.size() == rows ? rows : (rows == 1 ? in.size() : (in.size() == 1 ? rows : -1));
                if (n < 0) {
                    return of(false, "Op has wrong output tensor shape: " + PythonText.list(out)
                            + ", has shape: None");
                }
                long[] actual = new long[n];
                for (int i = 0; i < n; i++) {
                    int r = rows == 1 ? 0 : i;
                    actual[i] = in.get(in.size() == 1 ? 0 : i) + pads[2 * r] + pads[2 * r + 1];
                }
                boolean valid = actual.length == out.size();
                for (int i = 0; valid && i < actual.length; i++) {
                    valid = actual[i] == out.get(i);
                }
                return of(valid, "Op has wrong output tensor shape: " + PythonText.list(out) + ", has shape: "
                        + PythonText.array(actual, List.of(n)));
            });

    static final Constraint INPUT_8BIT = new Constraint(
            "IFM must be int8 or uint8",
            op -> of(op.ifm().type() == DataType.INT8 || op.ifm().type() == DataType.UINT8,
                    "Op has ifm_dtype=" + op.ifm().typeName()));

    static final Constraint INPUT_SIGNED = new Constraint(
            "IFM must be int8 or int16",
            op -> of(op.ifm().type() == DataType.INT8 || op.ifm().type() == DataType.INT16,
                    "Op has ifm_dtype=" + op.ifm().typeName()));

    static final Constraint ARG_MAX_OUTPUT = new Constraint(
            "OFM must be int32 or int64",
            op -> of(op.ofm().type() == DataType.INT32 || op.ofm().type() == DataType.INT64,
                    "Op has ofm_dtype=" + op.ofm().typeName()));

    static final Constraint MEAN_INPUT_DIMS = new Constraint(
            "Input tensor must be at least 2D",
            op -> {
                int dims = op.input(0).rank();
                return of(2 <= dims && dims <= 4, "Input is " + dims + "D");
            });

    static final Constraint MEAN_AXIS = new Constraint(
            """
                    Requirements for axis parameter:
                            When IFM tensor is 2D:
                              - Reduction in both axes is supported.
                            When IFM tensor is 3D or 4D:
                              - Reduction in Batch axis is only supported if batch size is 1.
                              - Reduction in both Height and Width axes is supported.
                              - Reduction in Depth axis is supported if at least one of H,W,C are of size 1.""",
            op -> {
                List<Integer> shape = op.input(0).shape();
                int dims = shape.size();
                long[] axes = meanAxes(op);
                if (axes == null) {
                    return of(false, "Shape is " + PythonText.list(shape) + ", Axis is None.");
                }
                boolean valid = true;
                for (long ax : axes) {
                    if (ax < 0 || ax >= dims) {
                        // Vela's message here is a plain string, braces included.
                        return of(false, "Axis parameter is out of bounds. axis: {axis}, dims: {dims}. ");
                    }
                    if (dims == 4 && ax == 0 && shape.get(0) != 1) {
                        valid = false;
                        break;
                    }
                    if (dims == 3 && ax == 2 && !shape.contains(1)) {
                        valid = false;
                        break;
                    }
                    if (dims == 4 && ax == 3 && !shape.subList(1, 4).contains(1)) {
                        valid = false;
                        break;
                    }
                }
                return of(valid, "Shape is " + PythonText.list(shape) + ", Axis is " + axesText(axes) + ".");
            });

    static final Constraint LSTM_DIMENSIONS = new Constraint(
            "IFM and OFM must have 3D shape",
            op -> of(op.ifm().rank() == 3 && op.ofm().rank() == 3, "Op has ifm shape "
                    + PythonText.list(op.ifm().shape()) + " and ofm shape " + PythonText.list(op.ofm().shape())));

    static final Constraint LSTM_INPUTS = new Constraint(
            "Must have 24 input tensors",
            op -> of(op.inputs().size() == 24, "Op has " + op.inputs().size() + " inputs"));

    static final Constraint LSTM_INTERMEDIATES = new Constraint(
            "Must have 5 intermediate tensors",
            op -> of(op.intermediates().size() == 5, "Op has " + op.intermediates().size() + " intermediates"));

    static final Constraint LSTM_VARIABLES = new Constraint(
            "State tensors must be variable",
            op -> {
                List<String> names = new ArrayList<>();
                for (int i = 18; i < 20; i++) {
                    Operand t = op.input(i);
                    if (t == null || !t.variable()) {
                        names.add(t == null ? "None" : t.name());
                    }
                }
                return of(names.isEmpty(), "Op has non-variable state tensor(s): " + PythonText.join(names));
            });

    static final Constraint PERMUTATION_SIZE = new Constraint(
            "Permutation array must be a 1D tensor with RANK(IFM) elements",
            op -> {
                int dims = op.input(0).rank();
                Operand perm = op.input(1);
                boolean valid = perm != null && perm.rank() == 1 && perm.shape().get(0) == dims;
                return of(valid, "Op has ifm_dimension=" + dims + " and permutation shape "
                        + PythonText.shape(perm));
            });

    static final Constraint PERMUTATION_VALUES = new Constraint(
            "Permutation array must have constant values in the range [0, RANK(IFM))",
            op -> {
                int dims = op.input(0).rank();
                Operand perm = op.input(1);
                long[] values = perm.values();
                boolean valid = values != null && Arrays.stream(values).allMatch(v -> v >= 0 && v < dims);
                return of(valid, "Op has ifm_dimension=" + dims + " and permutation values are: " + perm.valuesText());
            });

    /** The specific constraints of each operator type, in Vela's order. */
    static final Map<BuiltinOperator, List<Constraint>> SPECIFIC = specific();

    private static Map<BuiltinOperator, List<Constraint>> specific() {
        Map<BuiltinOperator, List<Constraint>> m = new EnumMap<>(BuiltinOperator.class);
        m.put(BuiltinOperator.CONV_2D, List.of(STRIDE_INTEGER, CONV_GROUPS_IFM_DEPTH, CONV_GROUPS_NUM_FILTERS,
                DILATION_INTEGER));
        m.put(BuiltinOperator.DEPTHWISE_CONV_2D, List.of(STRIDE_INTEGER, DILATION_INTEGER));
        m.put(BuiltinOperator.TRANSPOSE_CONV, List.of(STRIDE_INTEGER));
        m.put(BuiltinOperator.AVERAGE_POOL_2D, List.of(STRIDE_INTEGER, MATCHING_IN_OUT_TYPES, FILTER_INTEGER));
        m.put(BuiltinOperator.MAX_POOL_2D, List.of(STRIDE_INTEGER, MATCHING_IN_OUT_TYPES, FILTER_INTEGER));
        m.put(BuiltinOperator.CONCATENATION, List.of(CONCAT_AXIS_EXISTS, CONCAT_AXIS_VALID,
                CONCAT_MATCHING_DIMENSIONALITY, CONCAT_VALID_DIMENSIONS, CONCAT_VALID_AXIS_SIZE));
        for (BuiltinOperator op : UNARY_ELEMENTWISE) {
            m.put(op, List.of(MATCHING_EITHER_SHAPES, MATCHING_IN_OUT_TYPES));
        }
        m.put(BuiltinOperator.EXP, List.of(MATCHING_EITHER_SHAPES, MATCHING_IN_OUT_TYPES, INPUT_SIGNED));
        for (BuiltinOperator op : MIN_MAX) {
            m.put(op, List.of(MATCHING_EITHER_SHAPES, MATCHING_IN_OUT_TYPES));
        }
        for (BuiltinOperator op : ADD_MUL_SUB) {
            m.put(op, List.of(MATCHING_EITHER_SHAPES, MATCHING_INPUT_TYPES, MATCHING_SIGNED, UNSIGNED_VALID));
        }
        m.put(BuiltinOperator.SQUARED_DIFFERENCE, List.of(MATCHING_EITHER_SHAPES));
        for (BuiltinOperator op : List.of(BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE,
                BuiltinOperator.EXPAND_DIMS)) {
            m.put(op, List.of(MATCHING_IN_OUT_QUANTIZATION, MATCHING_IN_OUT_ELEMENTS));
        }
        m.put(BuiltinOperator.SOFTMAX, List.of(MATCHING_SHAPES, MATCHING_IN_OUT_TYPES, BETA_NOT_NEGATIVE));
        m.put(BuiltinOperator.SPLIT, List.of(SPLIT_AXIS, SPLIT_NUM_SPLITS));
        m.put(BuiltinOperator.SPLIT_V, List.of(SPLIT_V_ONE_INFERRED));
        m.put(BuiltinOperator.STRIDED_SLICE, List.of(STRIDED_SLICE_INPUT_COUNT, STRIDED_SLICE_CONSTANT_INPUTS,
                ELLIPSIS_MASK_ZERO, AXIS_MASKS, SLICE_RANGES));
        m.put(BuiltinOperator.FULLY_CONNECTED, List.of(FC_OUTPUT_2D, KEEP_DIMS_MATCH));
        m.put(BuiltinOperator.PAD, List.of(PAD_INPUT_COUNT, PAD_CONSTANT, PAD_OUTPUT_SHAPE));
        m.put(BuiltinOperator.HARD_SWISH, List.of(INPUT_8BIT, MATCHING_IN_OUT_TYPES));
        m.put(BuiltinOperator.MEAN, List.of(MEAN_INPUT_DIMS, MEAN_AXIS));
        m.put(BuiltinOperator.ARG_MAX, List.of(INPUT_8BIT, ARG_MAX_OUTPUT));
        m.put(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, List.of(INPUT_SIGNED, MATCHING_IN_OUT_TYPES,
                LSTM_DIMENSIONS, LSTM_INPUTS, LSTM_INTERMEDIATES, LSTM_VARIABLES));
        m.put(BuiltinOperator.TRANSPOSE, List.of(PERMUTATION_SIZE, PERMUTATION_VALUES));
        return m;
    }

    /** The constraints Vela checks for this operator type, generic ones first, in order. */
    static List<Constraint> constraintsFor(BuiltinOperator type) {
        List<Constraint> list = new ArrayList<>();
        Set<Constraint> excluded = type == null ? Set.of() : GENERIC_EXCLUSIONS.getOrDefault(type, Set.of());
        for (Constraint c : GENERIC) {
            if (!excluded.contains(c)) {
                list.add(c);
            }
        }
        if (type != null) {
            list.addAll(SPECIFIC.getOrDefault(type, List.of()));
        }
        return list;
    }

    // ---------------------------------------------------------------------------------------------------

    static boolean isSigned(DataType t) {
        return switch (t) {
            case INT4, INT8, INT16, INT32, INT64 -> true;
            default -> false;
        };
    }

    static boolean isUnsigned(DataType t) {
        return switch (t) {
            case UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    private static Integer concatAxis(CheckedOperator op) {
        return op.options() instanceof BuiltinOptions.Concatenation c ? c.axis() : null;
    }

    private static int normalizedConcatAxis(CheckedOperator op) {
        int axis = concatAxis(op);
        return axis < 0 ? axis + op.ofm().rank() : axis;
    }

    /** SPLIT's axis (its first input, a scalar or the first element), normalised; null when not constant. */
    private static Integer splitAxis(CheckedOperator op) {
        Operand axisTensor = op.input(0);
        Operand input = op.input(1);
        long[] values = axisTensor == null ? null : axisTensor.values();
        if (values == null || values.length == 0 || input == null) {
            return null;
        }
        int axis = (int) values[0];
        return axis < 0 ? axis + input.rank() : axis;
    }

    private static BuiltinOptions.StridedSlice stridedSlice(CheckedOperator op) {
        return op.options() instanceof BuiltinOptions.StridedSlice s ? s
                : new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false);
    }

    /** Begin or end offsets of a strided slice: masked axes take 0 or the full size, negatives count back. */
    private static long[] sliceOffsets(List<Integer> shape, long[] values, int mask, boolean begin) {
        long[] offsets = new long[shape.size()];
        for (int i = 0; i < shape.size(); i++) {
            offsets[i] = begin ? 0 : shape.get(i);
            if ((mask & (1 << i)) == 0) {
                if (values == null || i >= values.length) {
                    return null;
                }
                offsets[i] = values[i] < 0 ? values[i] + shape.get(i) : values[i];
            }
        }
        return offsets;
    }

    /** MEAN's reduced axes from its second input; null when it is not constant. */
    static long[] meanAxes(CheckedOperator op) {
        Operand axis = op.input(1);
        return axis == null ? null : axis.values();
    }

    /** Vela prints the axes as a Python list. */
    static String axesText(long[] axes) {
        List<Long> list = new ArrayList<>();
        for (long a : axes) {
            list.add(a);
        }
        return PythonText.list(list);
    }
}
