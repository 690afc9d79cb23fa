package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;

/**
 * An operation of the front end's mutable graph. {@code opIndex} is the operator's position in the TFLite
 * subgraph, null for operations the rewrites create. Attributes a type does not use keep their defaults.
 */
final class GraphOp {
    OpType type;
    String name;
    List<GraphTensor> inputs = new ArrayList<>();
    List<GraphTensor> outputs = new ArrayList<>();
    List<GraphTensor> intermediates = new ArrayList<>();
    Integer opIndex;
    /** The TFLite operator as read, for CPU operators that are written back unchanged. */
    BuiltinOperator builtin;
    String customCode;
    BuiltinOptions options;
    boolean runOnNpu = true;
    ActivationFunction activation;
    final List<Shape4> ifmShapes = new ArrayList<>();
    final List<Shape4> ofmShapes = new ArrayList<>();
    final Shape4[] readOffsets = new Shape4[2];
    final Shape4[] readShapes = new Shape4[2];
    Shape4 writeOffset;
    Shape4 writeShape;
    MemoryFunction memoryFunction = MemoryFunction.NONE;
    OpType originalType;
    Quant forcedOutputQuantization;
    /** Vela's explicit scaling (shift, multiplier) of elementwise ops that rescale by hand. */
    int[] explicitScalingShift;
    int[] explicitScalingMultiplier;
    /** Rounding a rewrite fixed for the output scaling; null keeps the hardware default for the operation. */
    RoundingMode roundingMode;

    // Attributes
    int strideW = 1;
    int strideH = 1;
    int dilationW = 1;
    int dilationH = 1;
    int filterW = 1;
    int filterH = 1;
    boolean hasFilter;
    PaddingKind padding;
    /** Explicit padding (top, left, bottom, right) once decided; null before. */
    int[] explicitPadding;
    int[] skirt;
    int depthMultiplier = 1;
    int axis;
    int numSplits;
    boolean keepNumDims;
    float beta = 1.0f;
    boolean isNop;
    boolean timeMajor;
    float cellClip;
    boolean typeChanged;
    /** Values of a reduction's axis, a pad's paddings or a reshape's new shape when constant. */
    int[] shapeAttr;
    /** Depthwise weights are turned to [H, W, 1, C] once. */
    boolean weightsReordered;
    /** LEAKY_RELU's slope for negative inputs. */
    float alpha;
    /** Scalar, scale and shift of a leaky relu's slope when it came from a Mul by a constant (bit-exact LUT). */
    long[] alphaScaling;
    boolean alignCorners;
    boolean halfPixelCenters;
    /** How the hardware resamples the ifm on reading it: nearest-neighbour upscaling or transpose-conv zero insertion. */
    ResamplingMode ifmResampling = ResamplingMode.NONE;
    int beginMask;
    int endMask;
    int ellipsisMask;
    int newAxisMask;
    int shrinkAxisMask;
    /** A strided slice's {begin, end} offsets in the ifm, fixed before its masks are rewritten. */
    int[][] sliceOffsets;
    /** Per-output split axis in 4-D, set when output shapes were re-ranked (unpack, strided slice masks). */
    int[] splitAxes4D;

    GraphOp(OpType type, String name) {
        this.type = type;
        this.name = name;
        this.originalType = type;
    }

    private GraphTensor input(int index) {
        return index >= 0 && index < inputs.size() ? inputs.get(index) : null;
    }

    GraphTensor ifm() {
        return input(type.layout.ifm);
    }

    GraphTensor ifm2() {
        return input(type.layout.ifm2);
    }

    GraphTensor weights() {
        return input(type.layout.weights);
    }

    GraphTensor bias() {
        return input(type.layout.bias);
    }

    GraphTensor ofm() {
        return outputs.isEmpty() ? null : outputs.get(0);
    }

    void addInput(GraphTensor t) {
        inputs.add(t);
        if (t != null) {
            t.consumers.add(this);
        }
    }

    /** Disconnects every input, so that the operation can be given new ones. */
    void clearInputs() {
        for (GraphTensor t : inputs) {
            if (t != null) {
                t.consumers.remove(this);
            }
        }
        inputs = new ArrayList<>();
    }

    void setInput(int index, GraphTensor t) {
        GraphTensor old = inputs.get(index);
        if (old != null) {
            old.consumers.remove(this);
        }
        inputs.set(index, t);
        if (t != null) {
            t.consumers.add(this);
        }
    }

