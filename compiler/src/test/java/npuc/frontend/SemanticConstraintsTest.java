package npuc.frontend;

import static npuc.frontend.OneOperatorGraph.Q;
import static npuc.frontend.OneOperatorGraph.filled;
import static npuc.frontend.OneOperatorGraph.values;
import static npuc.graph.DataType.INT16;
import static npuc.graph.DataType.INT32;
import static npuc.graph.DataType.INT8;
import static npuc.graph.DataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.frontend.OperatorPlacement.Reason;
import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Padding;
import npuc.graph.Quantization;

/** One case per semantic constraint: the verdict and the exact lines Vela prints. */
class SemanticConstraintsTest {

    private static final BuiltinOptions.Conv2D CONV = new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1);

    private static void assertFails(OneOperatorGraph g, String typeAndName, String description, String extra) {
        OperatorPlacement p = g.semantic();
        List<String> expected = new ArrayList<>();
        expected.add("Warning: Unsupported TensorFlow Lite semantics for " + typeAndName + ". Placing on CPU instead");
        expected.addAll(List.of((" - " + description).split("\n")));
        if (!extra.isEmpty()) {
            expected.addAll(List.of(("   " + extra).split("\n")));
        }
        assertEquals(new OperatorPlacement(false, Reason.SEMANTIC, expected), p);
    }

    private static void assertPasses(OneOperatorGraph g) {
        assertEquals(new OperatorPlacement(true, Reason.SUPPORTED, List.of()), g.semantic());
    }

    private static OneOperatorGraph relu() {
        return OneOperatorGraph.of(BuiltinOperator.RELU, null);
    }

    // ---------------------------------------------------------------------------------------------------
    // Generic

    @Test
    void missingOptionsListEveryAttributeInVelasOrder() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, null)
                .in("x", INT8, Q, 1, 4, 4, 2).constant("w", INT8, Q, filled(2, 1), 1, 1, 1, 2)
                .out("y", INT8, Q, 1, 4, 4, 1);
        assertFails(g, "CONV_2D 'y'", "All required operator attributes must be specified",
                "Op has missing attributes: dilation_h_factor, dilation_w_factor, fused_activation_function, "
                        + "padding, stride_h, stride_w");
    }

    @Test
    void reshapeMayLeaveOutNewShapeWhenItHasAShapeInput() {
        OneOperatorGraph withShape = OneOperatorGraph.of(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(null))
                .in("x", INT8, Q, 1, 4).constant("s", INT32, null, values(4), 1).out("y", INT8, Q, 4);
        assertPasses(withShape);
        OneOperatorGraph without = OneOperatorGraph.of(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(null))
                .in("x", INT8, Q, 1, 4).out("y", INT8, Q, 4);
        assertFails(without, "RESHAPE 'y'", "All required operator attributes must be specified",
                "Op has missing attributes: new_shape");
    }

    @Test
    void squeezeWithoutSqueezeDimsIsMissingAnAttribute() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(null))
                .in("x", INT8, Q, 1, 4).out("y", INT8, Q, 4);
        assertFails(g, "SQUEEZE 'y'", "All required operator attributes must be specified",
                "Op has missing attributes: squeeze_dims");
    }

    @Test
    void dynamicTensorsAreScalarsWithoutData() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.ADD, new BuiltinOptions.Add(Activation.NONE, false))
                .in("a", INT8, Q, 1, 4).in("b", INT8, Q).out("y", INT8, Q, 1, 4);
        assertFails(g, "ADD 'y'", "Input(s) and Output tensors must not be dynamic", "Op has dynamic tensor(s): b");
    }

    @Test
    void quantizeMayHaveAScalarOutput() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.QUANTIZE, new BuiltinOptions.Quantize())
                .in("a", INT8, Q, 1, 4).out("y", INT16, Q);
        assertPasses(g);
    }

    @Test
    void tensorsReadFromAFileAlwaysHaveADefinedShape() {
        OneOperatorGraph g = relu().in("x", INT8, Q, 1, -1).out("y", INT8, Q, 1, -1);
        CheckedOperator op = CheckedOperator.of(g.build(), 0, 0);
        assertTrue(SemanticConstraints.TENSORS_DEFINED_SHAPE.apply(op).valid());
    }

    @Test
    void outputsCannotBeScalar() {
        OneOperatorGraph g = relu().in("x", INT8, Q, 1).constantOut("y", INT8, Q, values(0));
        assertFails(g, "RELU 'y'", "Output tensors cannot be scalar", "Output Tensor 'y' is scalar");
    }

    @Test
    void scalarInputsOnlyForSomeTypes() {
        OneOperatorGraph g = relu().constant("x", INT8, Q, values(3)).out("y", INT8, Q, 1);
        assertFails(g, "RELU 'y'", "Scalar Input tensors are only valid for op type: ADD, ARG_MAX, EXPAND_DIMS, "
                + "MAXIMUM, MEAN, MINIMUM, MUL, QUANTIZE, SPLIT, SPLIT_V, SUB", "Op has scalar input tensor(s): x");
        OneOperatorGraph add = OneOperatorGraph.of(BuiltinOperator.ADD, new BuiltinOptions.Add(Activation.NONE, false))
                .in("a", INT8, Q, 1, 4).constant("b", INT8, Q, values(3)).out("y", INT8, Q, 1, 4);
        assertPasses(add);
    }

    @Test
    void tensorsAtMost4D() {
        OneOperatorGraph g = relu().in("x", INT8, Q, 1, 1, 2, 2, 2).out("y", INT8, Q, 1, 1, 2, 2, 2);
        assertFails(g, "RELU 'y'", "Input(s) and Output tensors must not be greater than 4D",
                "Tensor 'x' has shape: [1, 1, 2, 2, 2], Tensor 'y' has shape: [1, 1, 2, 2, 2]");
    }

    @Test
    void quantizationRequiredExceptForShape() {
        assertFails(relu().in("x", INT8, null, 1, 4).out("y", INT8, Q, 1, 4), "RELU 'y'",
                "Input(s), Output and Weight tensors must have quantization parameters",
                "Op has tensors with missing quantization parameters: x");
        // Neither scale nor zero point: Vela has no quantization either.
        Quantization empty = new Quantization(List.of(-1f), List.of(1f), List.of(), List.of(), 0);
        assertFails(relu().in("x", INT8, Q, 1, 4).out("y", INT8, empty, 1, 4), "RELU 'y'",
                "Input(s), Output and Weight tensors must have quantization parameters",
                "Op has tensors with missing quantization parameters: y");
        assertPasses(OneOperatorGraph.of(BuiltinOperator.SHAPE, new BuiltinOptions.Shape(INT32))
                .in("x", INT8, null, 1, 4).out("y", INT32, null, 2));
    }

    @Test
    void quantizationScalesFinite() {
        OneOperatorGraph g = relu().in("x", INT8, Quantization.perTensor(Float.POSITIVE_INFINITY, 0), 1, 4)
                .out("y", INT8, Q, 1, 4);
        assertFails(g, "RELU 'y'", "Input(s), Output and Weight tensors with quantization scales must be finite",
                "Tensor 'x' has quantization scale: inf");
    }

    @Test
    void outputScaleFitsFloat32() {
        OneOperatorGraph tiny = relu().in("x", INT8, Q, 1, 4).out("y", INT8, Quantization.perTensor(1e-39f, 0), 1, 4);
        assertFails(tiny, "RELU 'y'",
                "Input and Output tensors must have quantization scales that fit within float32 precision",
                "The quantization scale of the output tensor is 1e-39, minimum supported is: 1.1754944e-38");
        OneOperatorGraph ratio = relu().in("x", INT8, Quantization.perTensor(1e30f, 0), 1, 4)
                .out("y", INT8, Quantization.perTensor(1e-30f, 0), 1, 4);
        assertFails(ratio, "RELU 'y'",
                "Input and Output tensors must have quantization scales that fit within float32 precision",
                "IFM scale divided by OFM scale is infinite, ifm_scale=1e+30 ofm_scale=1e-30");
    }

    @Test
    void constantTensorsNeedValues() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.ADD, new BuiltinOptions.Add(Activation.NONE, false))
                .in("a", INT8, Q, 1, 4).orphan("c", INT8, Q, 1, 4).out("y", INT8, Q, 1, 4);
        assertFails(g, "ADD 'y'", "Constant tensors should not have NoneType-values",
                "Unexpected None value for constant tensor: c");
    }

    @Test
    void operatorsWithoutOutputsAreNamedUnknown() {
        OneOperatorGraph g = relu().in("x", INT8, Q, 1, 4);
        CheckedOperator op = CheckedOperator.of(g.build(), 0, 0);
        assertEquals("unknown_op_name", op.name());
    }

    @Test
    void assignVariableGetsAVirtualScalarOutputNamedAfterItsIndex() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.ASSIGN_VARIABLE, new BuiltinOptions.Unmodelled(109))
                .in("h", DataType.RESOURCE, null).in("v", INT8, Q, 1, 4);
        assertFails(g, "ASSIGN_VARIABLE 'AssignVariable_0'", "Input(s) and Output tensors must not be dynamic",
                "Op has dynamic tensor(s): h, AssignVariable_0");
    }

    // ---------------------------------------------------------------------------------------------------
    // Convolutions and pools

    @Test
    void convolutionGroupsNeedIfmDepthMultipleOfKernelDepth() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, CONV)
                .in("x", INT8, Q, 1, 4, 4, 6).constant("w", INT8, Q, filled(8 * 4, 1), 8, 1, 1, 4)
                .out("y", INT8, Q, 1, 4, 4, 8);
        assertFails(g, "CONV_2D 'y'", "IFM depth must be a whole multiple of the filter kernel depth",
                "IFM depth = 6 and filter kernel depth = 4");
    }

    @Test
    void convolutionGroupsDivideTheFilters() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D, CONV)
                .in("x", INT8, Q, 1, 4, 4, 8).constant("w", INT8, Q, filled(5 * 4, 1), 5, 1, 1, 4)
                .out("y", INT8, Q, 1, 4, 4, 5);
        assertFails(g, "CONV_2D 'y'",
                "Number of filter kernels must be equally divisible by the number of convolution groups",
                "Filter kernels = 5 and convolution groups = 2");
        OneOperatorGraph grouped = OneOperatorGraph.of(BuiltinOperator.CONV_2D, CONV)
                .in("x", INT8, Q, 1, 4, 4, 8).constant("w", INT8, Q, filled(6 * 4, 1), 6, 1, 1, 4)
                .out("y", INT8, Q, 1, 4, 4, 6);
        assertPasses(grouped);
    }

    @Test
    void integerStridesDilationsAndFiltersAlwaysHoldInTflite() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.CONV_2D,
                        new BuiltinOptions.Conv2D(Padding.SAME, 2, 3, Activation.NONE, 4, 5))
                .in("x", INT8, Q, 1, 4, 4, 1).constant("w", INT8, Q, filled(6, 1), 1, 2, 3, 1)
                .out("y", INT8, Q, 1, 2, 2, 1);
        CheckedOperator op = CheckedOperator.of(g.build(), 0, 0);
        assertEquals(Constraint.Verdict.of(true, "Op has stride WxH as: 2x3"),
                SemanticConstraints.STRIDE_INTEGER.apply(op));
        assertEquals(Constraint.Verdict.of(true, "Op has dilation factor WxH as: 4x5"),
                SemanticConstraints.DILATION_INTEGER.apply(op));
        assertEquals(Constraint.Verdict.of(true, "Op has kernel filter WxH as: 3x2"),
                SemanticConstraints.FILTER_INTEGER.apply(op));
    }

    @Test
    void poolTypesMatch() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.MAX_POOL_2D,
                        new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE))
                .in("x", INT8, Q, 1, 4, 4, 1).out("y", UINT8, Q, 1, 2, 2, 1);
        assertFails(g, "MAX_POOL_2D 'y'", "IFM and OFM data types must match", "Op has ifm_dtype=int8 and ofm_dtype=uint8");
    }

    // ---------------------------------------------------------------------------------------------------
    // Concatenation

    private static OneOperatorGraph concat(BuiltinOptions options, int[] a, int[] b, int[] out) {
        return OneOperatorGraph.of(BuiltinOperator.CONCATENATION, options)
                .in("a", INT8, Q, a).in("b", INT8, Q, b).out("y", INT8, Q, out);
    }

    @Test
    void concatenationAxisMustExist() {
        // The table is present (so no attribute is missing) but not one npuc reads an axis from.
        OneOperatorGraph g = concat(new BuiltinOptions.Unmodelled(10), new int[] {1, 2}, new int[] {1, 2},
                new int[] {1, 4});
        assertFails(g, "CONCATENATION 'y'", "Axis attribute must exist", "Op has axis=None");
    }

    @Test
    void concatenationAxisInRange() {
        OneOperatorGraph g = concat(new BuiltinOptions.Concatenation(-3, Activation.NONE), new int[] {1, 2},
                new int[] {1, 2}, new int[] {1, 4});
        assertFails(g, "CONCATENATION 'y'", "Axis attribute must be in the range [0, <ofm_dimensions>)",
                "Op has ofm_dimensions=2 and axis attribute is: -1");
    }

    @Test
    void concatenationDimensionalities() {
        OneOperatorGraph g = concat(new BuiltinOptions.Concatenation(1, Activation.NONE), new int[] {1, 2},
                new int[] {1, 2, 1}, new int[] {1, 4});
        assertFails(g, "CONCATENATION 'y'", "All Input dimensionalities must match OFM dimensionality",
                "Op has ofm_dimension=2 and the list of mismatching inputs are: Tensor 'b' has dimension: 3");
    }

    @Test
    void concatenationDimensionsOffTheAxis() {
        OneOperatorGraph g = concat(new BuiltinOptions.Concatenation(-1, Activation.NONE), new int[] {1, 2},
                new int[] {2, 2}, new int[] {1, 4});
        assertFails(g, "CONCATENATION 'y'",
                "All Input dimensions must match OFM dimension in all axes except the one defined by the axis attribute",
                "Op has axis=1, ofm_shape=[1, 4] and the list of mismatching inputs are: Tensor 'b' has shape: [2, 2]");
    }

    @Test
    void concatenationAxisSizes() {
        OneOperatorGraph g = concat(new BuiltinOptions.Concatenation(1, Activation.NONE), new int[] {1, 2},
                new int[] {1, 3}, new int[] {1, 4});
        assertFails(g, "CONCATENATION 'y'",
                "The size of the OFM axis must match the sum of all IFM axis defined by the axis attribute",
                "Op has axis=1, ofm_shape=[1, 4] and the list of mismatching inputs are: Tensor 'a' has shape: [1, 2], "
                        + "Tensor 'b' has shape: [1, 3]");
    }

    // ---------------------------------------------------------------------------------------------------
    // Elementwise

    private static OneOperatorGraph add(DataType a, DataType b, DataType out, int[] shapeA, int[] shapeOut) {
        return OneOperatorGraph.of(BuiltinOperator.ADD, new BuiltinOptions.Add(Activation.NONE, false))
                .in("a", a, Q, shapeA).in("b", b, Q, 1, 2, 2, 1).out("y", out, Q, shapeOut);
    }

    @Test
    void elementwiseNeedsAnInputShapedLikeTheOutput() {
        OneOperatorGraph g = add(INT8, INT8, INT8, new int[] {1, 2, 2, 1}, new int[] {1, 4, 4, 1});
        assertFails(g, "ADD 'y'", "At least one Input's shape must match the OFM's shape",
                "Op has ifm_shape=[1, 2, 2, 1], ifm2_shape=[1, 2, 2, 1] and ofm_shape=[1, 4, 4, 1]");
        OneOperatorGraph unary = OneOperatorGraph.of(BuiltinOperator.ABS, new BuiltinOptions.Abs())
                .in("x", INT8, Q, 1, 2).out("y", INT8, Q, 2, 2);
        assertFails(unary, "ABS 'y'", "At least one Input's shape must match the OFM's shape",
                "Op has ifm_shape=[1, 2], ifm2_shape=None and ofm_shape=[2, 2]");
    }

    @Test
    void unaryTypesMatch() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.LOG, null).in("x", INT8, Q, 1, 2)
                .out("y", INT16, Q, 1, 2);
        assertFails(g, "LOG 'y'", "IFM and OFM data types must match", "Op has ifm_dtype=int8 and ofm_dtype=int16");
    }

    @Test
    void addInputTypesMatch() {
        assertFails(add(INT8, INT16, INT8, new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}), "ADD 'y'",
                "Both Input data types must match", "Op has ifm_dtype=int8 and ifm2_dtype=int16");
    }

    @Test
    void signedInputsNeedSignedOutputs() {
        assertFails(add(INT8, INT8, UINT8, new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}), "ADD 'y'",
                "For IFM that are signed, OFM must also be signed", "Op has ifm_dtype=int8 and ofm_dtype=uint8");
    }

    @Test
    void unsignedInputsNeedTheSameTypeOrInt32() {
        assertFails(add(UINT8, UINT8, INT16, new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}), "ADD 'y'",
                "For IFM that are unsigned, OFM must either be the same type or int32",
                "Op has ifm_dtype=uint8 and ofm_dtype=int16");
        assertPasses(add(UINT8, UINT8, INT32, new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}));
    }

    @Test
    void minimumTypesMatch() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.MINIMUM, new BuiltinOptions.MaximumMinimum())
                .in("a", INT8, Q, 1, 2).in("b", INT8, Q, 1, 2).out("y", INT16, Q, 1, 2);
        assertFails(g, "MINIMUM 'y'", "IFM and OFM data types must match", "Op has ifm_dtype=int8 and ofm_dtype=int16");
    }

    // ---------------------------------------------------------------------------------------------------
    // Reshapes, softmax, splits

    @Test
    void reshapeKeepsQuantization() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(4)))
                .in("x", INT8, Q, 1, 4).out("y", INT8, Quantization.perTensor(0.1f, 0), 4);
        assertFails(g, "RESHAPE 'y'", "Input and output quantisation must match.",
                "IFM and OFM quantisation parameters are not equal.");
    }

    @Test
    void reshapeKeepsElementCount() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.EXPAND_DIMS, new BuiltinOptions.ExpandDims())
                .in("x", INT8, Q, 1, 4).constant("axis", INT32, null, values(0), 1).out("y", INT8, Q, 1, 1, 5);
        assertFails(g, "EXPAND_DIMS 'y'", "Input and output number of elements must match.",
                "IFM [1, 4] and OFM [1, 1, 5] number of elements are not equal.");
    }

    @Test
    void softmaxShapesMatch() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f))
                .in("x", INT8, Q, 1, 4).out("y", INT8, Q, 1, 5);
        assertFails(g, "SOFTMAX 'y'", "IFM and OFM shapes must match", "Op has ifm_shape=[1, 4] and ofm_shape=[1, 5]");
    }

    @Test
    void softmaxTypesMatch() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f))
                .in("x", INT8, Q, 1, 4).out("", INT16, Q, 1, 4);
        assertFails(g, "SOFTMAX ''", "IFM and OFM data types must match", "Op has ifm_dtype=int8 and ofm_dtype=int16");
    }

    @Test
    void softmaxBetaNotNegative() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(-0.5f))
                .in("x", INT8, Q, 1, 4).out("y", INT8, Q, 1, 4);
        assertFails(g, "SOFTMAX 'y'", "Beta value needs to be positive", "Op has beta=-0.5");
    }

    private static OneOperatorGraph split(long axis, int numSplits) {
        return OneOperatorGraph.of(BuiltinOperator.SPLIT, new BuiltinOptions.Split(numSplits))
                .constant("axis", INT32, null, values(axis)).in("x", INT8, Q, 1, 6)
                .out("y0", INT8, Q, 1, 3).out("y1", INT8, Q, 1, 3);
    }

    @Test
    void splitAxisInRange() {
        assertFails(split(2, 2), "SPLIT 'y0'", "Axis value must be in the range [-RANK(IFM) to +RANK(IFM))",
                "Op has ifm_dimensions=2 and axis value is: 2");
        assertPasses(split(-1, 2));
    }

    @Test
    void splitDividesTheAxis() {
        assertFails(split(1, 4), "SPLIT 'y0'", "Axis must be divisible by number of splits",
                "Op has ifm shape=[1, 6] axis=1 num_splits=4");
    }

    @Test
    void splitVInfersAtMostOneSize() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SPLIT_V, new BuiltinOptions.SplitV(3))
                .in("x", INT8, Q, 1, 6).constant("sizes", INT32, null, values(-1, -1, 4), 3)
                .constant("axis", INT32, null, values(1)).out("y0", INT8, Q, 1, 1);
        assertFails(g, "SPLIT_V 'y0'", "Only one size is allowed to be inferred",
                "Op has multiple inferred sizes (-1): [-1 -1  4]");
    }

    // ---------------------------------------------------------------------------------------------------
    // Strided slice

    private static OneOperatorGraph stridedSlice(BuiltinOptions.StridedSlice options, long[] begin, long[] end) {
        return OneOperatorGraph.of(BuiltinOperator.STRIDED_SLICE, options).in("x", INT8, Q, 1, 8)
                .constant("begin", INT32, null, begin, 2).constant("end", INT32, null, end, 2)
                .constant("strides", INT32, null, values(1, 1), 2).out("y", INT8, Q, 1, 4);
    }

    private static BuiltinOptions.StridedSlice masks(int begin, int end, int ellipsis, int newAxis, int shrink) {
        return new BuiltinOptions.StridedSlice(begin, end, ellipsis, newAxis, shrink, false);
    }

    @Test
    void stridedSliceHasFourInputs() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.STRIDED_SLICE, masks(0, 0, 0, 0, 0))
                .in("x", INT8, Q, 1, 8).constant("begin", INT32, null, values(0, 0), 2)
                .constant("end", INT32, null, values(1, 4), 2).out("y", INT8, Q, 1, 4);
        assertFails(g, "STRIDED_SLICE 'y'", "Exactly 4 Input tensors are required", "Op has 3 inputs");
    }

    @Test
    void stridedSliceIndicesConstant() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.STRIDED_SLICE, masks(0, 0, 0, 0, 0))
                .in("x", INT8, Q, 1, 8).in("begin", INT32, null, 2).constant("end", INT32, null, values(1, 4), 2)
                .in("strides", INT32, null, 2).out("y", INT8, Q, 1, 4);
        assertFails(g, "STRIDED_SLICE 'y'", "Begin, End and Stride Input tensors must be constant",
                "Op has non-constant tensors: Begin tensor 'begin', Stride tensor 'strides'");
    }

    @Test
    void stridedSliceWithoutEllipsis() {
        assertFails(stridedSlice(masks(0, 0, 1, 0, 0), values(0, 0), values(1, 4)), "STRIDED_SLICE 'y'",
                "ellipsis_mask must be 0", "Op has ellipsis mask as: 1");
    }

    @Test
    void stridedSliceNewAndShrinkMasksExclusive() {
        assertFails(stridedSlice(masks(0, 0, 0, 1, 2), values(0, 0), values(1, 4)), "STRIDED_SLICE 'y'",
                "new_axis_mask and shrink_axis_mask cannot both be set", "Op has new_axis_mask=1 and shrink_axis_mask=2");
    }

    @Test
    void stridedSliceEndsAfterBegins() {
        assertFails(stridedSlice(masks(0, 0, 0, 0, 0), values(0, 6), values(1, -3)), "STRIDED_SLICE 'y'",
                "Slice 'end' values must be greater than 'begin' values",
                "Op has begin_values=[0 6] and end_values=[ 1 -3]");
        // A masked end is the whole dimension; a shrunk axis ignores its end.
        assertPasses(stridedSlice(masks(0, 2, 0, 0, 0), values(0, 6), values(1, -3)));
        assertPasses(stridedSlice(masks(0, 0, 0, 0, 1), values(0, 2), values(0, 4)));
    }

    // ---------------------------------------------------------------------------------------------------
    // Fully connected, pad

    private static OneOperatorGraph fullyConnected(boolean keepNumDims, int[] in, int[] out) {
        return OneOperatorGraph.of(BuiltinOperator.FULLY_CONNECTED,
                        new BuiltinOptions.FullyConnected(Activation.NONE, 0, keepNumDims, false))
                .in("x", INT8, Q, in).constant("w", INT8, Q, filled(3 * 4, 1), 3, 4)
                .out("y", INT8, Q, out);
    }

    @Test
    void fullyConnectedInputReadsAs2D() {
        assertFails(fullyConnected(false, new int[] {1, 2, 3}, new int[] {1, 3}), "FULLY_CONNECTED 'y'",
                "The output tensor(s) must have 2D shape", "Op has non-2D output tensor 'y'");
        assertPasses(fullyConnected(false, new int[] {2, 2, 4}, new int[] {4, 3}));
    }

    @Test
    void fullyConnectedKeepNumDimsKeepsTheRank() {
        assertFails(fullyConnected(true, new int[] {1, 2, 4}, new int[] {2, 3}), "FULLY_CONNECTED 'y'",
                "The IFM and OFM must have the same number of dimensions if keep_num_dims is set to true",
                "Op has ifm shape=[1, 2, 4] and ofm shape=[2, 3]");
    }

    private static OneOperatorGraph pad(long[] paddings, int[] out) {
        return OneOperatorGraph.of(BuiltinOperator.PAD, new BuiltinOptions.Pad()).in("x", INT8, Q, 1, 4, 4, 3)
                .constant("p", INT32, null, paddings, 4, 2).out("y", INT8, Q, out);
    }

    @Test
    void padHasTwoInputs() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.PAD, new BuiltinOptions.Pad())
                .in("x", INT8, Q, 1, 4, 4, 3).out("y", INT8, Q, 1, 4, 4, 3);
        assertFails(g, "PAD 'y'", "Number of input tensors must be exactly 2", "Op has 1 inputs");
    }

    @Test
    void padPaddingConstant() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.PAD, new BuiltinOptions.Pad())
                .in("x", INT8, Q, 1, 4, 4, 3).in("p", INT32, null, 4, 2).out("y", INT8, Q, 1, 6, 6, 3);
        assertFails(g, "PAD 'y'", "The padding tensor must be constant", "Op has non-constant padding tensor: None");
    }

    @Test
    void padOutputShapeIsInputPlusPadding() {
        assertFails(pad(values(0, 0, 3, 3, 3, 3, 0, 0), new int[] {1, 6, 6, 3}), "PAD 'y'",
                "Shape of output tensor must equal to size of input tensor plus padding",
                "Op has wrong output tensor shape: [1, 6, 6, 3], has shape: [ 1 10 10  3]");
        assertPasses(pad(values(0, 0, 1, 1, 1, 1, 0, 0), new int[] {1, 6, 6, 3}));
    }

    // ---------------------------------------------------------------------------------------------------
    // HardSwish, Mean, ArgMax, LSTM, Exp, Transpose

    @Test
    void hardSwishInputIs8Bit() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.HARD_SWISH, new BuiltinOptions.HardSwish())
                .in("x", INT16, Q, 1, 4).out("y", INT16, Q, 1, 4);
        assertFails(g, "HARD_SWISH 'y'", "IFM must be int8 or uint8", "Op has ifm_dtype=int16");
    }

    private static OneOperatorGraph mean(int[] in, long[] axes, int[] out) {
        return OneOperatorGraph.of(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(true)).in("x", INT8, Q, in)
                .constant("axis", INT32, null, axes, axes.length).out("y", INT8, Q, out);
    }

    @Test
    void meanInputIs2DTo4D() {
        assertFails(mean(new int[] {8}, values(0), new int[] {1}), "MEAN 'y'", "Input tensor must be at least 2D",
                "Input is 1D");
    }

    @Test
    void meanAxes() {
        String description = """
                Requirements for axis parameter:
                        When IFM tensor is 2D:
                          - Reduction in both axes is supported.
                        When IFM tensor is 3D or 4D:
                          - Reduction in Batch axis is only supported if batch size is 1.
                          - Reduction in both Height and Width axes is supported.
                          - Reduction in Depth axis is supported if at least one of H,W,C are of size 1.""";
        assertFails(mean(new int[] {2, 4, 4, 8}, values(0), new int[] {1, 4, 4, 8}), "MEAN 'y'", description,
                "Shape is [2, 4, 4, 8], Axis is [0].");
        assertFails(mean(new int[] {1, 4, 4, 8}, values(1, 4), new int[] {1, 1, 4, 8}), "MEAN 'y'", description,
                "Axis parameter is out of bounds. axis: {axis}, dims: {dims}. ");
        assertFails(mean(new int[] {2, 4, 8}, values(2), new int[] {2, 4, 1}), "MEAN 'y'", description,
                "Shape is [2, 4, 8], Axis is [2].");
        assertPasses(mean(new int[] {1, 4, 4, 8}, values(1, 2), new int[] {1, 1, 1, 8}));
    }

    @Test
    void argMaxOutputInt32OrInt64() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.ARG_MAX, new BuiltinOptions.ArgMax(INT16))
                .in("x", INT8, Q, 1, 4).constant("axis", INT32, null, values(1)).out("y", INT16, null, 1);
        assertFails(g, "ARG_MAX 'y'", "OFM must be int32 or int64", "Op has ofm_dtype=int16");
    }

    @Test
    void argMaxInputIs8Bit() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.ARG_MAX, new BuiltinOptions.ArgMax(INT32))
                .in("x", INT16, Q, 1, 4).constant("axis", INT32, null, values(1)).out("y", INT32, null, 1);
        assertFails(g, "ARG_MAX 'y'", "IFM must be int8 or uint8", "Op has ifm_dtype=int16");
    }

    @Test
    void lstmConstraints() {
        assertFails(LstmGraphs.lstm(UINT8, 24, 5, true), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "IFM must be int8 or int16", "Op has ifm_dtype=uint8");
        assertFails(LstmGraphs.lstm(INT8, 23, 5, true), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "Must have 24 input tensors", "Op has 23 inputs");
        assertFails(LstmGraphs.lstm(INT8, 24, 4, true), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "Must have 5 intermediate tensors", "Op has 4 intermediates");
        assertFails(LstmGraphs.lstm(INT8, 24, 5, false), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'",
                "State tensors must be variable", "Op has non-variable state tensor(s): output_state, cell_state");
        assertPasses(LstmGraphs.lstm(INT8, 24, 5, true));
    }

    @Test
    void lstmInputAndOutputAre3D() {
        assertFails(LstmGraphs.lstm2D(), "UNIDIRECTIONAL_SEQUENCE_LSTM 'out'", "IFM and OFM must have 3D shape",
                "Op has ifm shape [2, 4] and ofm shape [2, 8]");
    }

    @Test
    void expInputIsSigned() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.EXP, new BuiltinOptions.Exp())
                .in("x", UINT8, Q, 1, 4).out("y", UINT8, Q, 1, 4);
        assertFails(g, "EXP 'y'", "IFM must be int8 or int16", "Op has ifm_dtype=uint8");
    }

    @Test
    void transposePermutationSize() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.TRANSPOSE, new BuiltinOptions.Transpose())
                .in("x", INT8, Q, 1, 2, 3).constant("perm", INT32, null, values(0, 2), 2).out("y", INT8, Q, 1, 3, 2);
        assertFails(g, "TRANSPOSE 'y'", "Permutation array must be a 1D tensor with RANK(IFM) elements",
                "Op has ifm_dimension=3 and permutation shape [2]");
    }

    @Test
    void transposePermutationValues() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.TRANSPOSE, new BuiltinOptions.Transpose())
                .in("x", INT8, Q, 1, 2, 3).constant("perm", INT32, null, values(0, 3, 1), 3).out("y", INT8, Q, 1, 3, 2);
        assertFails(g, "TRANSPOSE 'y'", "Permutation array must have constant values in the range [0, RANK(IFM))",
                "Op has ifm_dimension=3 and permutation values are: [0 3 1]");
        OneOperatorGraph dynamic = OneOperatorGraph.of(BuiltinOperator.TRANSPOSE, new BuiltinOptions.Transpose())
                .in("x", INT8, Q, 1, 2, 3).in("perm", INT32, null, 3).out("y", INT8, Q, 1, 3, 2);
        assertFails(dynamic, "TRANSPOSE 'y'", "Permutation array must have constant values in the range [0, RANK(IFM))",
                "Op has ifm_dimension=3 and permutation values are: None");
    }

    @Test
    void cpuOnlyTypesAreCheckedToo() {
        OneOperatorGraph g = OneOperatorGraph.of(BuiltinOperator.SVDF, null).in("x", INT8, Q, 1, 4)
                .out("y", INT8, Q, 1, 4);
        assertFails(g, "SVDF 'y'", "All required operator attributes must be specified",
                "Op has missing attributes: asymmetric_quantize_inputs, fused_activation_function, rank");
    }
}
