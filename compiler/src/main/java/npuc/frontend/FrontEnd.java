package npuc.frontend;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.Accelerator;
import npuc.graph.Graph;

/**
 * The front end: semantic checks, supported-operator checks, graph rewrites, tensor purposes, pass packing
 * and the NPU/CPU partition, as Vela 3.10 does them. Stateless; everything mutable lives in one run.
 */
public final class FrontEnd {
    private FrontEnd() {
    }

    public static FrontEndResult run(Graph model, Accelerator accelerator, boolean forceSymmetricIntWeights) {
        return run(model, accelerator, forceSymmetricIntWeights, FrontEndTrace.NONE);
    }

    /** A run that shows {@code trace} the graph at the stages it asks for. */
    public static FrontEndResult run(Graph model, Accelerator accelerator, boolean forceSymmetricIntWeights,
            FrontEndTrace trace) {
        FrontEndContext ctx = new FrontEndContext(model, accelerator, forceSymmetricIntWeights);
        List<WorkSubgraph> subgraphs = ModelImport.read(ctx);
        trace.offer(GraphStage.BEFORE_OPTIMISATION, () -> GraphSnapshot.of(subgraphs));
        for (WorkSubgraph sg : subgraphs) {
            semanticChecks(ctx, sg);
        }
        new GraphOptimiser(ctx).optimise(subgraphs);
        trace.offer(GraphStage.AFTER_OPTIMISATION, () -> GraphSnapshot.of(subgraphs));
        for (WorkSubgraph sg : subgraphs) {
            FormatRestrictions.apply(sg, accelerator);
            for (GraphOp op : sg.allOps()) {
                if (op.runOnNpu && op.type.isMemoryOnly()) {
                    // Every NPU reshape is bypassed or a copy by now; one left would never be executed.
                    throw new FrontEndException(op.type + " '" + op.name
                            + "' on the NPU was expected to have been removed by the graph rewrites");
                }
            }
        }
        for (WorkSubgraph sg : subgraphs) {
            markTensors(sg);
        }
        trace.offer(GraphStage.TENSOR_PURPOSE, () -> GraphSnapshot.of(subgraphs));
        // Pass packing and the NPU/CPU partition cover the main (first) subgraph, where every model here has its operators.
        WorkSubgraph root = subgraphs.get(0);
        List<WorkPass> passes = PassPacking.pack(root);
        if (trace.wantsPasses()) {
            Snapshot snapshot = new Snapshot();
            trace.passes(passes.stream().map(snapshot::pass).toList());
        }
        return Partition.of(ctx, root, passes);
    }

    private static void semanticChecks(FrontEndContext ctx, WorkSubgraph sg) {
        for (GraphOp op : sg.allOps()) {
            if (op.type.isStartup() || op.opIndex == null) {
                continue;
            }
            OperatorPlacement p = OperatorSupport.semantic(ctx.model, sg.index, op.opIndex);
            if (!p.onNpu()) {
                op.runOnNpu = false;
                ctx.warn(p.lines());
            }
        }
    }

    /** Tensor purposes and formats: weights where an op reads weights, feature maps elsewhere, LUTs kept. */
    private static void markTensors(WorkSubgraph sg) {
        for (GraphOp op : sg.allOps()) {
            for (GraphTensor out : op.outputs) {
                if (out != null && out.consumers.isEmpty() && out.purpose == TensorPurpose.UNKNOWN) {
                    setPurpose(out, TensorPurpose.FEATURE_MAP);
                }
            }
            GraphTensor weights = op.weights();
            for (GraphTensor in : op.inputs) {
                if (in == null) {
                    continue;
                }
                if (in.purpose == TensorPurpose.UNKNOWN) {
                    setPurpose(in, in == weights ? TensorPurpose.WEIGHTS : TensorPurpose.FEATURE_MAP);
                }
                if (in.purpose == TensorPurpose.WEIGHTS && in.producers.stream()
                        .anyMatch(p -> p.type != OpType.Const)) {
                    setPurpose(in, TensorPurpose.FEATURE_MAP);
                }
            }
        }
        for (GraphTensor t : sg.outputs) {
            if (t.purpose != TensorPurpose.LUT) {
                setPurpose(t, TensorPurpose.FEATURE_MAP);
            }
        }
    }