    /** Makes {@code t} the only output, with this op its only producer. */
    void setOutput(GraphTensor t) {
        outputs = new ArrayList<>();
        outputs.add(t);
        t.setProducer(this);
    }

    void setIfmOfmShapes() {
        ifmShapes.clear();
        ofmShapes.clear();
        if (type.isSplit() || type.isConcat() || type == OpType.Unpack) {
            // Splits and concatenations keep a shape per input and per output.
            for (GraphTensor in : inputs) {
                ifmShapes.add(in == null ? null : in.shape4());
            }
        } else {
            GraphTensor ifm = ifm();
            GraphTensor ifm2 = ifm2();
            if (ifm != null) {
                ifmShapes.add(ifm.shape4());
            }
            if (ifm2 != null) {
                ifmShapes.add(ifm2.shape4());
            }
        }
        for (GraphTensor out : outputs) {
            if (out != null) {
                ofmShapes.add(out.shape4());
            }
        }
    }

    /** Kernel width and height, as Vela derives them: from the weights of convolutions, else the filter size. */
    int kernelWidth() {
        GraphTensor w = weights();
        NpuBlockType b = type.blockType();
        if (w != null && (b == NpuBlockType.CONVOLUTION_DEPTHWISE || b == NpuBlockType.CONVOLUTION_MXN)) {
            return dimFrom4(w.shape, 1);
        }
        return filterW;
    }

    int kernelHeight() {
        GraphTensor w = weights();
        NpuBlockType b = type.blockType();
        if (w != null && (b == NpuBlockType.CONVOLUTION_DEPTHWISE || b == NpuBlockType.CONVOLUTION_MXN)) {
            return dimFrom4(w.shape, 0);
        }
        return filterH;
    }

    private static int dimFrom4(int[] shape, int i) {
        int pad = 4 - shape.length;
        return i < pad ? 1 : shape[i - pad];
    }

    /** Copies the stride, dilation and padding attributes of {@code o}. */
    void copyConvAttributes(GraphOp o) {
        strideW = o.strideW;
        strideH = o.strideH;
        dilationW = o.dilationW;
        dilationH = o.dilationH;
        padding = o.padding;
        explicitPadding = o.explicitPadding == null ? null : o.explicitPadding.clone();
        filterW = o.filterW;
        filterH = o.filterH;
        hasFilter = o.hasFilter;
    }

    /** A copy under {@code name + suffix} reading and writing the same tensors (not yet their consumer or producer). */
    GraphOp copy(String suffix) {
        GraphOp c = new GraphOp(type, name + suffix);
        c.originalType = originalType;
        c.inputs = new ArrayList<>(inputs);
        c.outputs = new ArrayList<>(outputs);
        c.intermediates = new ArrayList<>(intermediates);
        c.builtin = builtin;
        c.customCode = customCode;
        c.options = options;
        c.runOnNpu = runOnNpu;
        c.activation = activation;
        c.memoryFunction = memoryFunction;
        c.forcedOutputQuantization = forcedOutputQuantization;
        c.readOffsets[0] = readOffsets[0];
        c.readOffsets[1] = readOffsets[1];
        c.readShapes[0] = readShapes[0];
        c.readShapes[1] = readShapes[1];
        c.writeOffset = writeOffset;
        c.writeShape = writeShape;
        c.explicitScalingShift = explicitScalingShift;
        c.explicitScalingMultiplier = explicitScalingMultiplier;
        c.roundingMode = roundingMode;
        c.copyConvAttributes(this);
        c.skirt = skirt == null ? null : skirt.clone();
        c.depthMultiplier = depthMultiplier;
        c.axis = axis;
        c.numSplits = numSplits;
        c.keepNumDims = keepNumDims;
        c.beta = beta;
        c.isNop = isNop;
        c.timeMajor = timeMajor;
        c.cellClip = cellClip;
        c.shapeAttr = shapeAttr;
        c.alpha = alpha;
        c.alphaScaling = alphaScaling;
        c.alignCorners = alignCorners;
        c.halfPixelCenters = halfPixelCenters;
        c.ifmResampling = ifmResampling;
        c.beginMask = beginMask;
        c.endMask = endMask;
        c.ellipsisMask = ellipsisMask;
        c.newAxisMask = newAxisMask;
        c.shrinkAxisMask = shrinkAxisMask;
        c.splitAxes4D = splitAxes4D;
        c.sliceOffsets = sliceOffsets;
        c.ifmShapes.addAll(ifmShapes);
        c.ofmShapes.addAll(ofmShapes);
        return c;
    }

    @Override
    public String toString() {
        return type + " '" + name + "'";
    }
}
