package npuc.frontend;

import java.util.List;

import npuc.graph.DataType;

/**
 * What the front end hands the scheduler: the NPU/CPU partition as subgraphs of passes (each pass a primary
 * operation with the operations fused into it), the CPU and NPU operator lists, Vela's warnings in order,
 * and the network MACs and original weight bytes of the NPU work. Immutable.
 *
 * @param subgraphs the root (CPU) subgraph first, then one NPU subgraph per run of NPU passes
 */
public record FrontEndResult(List<SubgraphPlan> subgraphs, List<OperationInfo> cpuOperators,
                             List<OperationInfo> npuOperators, List<String> warnings, long nnMacs,
                             long totalOriginalWeights, int batchSize) {
    public FrontEndResult {
        subgraphs = List.copyOf(subgraphs);
        cpuOperators = List.copyOf(cpuOperators);
        npuOperators = List.copyOf(npuOperators);
        warnings = List.copyOf(warnings);
    }

    /** Vela's passes_before_fusing: the passes of every subgraph. */
    public int passesBeforeFusing() {
        return subgraphs.stream().mapToInt(s -> s.passes().size()).sum();
    }

    /**
     * Vela's passes_after_fusing: Vela 3.10 gives only CPU subgraphs cascaded passes (one per pass), so this is
     * the root subgraph's pass count whatever the NPU cascading.
     */
    public int passesAfterFusing() {
        return subgraphs.stream().filter(s -> s.placement() == PassPlacement.CPU).mapToInt(s -> s.passes().size())
                .sum();
    }

    public List<SubgraphPlan> npuSubgraphs() {
        return subgraphs.stream().filter(s -> s.placement() == PassPlacement.NPU).toList();
    }

    /** Vela's name for the root's pass that calls an NPU subgraph. */
    static String callName(String subgraph) {
        return "call_" + subgraph;
    }

    /** The root's pass calling NPU subgraph {@code npu}: its inputs and outputs are what crosses into and out of it. */
    public PassInfo callOf(SubgraphPlan npu) {
        String name = callName(npu.name());
        return subgraphs.get(0).passes().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pass calls " + npu.name()));
    }

    /** The NPU subgraph {@code pass} calls, if it is a call pass. */
    public java.util.Optional<SubgraphPlan> calledBy(PassInfo pass) {
        return npuSubgraphs().stream().filter(sg -> callName(sg.name()).equals(pass.name())).findFirst();
    }

    /**
     * A subgraph and its passes. {@code outputs} are the tensors it hands on: the model's outputs for the root,
     * for an NPU subgraph those its caller or the model reads.
     */
    public record SubgraphPlan(String name, PassPlacement placement, List<PassInfo> passes, List<TensorInfo> outputs) {
        public SubgraphPlan {
            passes = List.copyOf(passes);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * One pass. {@code ifmShape}/{@code ofmShape} are the 4-D shapes the primary operation reads and writes
     * (null for passes with no NPU primary operation).
     */
    public record PassInfo(String name, PassPlacement placement, NpuBlockType blockType, OperationInfo primaryOp,
                           List<OperationInfo> ops, List<TensorInfo> inputs, List<TensorInfo> outputs,
                           Shape4 ifmShape, Shape4 ofmShape) {
        public PassInfo {
            ops = List.copyOf(ops);
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * What the register command stream needs of an operation beyond its shapes: the skirt (top, left, bottom,
     * right) a stripe reads around its OFM rows and columns (null without padding), the type before the rewrites,
     * the explicit output scaling of operations that rescale by hand (empty lists without), a leaky relu's
     * slope, and the rounding a rewrite fixed (null for the operation's default).
     */
    public record HardwareDetails(List<Integer> skirt, OpType originalType, List<Integer> explicitScalingShift,
                                  List<Integer> explicitScalingMultiplier, float alpha, RoundingMode rounding) {
        public static final HardwareDetails NONE = new HardwareDetails(null, null, List.of(), List.of(), 0f, null);

        public HardwareDetails {
            skirt = skirt == null ? null : List.copyOf(skirt);
            explicitScalingShift = List.copyOf(explicitScalingShift);
            explicitScalingMultiplier = List.copyOf(explicitScalingMultiplier);
        }

        public boolean hasExplicitScaling() {
            return !explicitScalingShift.isEmpty();
        }
    }

    /** Kernel size, stride and dilation, as the hardware sees the operation. */
    public record Kernel(int width, int height, int strideX, int strideY, int dilationX, int dilationY) {
        public long elementsWh() {
            return (long) width * height;
        }
    }

    /**
     * One operation after the rewrites. {@code opIndex} is the operator's index in the TFLite subgraph, null for
     * operations the rewrites created. Offsets and shapes that do not apply are null. {@code typeName} is the
     * operation type as Vela names it (also for TFLite operators the front end has no type of its own for).
     * {@code ifmResampling} says how the hardware resamples the ifm as it reads it (x2 nearest-neighbour
     * upscaling for resizes, zero insertion for strided transpose convolutions).
     */
    public record OperationInfo(OpType type, String name, Integer opIndex, boolean onNpu, List<TensorInfo> inputs,
                                List<TensorInfo> outputs, List<Shape4> ifmShapes, List<Shape4> ofmShapes,
                                Kernel kernel, PaddingKind padding, List<Integer> explicitPadding,
                                ActivationFunction activation, Shape4 ifmReadOffset, Shape4 ifmReadShape,
                                Shape4 ifm2ReadOffset, Shape4 ifm2ReadShape, Shape4 writeOffset, Shape4 writeShape,
                                MemoryFunction memoryFunction, Quant forcedOutputQuantization, TensorInfo ifm,
                                TensorInfo ifm2, TensorInfo weights, TensorInfo bias, TensorInfo ofm,
                                String typeName, ResamplingMode ifmResampling, HardwareDetails hardware) {
        /** An operation without the details only the command stream needs. */
        public OperationInfo(OpType type, String name, Integer opIndex, boolean onNpu, List<TensorInfo> inputs,
                             List<TensorInfo> outputs, List<Shape4> ifmShapes, List<Shape4> ofmShapes,
                             Kernel kernel, PaddingKind padding, List<Integer> explicitPadding,
                             ActivationFunction activation, Shape4 ifmReadOffset, Shape4 ifmReadShape,
                             Shape4 ifm2ReadOffset, Shape4 ifm2ReadShape, Shape4 writeOffset, Shape4 writeShape,
                             MemoryFunction memoryFunction, Quant forcedOutputQuantization, TensorInfo ifm,
                             TensorInfo ifm2, TensorInfo weights, TensorInfo bias, TensorInfo ofm,
                             String typeName, ResamplingMode ifmResampling) {
            this(type, name, opIndex, onNpu, inputs, outputs, ifmShapes, ofmShapes, kernel, padding, explicitPadding,
                    activation, ifmReadOffset, ifmReadShape, ifm2ReadOffset, ifm2ReadShape, writeOffset, writeShape,
                    memoryFunction, forcedOutputQuantization, ifm, ifm2, weights, bias, ofm, typeName, ifmResampling,
                    HardwareDetails.NONE);
        }

        /** An operation whose Vela type name is its type's name. */
        public OperationInfo(OpType type, String name, Integer opIndex, boolean onNpu, List<TensorInfo> inputs,
                             List<TensorInfo> outputs, List<Shape4> ifmShapes, List<Shape4> ofmShapes,
                             Kernel kernel, PaddingKind padding, List<Integer> explicitPadding,
                             ActivationFunction activation, Shape4 ifmReadOffset, Shape4 ifmReadShape,
                             Shape4 ifm2ReadOffset, Shape4 ifm2ReadShape, Shape4 writeOffset, Shape4 writeShape,
                             MemoryFunction memoryFunction, Quant forcedOutputQuantization, TensorInfo ifm,
                             TensorInfo ifm2, TensorInfo weights, TensorInfo bias, TensorInfo ofm) {
            this(type, name, opIndex, onNpu, inputs, outputs, ifmShapes, ofmShapes, kernel, padding, explicitPadding,
                    activation, ifmReadOffset, ifmReadShape, ifm2ReadOffset, ifm2ReadShape, writeOffset, writeShape,
                    memoryFunction, forcedOutputQuantization, ifm, ifm2, weights, bias, ofm, type.name(),
                    ResamplingMode.NONE);
        }

        /**
         * Vela's {@code --show-cpu-operations} line: {@code "   CPU: <type> = <name> (inputs [..] .., outputs [..])"}
         * with {@code kind} "CPU" or "NPU" (absent optional inputs are left out).
         */
        public String listingLine(String kind) {
            return "   " + kind + ": " + typeName + " = " + name + " (inputs " + shapes(inputs) + ", outputs "
                    + shapes(outputs) + ")";
        }

        private static String shapes(List<TensorInfo> tensors) {
            return String.join(" ", tensors.stream().filter(java.util.Objects::nonNull)
                    .map(t -> t.shape().toString()).toList());
        }

        public OperationInfo {
            inputs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(inputs));
            outputs = List.copyOf(outputs);
            ifmShapes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ifmShapes));
            ofmShapes = List.copyOf(ofmShapes);
            explicitPadding = explicitPadding == null ? null : List.copyOf(explicitPadding);
        }
    }

    /**
     * A tensor: constant values when it has them (weights, biases, tables), else null. {@code linearFormat} is
     * true when the tensor must stay NHWC (Vela's check_format_restrictions), false when NHCWB16 is allowed.
     * {@code variable} marks TFLite variable tensors (state kept between inferences, such as an LSTM's).
     */
    public record TensorInfo(String name, List<Integer> shape, DataType type, Quant quantization,
                             TensorPurpose purpose, TensorFormat format, int equivalenceId, ConstArray values,
                             boolean linearFormat, boolean variable) {
        /** A tensor that must stay linear and is not a variable. */
        public TensorInfo(String name, List<Integer> shape, DataType type, Quant quantization, TensorPurpose purpose,
                          TensorFormat format, int equivalenceId, ConstArray values) {
            this(name, shape, type, quantization, purpose, format, equivalenceId, values, true, false);
        }

        public TensorInfo {
            shape = List.copyOf(shape);
        }

        public Shape4 shape4() {
            return Shape4.of(shape);
        }

        /**
         * Vela's storage size of the whole tensor in {@code layout}: NHCWB16 pads the depth to a multiple of 16;
         * the bytes are rounded up to 16, and at least 16.
         */
        public long storageSize(TensorFormat layout) {
            Shape4 s = shape4();
            if (layout == TensorFormat.NHCWB16) {
                s = s.withDepth((s.depth() + 15) / 16 * 16);
            }
            long bytes = s.elements() * Math.max(1, type.bytes());
            return Math.max(16, (bytes + 15) / 16 * 16);
        }
    }
}
