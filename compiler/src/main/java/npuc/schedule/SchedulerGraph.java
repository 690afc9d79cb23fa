package npuc.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.Accelerator;
import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;
import npuc.frontend.OpType;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;
import npuc.frontend.TensorPurpose;
import npuc.graph.DataType;
import npuc.perf.Resampling;

/**
 * The scheduler's view of one NPU subgraph: its operations in order, which of them read each OFM, and the layout
 * of every feature map. Built once per subgraph and target; immutable.
 *
 * @param consumers   operations of this subgraph reading each operation's OFM, by operation index
 * @param tensorIds   the number of each operand tensor (its {@link SchedulerTensor#id()}), by identity
 */
public record SchedulerGraph(String name, List<SchedulerOperation> ops, List<List<SchedulerOperation>> consumers,
                             Set<TensorInfo> outputs, Map<TensorInfo, Integer> tensorIds) {

    public SchedulerGraph {
        ops = List.copyOf(ops);
        consumers = consumers.stream().map(List::copyOf).toList();
    }

    /** How many operand tensors there are: ids run from 0 below this. */
    public int tensorCount() {
        return tensorIds.size();
    }

    /** The id of operand tensor {@code t}, or -1 when no operation of this subgraph reads or writes it. */
    public int idOf(TensorInfo t) {
        Integer id = tensorIds.get(t);
        return id == null ? -1 : id;
    }

    public List<SchedulerOperation> consumersOf(SchedulerOperation op) {
        return consumers.get(op.index());
    }

    /** Builds the graph of {@code subgraph}, one of {@code result}'s NPU subgraphs. */
    public static SchedulerGraph build(FrontEndResult result, SubgraphPlan subgraph, Target target) {
        Map<TensorInfo, List<OperationInfo>> readers = new IdentityHashMap<>();
        Map<TensorInfo, List<OperationInfo>> writers = new IdentityHashMap<>();
        for (SubgraphPlan sg : result.subgraphs()) {
            for (PassInfo ps : sg.passes()) {
                for (OperationInfo op : ps.ops()) {
                    for (TensorInfo t : op.inputs()) {
                        if (t != null) {
                            readers.computeIfAbsent(t, k -> new ArrayList<>()).add(op);
                        }
                    }
                    for (TensorInfo t : op.outputs()) {
                        writers.computeIfAbsent(t, k -> new ArrayList<>()).add(op);
                    }
                }
            }
        }
        Set<OperationInfo> inside = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PassInfo ps : subgraph.passes()) {
            inside.addAll(ps.ops());
        }
        Set<TensorInfo> sgInputs = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<TensorInfo> sgOutputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PassInfo ps : subgraph.passes()) {
            for (OperationInfo op : ps.ops()) {
                for (TensorInfo t : op.inputs()) {
                    if (t != null && t.values() == null
                            && writers.getOrDefault(t, List.of()).stream().noneMatch(inside::contains)) {
                        sgInputs.add(t);
                    }
                }
                for (TensorInfo t : op.outputs()) {
                    List<OperationInfo> r = readers.getOrDefault(t, List.of());
                    if (r.isEmpty() || !r.stream().allMatch(inside::contains)) {
                        sgOutputs.add(t);
                    }
                }
            }
        }

        MemoryArea arena = target.featureMapStorageArea();
        MemoryArea permanent = target.permanentStorageArea();
        Map<TensorInfo, TensorFormat> formats = new IdentityHashMap<>();
        Map<TensorInfo, Integer> ids = new IdentityHashMap<>();
        List<SchedulerOperation> ops = new ArrayList<>();
        Map<TensorInfo, List<Integer>> readersByTensor = new IdentityHashMap<>();
        for (PassInfo ps : subgraph.passes()) {
            OperationInfo op = ps.primaryOp();
            if (op == null || ps.ifmShape() == null) {
                continue;
            }
            // The pass writes what its last operation writes: an activation packed after the primary operation
            // (one that could not fuse into it) writes the pass's OFM, and the primary's own OFM is never stored.
            TensorInfo ofmT = passOfm(ps);
            for (TensorInfo out : ps.outputs()) {
                if (sgOutputs.contains(out) || out.purpose() != TensorPurpose.FEATURE_MAP) {
                    continue;
                }
                if (!nhcwb16Allowed(out, readers, writers, inside, target.accelerator())) {
                    continue;
                }
                if (avoidNhcwb16ForOfm(op, formats)) {
                    continue;
                }
                formats.put(out, TensorFormat.NHCWB16);
            }
            SchedulerTensor ifm = operand(op.ifm(), op.ifmShapes().get(0), formats, arena, permanent, ids);
            SchedulerTensor ifm2 = op.ifm2() == null ? null
                    : operand(op.ifm2(), op.ifmShapes().get(1), formats, arena, permanent, ids);
            SchedulerTensor ofm = operand(ofmT, ps.ofmShape() != null ? ps.ofmShape() : op.ofmShapes().get(0), formats,
                    arena, permanent, ids);
            Shape4 ifmRead = op.ifmReadShape();
            Shape4 ifm2Read = op.ifm2ReadShape();
            boolean reversed = false;
            if (op.type().isBinaryElementwise() && ifm2 != null) {
                boolean ifmCanSwap = op.ifm().values() != null || isScalar(op.ifm());
                boolean ifm2CanBePrimary = !(op.ifm2().values() != null || isScalar(op.ifm2())
                        || !op.ifm2().shape().equals(ofmT.shape()));
                if (ifmCanSwap && ifm2CanBePrimary) {
                    reversed = true;
                    SchedulerTensor t = ifm;
                    ifm = ifm2;
                    ifm2 = t;
                    Shape4 r = ifmRead;
                    ifmRead = ifm2Read;
                    ifm2Read = r;
                }
            }
            boolean usesScalar = op.ifm2() != null && (op.ifm().shape().isEmpty() || op.ifm2().shape().isEmpty());
            // A tensor that may not use the brick layout is linear, and a linear tensor is held whole.
            boolean fullIfm = sgInputs.contains(ifm.tensor()) || !formats.containsKey(ifm.tensor());
            boolean fullIfm2 = ifm2 != null && (sgInputs.contains(ifm2.tensor())
                    || !formats.containsKey(ifm2.tensor()));
            boolean fullOfm = sgOutputs.contains(ofmT) || !formats.containsKey(ofmT)
                    || op.memoryFunction() == MemoryFunction.CONCAT_SLICE_WRITE || op.outputs().size() > 1
                    || readers.getOrDefault(op.ofm(), List.of()).size() + (sgOutputs.contains(op.ofm())
                    && readers.getOrDefault(op.ofm(), List.of()).isEmpty() ? 1 : 0) > 1;
            boolean scaled = op.ifm().quantization() != null && op.ofm().quantization() != null
                    && (op.ifm2() == null || op.ifm2().quantization() != null);
            boolean lut = op.activation() != null && op.activation().lut() != null;
            // The primary operation's IFM resampling, as Vela's scheduler takes it: nearest-neighbour for the
            // upscaling resizes, transpose only for transpose convolutions that upscale (stride 2).
            Resampling resampling = switch (op.ifmResampling()) {
                case NEAREST -> Resampling.NEAREST;
                case TRANSPOSE -> Resampling.TRANSPOSE;
                case NONE -> Resampling.NONE;
            };
            int index = ops.size();
            ops.add(new SchedulerOperation(index, op.name(), op.type(), ps.blockType(), ps, op, ifm, ifm2, ofm,
                    ifmRead != null ? ifmRead : ifm.shape(),
                    ifm2 == null ? null : ifm2Read != null ? ifm2Read : ifm2.shape(),
                    op.writeShape() != null ? op.writeShape() : ofm.shape(), op.kernel(), resampling, usesScalar,
                    reversed, fullIfm, fullIfm2, fullOfm, lut, scaled,
                    ifm.tensor().values() != null, ifm2 != null && ifm2.tensor().values() != null));
            readersByTensor.computeIfAbsent(ifm.tensor(), k -> new ArrayList<>()).add(index);
            if (ifm2 != null) {
                readersByTensor.computeIfAbsent(ifm2.tensor(), k -> new ArrayList<>()).add(index);
            }
        }
        List<List<SchedulerOperation>> consumers = new ArrayList<>();
        for (SchedulerOperation op : ops) {
            List<SchedulerOperation> c = new ArrayList<>();
            for (int i : readersByTensor.getOrDefault(op.ofm().tensor(), List.of())) {
                c.add(ops.get(i));
            }
            consumers.add(c);
        }
        return new SchedulerGraph(subgraph.name(), ops, consumers, sgOutputs, Collections.unmodifiableMap(ids));
    }

    private static boolean isScalar(TensorInfo t) {
        return t.shape().isEmpty();
    }

    private static SchedulerTensor operand(TensorInfo t, Shape4 opShape, Map<TensorInfo, TensorFormat> formats,
            MemoryArea arena, MemoryArea permanent, Map<TensorInfo, Integer> ids) {
        MemoryArea area = t.values() != null ? permanent : arena;
        DataType type = t.type();
        int id = ids.computeIfAbsent(t, k -> ids.size());
        return new SchedulerTensor(id, opShape, t, type, area, formats.getOrDefault(t, TensorFormat.NHWC));
    }

    /** The tensor a pass writes: its last operation's OFM (Vela's ofm_tensor, from the op the pass was built from). */
    private static TensorInfo passOfm(PassInfo ps) {
        OperationInfo last = ps.ops().get(ps.ops().size() - 1);
        return last == ps.primaryOp() || last.ofm() == null ? ps.primaryOp().ofm() : last.ofm();
    }

    /**
     * Vela's format restrictions: a feature map may use the NHCWB16 brick layout only when every producer and
     * reader runs on the NPU in this subgraph, reads and writes it whole at brick-aligned depths, with the shape
     * the tensor has, and no DMA or reshape touches it.
     */
    private static boolean nhcwb16Allowed(TensorInfo t, Map<TensorInfo, List<OperationInfo>> readers,
            Map<TensorInfo, List<OperationInfo>> writers, Set<OperationInfo> inside, Accelerator accelerator) {
        List<OperationInfo> w = writers.getOrDefault(t, List.of());
        List<OperationInfo> r = readers.getOrDefault(t, List.of());
        if (w.isEmpty() || r.isEmpty()) {
            return false;
        }
        Shape4 shape = t.shape4();
        for (OperationInfo op : w) {
            if (!op.onNpu() || !inside.contains(op) || op.memoryFunction() == MemoryFunction.VARIABLE_TENSOR_WRITE
                    || op.type() == OpType.Memcpy || op.type().isMemoryOnly()) {
                return false;
            }
            if (op.writeOffset() != null && op.writeOffset().depth() % 16 != 0) {
                return false;
            }
            if (op.ofmShapes().isEmpty() || !op.ofmShapes().get(0).equals(shape)) {
                return false;
            }
        }
        for (OperationInfo op : r) {
            if (!op.onNpu() || !inside.contains(op) || op.type() == OpType.Memcpy || op.type().isMemoryOnly()) {
                return false;
            }
            int idx = op.ifm() == t ? 0 : op.ifm2() == t ? 1 : -1;
            if (idx < 0 || op.ifmShapes().size() <= idx || !op.ifmShapes().get(idx).equals(shape)) {
                return false;
            }
            Shape4 offset = idx == 0 ? op.ifmReadOffset() : op.ifm2ReadOffset();
            if (offset != null && offset.depth() % 16 != 0) {
                return false;
            }
            if (op.type() == OpType.ReduceSum && (t.type() == DataType.INT32
                    || accelerator == Accelerator.ETHOS_U65_512)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An elementwise OFM whose depth is not a multiple of 16 stays linear when it could overwrite a linear
     * input of the same shape: the brick layout would cost more memory traffic than it saves.
     */
    private static boolean avoidNhcwb16ForOfm(OperationInfo op, Map<TensorInfo, TensorFormat> formats) {
        if (!op.type().isElementwise()) {
            return false;
        }
        Shape4 ofmShape = op.ofmShapes().get(0);
        if (ofmShape.depth() % 16 == 0) {
            return false;
        }
        TensorFormat ofmFormat = formats.getOrDefault(op.ofm(), TensorFormat.NHWC);
        TensorInfo[] inputs = {op.ifm(), op.ifm2()};
        for (int i = 0; i < 2; i++) {
            TensorInfo in = inputs[i];
            if (in == null || op.ifmShapes().size() <= i || !op.ifmShapes().get(i).equals(ofmShape)
                    || in.shape().isEmpty()) {
                continue;
            }
            TensorFormat f = formats.getOrDefault(in, TensorFormat.NHWC);
            if (f == ofmFormat && in.type() == op.ofm().type() && f == TensorFormat.NHWC) {
                return true;
            }
        }
        return false;
    }
}