    private static void setPurpose(GraphTensor t, TensorPurpose p) {
        t.purpose = p;
        t.format = p == TensorPurpose.WEIGHTS ? TensorFormat.WEIGHTS_COMPRESSED : TensorFormat.NHWC;
    }

    /** Snapshots of mutable graph parts as result values, each tensor converted once. */
    static final class Snapshot {
        private final Map<GraphTensor, FrontEndResult.TensorInfo> tensors = new IdentityHashMap<>();
        private final Map<GraphOp, FrontEndResult.OperationInfo> ops = new IdentityHashMap<>();

        FrontEndResult.TensorInfo tensor(GraphTensor t) {
            if (t == null) {
                return null;
            }
            return tensors.computeIfAbsent(t, x -> new FrontEndResult.TensorInfo(x.name,
                    java.util.Arrays.stream(x.shape).boxed().toList(), x.type, x.quant, x.purpose, x.format,
                    x.equivalenceId, x.values, x.linearFormat(), x.variable));
        }

        List<FrontEndResult.TensorInfo> tensors(List<GraphTensor> list) {
            List<FrontEndResult.TensorInfo> out = new ArrayList<>();
            for (GraphTensor t : list) {
                out.add(tensor(t));
            }
            return out;
        }

        FrontEndResult.OperationInfo op(GraphOp o) {
            if (o == null) {
                return null;
            }
            FrontEndResult.OperationInfo done = ops.get(o);
            if (done != null) {
                return done;
            }
            FrontEndResult.Kernel kernel = new FrontEndResult.Kernel(o.kernelWidth(), o.kernelHeight(), o.strideW,
                    o.strideH, o.dilationW, o.dilationH);
            List<Integer> pad = o.explicitPadding == null ? null
                    : java.util.Arrays.stream(o.explicitPadding).boxed().toList();
            FrontEndResult.OperationInfo info = new FrontEndResult.OperationInfo(o.type, o.name, o.opIndex,
                    o.runOnNpu, tensors(o.inputs), tensors(o.outputs), o.ifmShapes, o.ofmShapes, kernel, o.padding,
                    pad, o.activation, o.readOffsets[0], o.readShapes[0], o.readOffsets[1], o.readShapes[1],
                    o.writeOffset, o.writeShape, o.memoryFunction, o.forcedOutputQuantization, tensor(o.ifm()),
                    tensor(o.ifm2()), tensor(o.weights()), tensor(o.bias()), tensor(o.ofm()),
                    o.type == OpType.CpuOnly ? VelaOperatorNames.of(o.builtin, o.customCode) : o.type.name(),
                    o.ifmResampling, hardware(o));
            ops.put(o, info);
            return info;
        }

        private static FrontEndResult.HardwareDetails hardware(GraphOp o) {
            return new FrontEndResult.HardwareDetails(
                    o.skirt == null ? null : java.util.Arrays.stream(o.skirt).boxed().toList(), o.originalType,
                    o.explicitScalingShift == null ? List.of()
                            : java.util.Arrays.stream(o.explicitScalingShift).boxed().toList(),
                    o.explicitScalingMultiplier == null ? List.of()
                            : java.util.Arrays.stream(o.explicitScalingMultiplier).boxed().toList(),
                    o.alpha, o.roundingMode);
        }

        FrontEndResult.PassInfo pass(WorkPass p) {
            List<FrontEndResult.OperationInfo> list = new ArrayList<>();
            for (GraphOp o : p.ops) {
                list.add(op(o));
            }
            return new FrontEndResult.PassInfo(p.name, p.placement, p.blockType, op(p.primaryOp), list,
                    tensors(p.inputs), tensors(p.outputs), p.ifmShape, p.ofmShape);
        }
    }

    static <T> Set<T> identitySet() {
        return WorkSubgraph.identitySet();
    }
}
