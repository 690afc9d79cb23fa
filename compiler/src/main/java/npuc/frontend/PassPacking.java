package npuc.frontend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vela's pass packing: walking back from the outputs, each ready operation starts a pass that grows
 * backwards over producers it may fuse with (activations after a main operation); then CPU passes are
 * regrouped so fewer NPU/CPU switches remain.
 */
final class PassPacking {
    private enum Flag { MAIN, POST, MAC, ELEMENTWISE, NPU, CPU, STARTUP_INIT, MEMORY_ONLY, POST_FUSING_LIMITED, MEMCPY }

    private record Row(java.util.function.Predicate<OpType> ops, Set<Flag> incompatible, Set<Flag> sets) {
    }

    private static final List<Row> ROWS = List.of(
            new Row(OpType::isRelu, EnumSet.of(Flag.CPU, Flag.MEMORY_ONLY, Flag.MAIN), EnumSet.of(Flag.NPU, Flag.POST)),
            new Row(t -> t == OpType.Sigmoid || t == OpType.Tanh || t == OpType.Quantize,
                    EnumSet.of(Flag.CPU, Flag.MEMORY_ONLY, Flag.MAIN, Flag.POST_FUSING_LIMITED),
                    EnumSet.of(Flag.NPU, Flag.POST_FUSING_LIMITED)),
            new Row(PassPacking::isMacMain, EnumSet.of(Flag.CPU, Flag.MEMORY_ONLY, Flag.ELEMENTWISE, Flag.MAIN,
                    Flag.POST_FUSING_LIMITED), EnumSet.of(Flag.NPU, Flag.MAC, Flag.MAIN)),
            new Row(OpType::isElementwise, EnumSet.of(Flag.CPU, Flag.MEMORY_ONLY, Flag.MAC, Flag.MAIN,
                    Flag.POST_FUSING_LIMITED), EnumSet.of(Flag.NPU, Flag.ELEMENTWISE, Flag.MAIN)),
            new Row(OpType::isStartup, EnumSet.of(Flag.NPU, Flag.CPU, Flag.MEMORY_ONLY),
                    EnumSet.of(Flag.STARTUP_INIT, Flag.MAIN)),
            new Row(t -> t == OpType.Squeeze || t == OpType.Reshape || t == OpType.ExpandDims,
                    EnumSet.of(Flag.NPU, Flag.CPU), EnumSet.of(Flag.MEMORY_ONLY, Flag.MAIN)),
            new Row(t -> t == OpType.Memcpy, EnumSet.of(Flag.CPU, Flag.MEMORY_ONLY, Flag.MAC, Flag.MAIN,
                    Flag.POST_FUSING_LIMITED), EnumSet.of(Flag.NPU, Flag.MEMCPY, Flag.MAIN)),
            new Row(t -> t == OpType.Softmax || t == OpType.Shape || t == OpType.Pad || t == OpType.Dequantize,
                    EnumSet.of(Flag.NPU, Flag.MEMORY_ONLY, Flag.MAIN), EnumSet.of(Flag.CPU, Flag.MAIN)),
            new Row(t -> true, EnumSet.of(Flag.NPU, Flag.MEMORY_ONLY, Flag.MAIN), EnumSet.of(Flag.CPU, Flag.MAIN)));

    private static boolean isMacMain(OpType t) {
        return switch (t) {
            case Conv2DBias, Conv2DBackpropInputSwitchedBias, DepthwiseConv2DBias, FullyConnected, AvgPool, MaxPool,
                 ReduceSum, ResizeBilinear, ResizeNearestNeighbor -> true;
            default -> false;
        };
    }

    private final WorkSubgraph sg;
    private final List<WorkPass> reversePasses = new ArrayList<>();
    private final Map<GraphOp, Integer> opRefs = new IdentityHashMap<>();
    private final Map<GraphTensor, Integer> tensorRefs = new IdentityHashMap<>();
    private final List<GraphOp> startup = new ArrayList<>();

    private PassPacking(WorkSubgraph sg) {
        this.sg = sg;
    }

    static List<WorkPass> pack(WorkSubgraph sg) {
        return new PassPacking(sg).run();
    }

    private List<WorkPass> run() {
        for (GraphTensor t : sg.outputs) {
            visitTensor(t);
        }
        WorkPass startupPass = null;
        if (!startup.isEmpty()) {
            startupPass = buildPass(startup, null, null);
            startupPass.outputs = new ArrayList<>();
            for (GraphOp op : startup) {
                startupPass.outputs.add(op.outputs.get(0));
            }
            startupPass.name = "startup_weight_initialisation";
        }
        List<WorkPass> top = new ArrayList<>();
        List<WorkPass> rest = new ArrayList<>();
        List<WorkPass> forward = new ArrayList<>(reversePasses);
        java.util.Collections.reverse(forward);
        for (WorkPass ps : forward) {
            if (ps == startupPass) {
                top.add(0, ps);
                continue;
            }
            GraphOp first = ps.firstOp();
            GraphTensor ifm2 = first.ifm2();
            if (ifm2 == null && first.type == OpType.FullyConnected && first.weights() != null
                    && first.weights().purpose == TensorPurpose.FEATURE_MAP) {
                ifm2 = first.weights();
            }
            boolean onlyGraphInputs = contains(sg.inputs, first.ifm()) && (ifm2 == null || contains(sg.inputs, ifm2));
            if (ps.placement == PassPlacement.CPU && onlyGraphInputs) {
                top.add(ps);
            } else {
                rest.add(ps);
            }
        }
        top.sort(java.util.Comparator.comparingInt(ps -> ps.firstOp().opIndex == null ? -1 : ps.firstOp().opIndex));
        regroupCpuPasses(rest);
        top.addAll(rest);
        return top;
    }

    private static boolean contains(List<GraphTensor> list, GraphTensor t) {
        for (GraphTensor x : list) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }

    /** From the bottom, moves each CPU pass down to the next CPU pass (or the end) if nothing between needs it. */
    private static void regroupCpuPasses(List<WorkPass> passes) {
        int lastIndex = passes.size() - 1;
        for (WorkPass cpu : new ArrayList<>(reversed(passes))) {
            if (cpu.placement != PassPlacement.CPU) {
                continue;
            }
            int idx = passes.indexOf(cpu);
            for (WorkPass next : new ArrayList<>(passes.subList(idx + 1, passes.size()))) {
                if (next.placement == PassPlacement.CPU) {
                    passes.remove(cpu);
                    passes.add(passes.indexOf(next), cpu);
                    break;
                }
                GraphOp n = next.firstOp();
                boolean depends = false;
                for (GraphTensor out : cpu.firstOp().outputs) {
                    if (out == n.ifm() || out == n.ifm2()) {
                        depends = true;
                    }
                }
                if (depends || next.placement == PassPlacement.MEMORY_ONLY) {
                    break;
                }
                if (passes.indexOf(next) == lastIndex) {
                    passes.remove(cpu);
                    passes.add(cpu);
                    break;
                }
            }
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    private void visitTensor(GraphTensor t) {
        int n = tensorRefs.merge(t, 1, Integer::sum);
        if (n == t.consumers.size()) {
            for (GraphOp op : reversed(t.producers)) {
                visitOp(op);
            }
        }
    }

    private void visitOp(GraphOp op) {
        int n = opRefs.merge(op, 1, Integer::sum);
        if (n == 1) {
            for (GraphTensor out : op.outputs) {
                if (out.consumers.isEmpty()) {
                    n = opRefs.merge(op, 1, Integer::sum);
                }
            }
        }
        if (n == op.outputs.size()) {
            if (op.type.isStartup()) {
                startup.add(op);
            } else {
                GraphTensor ofm = op.ofm() != null ? op.ofm() : op.outputs.get(0);
                Shape4 ofmShape = op.runOnNpu && !op.ofmShapes.isEmpty() ? op.ofmShapes.get(0) : null;
                buildPass(List.of(op), ofm, ofmShape);
            }
        }
    }

    private WorkPass buildPass(List<GraphOp> startOps, GraphTensor ofm, Shape4 ofmShape) {
        List<GraphOp> reverseOps = new ArrayList<>();
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        NpuBlockType blockType = NpuBlockType.DEFAULT;
        Set<GraphTensor> inputSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        GraphOp primary = null;
        Shape4 ifmShape = null;
        Deque<GraphOp> queue = new ArrayDeque<>(startOps);
        Deque<GraphTensor> queueTensors = new ArrayDeque<>();
        for (int i = 0; i < startOps.size(); i++) {
            queueTensors.add(ofm == null ? startOps.get(i).outputs.get(0) : ofm);
        }
        while (!queue.isEmpty()) {
            GraphOp cur = queue.poll();
            GraphTensor via = queueTensors.poll();
            if (reverseOps.contains(cur)) {
                continue;
            }
            boolean taken = false;
            for (Row row : ROWS) {
                if (!row.ops.test(cur.type) || intersects(flags, row.incompatible)) {
                    continue;
                }
                if (row.sets.contains(Flag.NPU) && !cur.runOnNpu) {
                    continue;
                }
                reverseOps.add(cur);
                if (cur.type.blockType() != NpuBlockType.DEFAULT) {
                    blockType = cur.type.blockType();
                    primary = cur;
                }
                flags.addAll(row.sets);
                if (row.sets.contains(Flag.NPU) && !cur.ifmShapes.isEmpty()) {
                    ifmShape = cur.ifmShapes.get(0);
                }
                for (GraphTensor in : reversed(cur.inputs)) {
                    if (in == null) {
                        continue;
                    }
                    if (canPack(in, cur)) {
                        queue.add(in.producers.get(0));
                        queueTensors.add(in);
                    } else {
                        inputSet.add(in);
                    }
                }
                taken = true;
                break;
            }
            if (!taken && via != null) {
                inputSet.add(via);
            }
        }
        PassPlacement placement = flags.contains(Flag.NPU) ? PassPlacement.NPU
                : flags.contains(Flag.CPU) ? PassPlacement.CPU
                : flags.contains(Flag.MEMORY_ONLY) ? PassPlacement.MEMORY_ONLY : PassPlacement.STARTUP_INIT;
        List<GraphOp> ops = reversed(reverseOps);
        if (primary == null) {
            primary = createPrimaryOp(ops);
            if (primary != null) {
                blockType = primary.type.blockType();
                inputSet.addAll(primary.inputs);
            }
        }
        WorkPass ps = new WorkPass();
        ps.name = ops.get(0).name;
        ps.placement = placement;
        ps.blockType = blockType;
        ps.ops = ops;
        ps.primaryOp = primary;
        Set<GraphTensor> ordered = new LinkedHashSet<>();
        if (primary != null) {
            for (GraphTensor in : primary.inputs) {
                if (in != null && inputSet.contains(in)) {
                    ordered.add(in);
                }
            }
        }
        for (GraphOp op : ops) {
            for (GraphTensor in : op.inputs) {
                if (in != null && inputSet.contains(in)) {
                    ordered.add(in);
                }
            }
        }
        ps.inputs = new ArrayList<>(ordered);
        ps.outputs = new ArrayList<>(ops.get(ops.size() - 1).outputs);
        ps.ifmShape = primary != null && primary.runOnNpu ? ifmShape : null;
        ps.ofmShape = ofmShape;
        reversePasses.add(ps);
        // Every use of an input counts towards its producer's readiness: the primary op's inputs first.
        Map<GraphTensor, Integer> uses = new IdentityHashMap<>();
        List<GraphTensor> order = new ArrayList<>();
        List<GraphOp> users = new ArrayList<>();
        if (primary != null) {
            users.add(primary);
        }
        for (GraphOp op : ops) {
            if (op != primary) {
                users.add(op);
            }
        }
        for (GraphOp op : users) {
            for (GraphTensor in : op.inputs) {
                if (in != null && inputSet.contains(in)) {
                    if (uses.merge(in, 1, Integer::sum) == 1) {
                        order.add(in);
                    }
                }
            }
        }
        for (GraphTensor in : order) {
            for (int i = uses.get(in); i > 0; i--) {
                visitTensor(in);
            }
        }
        return ps;
    }

    private static boolean intersects(Set<Flag> a, Set<Flag> b) {
        for (Flag f : b) {
            if (a.contains(f)) {
                return true;
            }
        }
        return false;
    }

    private static boolean canPack(GraphTensor in, GraphOp cur) {
        if (in.producers.size() != 1) {
            return false;
        }
        GraphOp next = in.producers.get(0);
        for (GraphTensor out : next.outputs) {
            List<GraphOp> cons = out.consumers;
            if (cons.size() > 1 || (cons.size() == 1 && cons.get(0) != cur)) {
                return false;
            }
        }
        if (!cur.ifmShapes.isEmpty() && !next.ofmShapes.isEmpty()) {
            if (in == cur.ifm() && !next.ofmShapes.get(0).equals(cur.ifmShapes.get(0))) {
                return false;
            }
            if (cur.ifm2() != null && in == cur.ifm2() && cur.ifmShapes.size() > 1
                    && !next.ofmShapes.get(0).equals(cur.ifmShapes.get(1))) {
                return false;
            }
        }
        return true;
    }

    /** A pass of NPU activations alone gets a 1x1 AvgPool in front to run them on. */
    private GraphOp createPrimaryOp(List<GraphOp> ops) {
        boolean needed = ops.stream().anyMatch(op -> op.runOnNpu && (op.type.isRelu() || op.type == OpType.Sigmoid
                || op.type == OpType.Tanh || op.type == OpType.Quantize));
        if (!needed) {
            return null;
        }
        GraphOp op = ops.get(0);
        GraphTensor in = op.inputs.get(0);
        GraphOp pool = ConcatSplitLowering.avgPoolNop(op.name + "_avgpool");
        pool.addInput(in);
        GraphTensor pooled = new GraphTensor(in.name + "_avgpooled", in.shape, in.type, in.equivalenceId);
        pooled.quant = in.quant;
        pooled.consumers.add(op);
        pool.setOutput(pooled);
        pool.ifmShapes.addAll(op.ifmShapes);
        pool.ofmShapes.addAll(op.ofmShapes);
        pool.readOffsets[0] = op.readOffsets[0];
        pool.readShapes[0] = op.readShapes[0];
        op.inputs.set(0, pooled);
        ops.add(0, pool);
        tensorRefs.merge(pool.inputs.get(0), 1, Integer::sum);
        return pool;
    }
}
