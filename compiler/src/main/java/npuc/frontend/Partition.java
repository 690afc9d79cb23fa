package npuc.frontend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vela's extract_npu_subgraphs on the packed passes: memory-only passes next to NPU passes join them, each
 * maximal run of NPU passes becomes an NPU subgraph (with its own startup pass) called from the root by
 * one call pass. Also counts the operators and the NPU work (MACs, original weight bytes).
 */
final class Partition {
    private Partition() {
    }

    static FrontEndResult of(FrontEndContext ctx, WorkSubgraph root, List<WorkPass> passes) {
        int n = passes.size();
        PassPlacement[] place = new PassPlacement[n];
        for (int i = 0; i < n; i++) {
            PassPlacement p = passes.get(i).placement;
            place[i] = p == PassPlacement.STARTUP_INIT ? PassPlacement.CPU : p;
        }
        for (int pass = 0; pass < 2; pass++) {
            PassPlacement last = PassPlacement.CPU;
            for (int k = 0; k < n; k++) {
                int i = pass == 0 ? k : n - 1 - k;
                PassPlacement p = place[i];
                if (p == PassPlacement.MEMORY_ONLY && passes.get(i).firstOp().runOnNpu && last == PassPlacement.NPU) {
                    p = PassPlacement.NPU;
                    place[i] = p;
                }
                if (p != PassPlacement.MEMORY_ONLY) {
                    last = p;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (place[i] == PassPlacement.MEMORY_ONLY) {
                place[i] = PassPlacement.CPU;
            }
        }

        FrontEnd.Snapshot snap = new FrontEnd.Snapshot();
        boolean anyNpu = false;
        for (PassPlacement p : place) {
            anyNpu |= p == PassPlacement.NPU;
        }
        // The subgraph each pass goes to: -1 for the root, else the index of its run of NPU passes.
        int[] subgraphOf = new int[n];
        int runs = 0;
        for (int i = 0; i < n; i++) {
            boolean npu = anyNpu && place[i] == PassPlacement.NPU;
            if (npu && (i == 0 || subgraphOf[i - 1] < 0)) {
                runs++;
            }
            subgraphOf[i] = npu ? runs - 1 : -1;
        }
        List<Boundary> boundaries = boundaries(root, passes, subgraphOf, runs, snap);

        List<FrontEndResult.PassInfo> rootPasses = new ArrayList<>();
        List<FrontEndResult.SubgraphPlan> npuSubgraphs = new ArrayList<>();
        List<FrontEndResult.OperationInfo> cpuOps = new ArrayList<>();
        List<FrontEndResult.OperationInfo> npuOps = new ArrayList<>();
        long macs = 0;
        long weightBytes = 0;
        Set<Integer> countedWeights = new HashSet<>();
        List<FrontEndResult.PassInfo> run = null;
        String runName = null;
        for (int i = 0; i < n; i++) {
            WorkPass ps = passes.get(i);
            boolean npu = subgraphOf[i] >= 0;
            if (npu && run == null) {
                runName = root.name + "_split_" + (npuSubgraphs.size() + 1);
                run = new ArrayList<>();
                run.add(new FrontEndResult.PassInfo(runName + "_startup_init", PassPlacement.STARTUP_INIT,
                        NpuBlockType.DEFAULT, null, List.of(), List.of(), List.of(), null, null));
                rootPasses.add(callPass(runName, boundaries.get(subgraphOf[i])));
                npuSubgraphs.add(null);
            } else if (!npu && run != null) {
                npuSubgraphs.set(npuSubgraphs.size() - 1, new FrontEndResult.SubgraphPlan(runName, PassPlacement.NPU,
                        run, boundaries.get(npuSubgraphs.size() - 1).outputs()));
                run = null;
            }
            FrontEndResult.PassInfo info = snap.pass(ps);
            if (npu) {
                run.add(info);
                for (FrontEndResult.OperationInfo op : info.ops()) {
                    npuOps.add(op);
                }
                macs += macs(ps);
                GraphTensor w = ps.primaryOp == null ? null : ps.primaryOp.weights();
                if (w != null && w.values != null && countedWeights.add(w.equivalenceId)) {
                    weightBytes += w.values.byteSize();
                }
            } else {
                rootPasses.add(info);
                if (ps.placement != PassPlacement.STARTUP_INIT) {
                    for (GraphOp op : ps.ops) {
                        if (!op.type.isStartup() && op.type != OpType.CustomNpuOp) {
                            cpuOps.add(snap.op(op));
                        }
                    }
                }
            }
        }
        if (run != null) {
            npuSubgraphs.set(npuSubgraphs.size() - 1, new FrontEndResult.SubgraphPlan(runName, PassPlacement.NPU, run,
                    boundaries.get(npuSubgraphs.size() - 1).outputs()));
        }
        List<FrontEndResult.SubgraphPlan> all = new ArrayList<>();
        all.add(new FrontEndResult.SubgraphPlan(root.name, PassPlacement.CPU, rootPasses, snap.tensors(root.outputs)));
        all.addAll(npuSubgraphs);
        // Vela's batch size is its --batch-size option's, 1 unless given; npuc has no such option.
        return new FrontEndResult(all, cpuOps, npuOps, ctx.warnings, macs, weightBytes, 1);
    }

    /** What crosses into and out of one NPU subgraph: its call pass's inputs and outputs. */
    private record Boundary(List<FrontEndResult.TensorInfo> inputs, List<FrontEndResult.TensorInfo> outputs) {
    }

    /**
     * Vela's extract_npu_subgraphs cuts the graph pass by pass: a non-constant tensor an NPU pass reads from
     * elsewhere becomes an input of the call, a tensor it writes that another subgraph or the model reads becomes
     * an output, each once, in the order the passes meet them.
     */
    private static List<Boundary> boundaries(WorkSubgraph root, List<WorkPass> passes, int[] subgraphOf, int runs,
            FrontEnd.Snapshot snap) {
        Map<GraphOp, Integer> opSubgraph = new IdentityHashMap<>();
        for (int i = 0; i < passes.size(); i++) {
            for (GraphOp op : passes.get(i).ops) {
                opSubgraph.put(op, subgraphOf[i]);
            }
        }
        List<Boundary> out = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            Set<GraphTensor> inputs = newIdentitySet();
            Set<GraphTensor> outputs = newIdentitySet();
            List<GraphTensor> in = new ArrayList<>();
            List<GraphTensor> outList = new ArrayList<>();
            for (int i = 0; i < passes.size(); i++) {
                if (subgraphOf[i] != k) {
                    continue;
                }
                WorkPass ps = passes.get(i);
                for (GraphTensor t : ps.inputs) {
                    if (t == null || t.values != null) {
                        continue;
                    }
                    int producer = t.producers.isEmpty() ? -1 : opSubgraph.getOrDefault(t.producers.get(0), -1);
                    if (producer != k && inputs.add(t)) {
                        in.add(t);
                    }
                }
                for (GraphTensor t : ps.outputs) {
                    GraphTensor handed = handedOn(t, root, opSubgraph, k);
                    if (handed != null && outputs.add(handed)) {
                        outList.add(handed);
                    }
                }
            }
            out.add(new Boundary(snap.tensors(in), snap.tensors(outList)));
        }
        return out;
    }

    /** The tensor the caller receives for {@code t}, null when nothing outside subgraph {@code k} reads it. */
    private static GraphTensor handedOn(GraphTensor t, WorkSubgraph root, Map<GraphOp, Integer> opSubgraph, int k) {
        for (GraphOp c : t.consumers) {
            if (c != null && opSubgraph.getOrDefault(c, -1) != k) {
                return t;
            }
        }
        for (GraphTensor o : root.outputs) {
            if (o == t) {
                return t;
            }
            if (o.equivalenceId == t.equivalenceId) {
                return o;
            }
        }
        return null;
    }

    private static <T> Set<T> newIdentitySet() {
        return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static FrontEndResult.PassInfo callPass(String subgraphName, Boundary boundary) {
        FrontEndResult.OperationInfo call = new FrontEndResult.OperationInfo(OpType.CustomNpuOp,
                FrontEndResult.callName(subgraphName), null, false, List.of(), List.of(), List.of(), List.of(),
                new FrontEndResult.Kernel(1, 1, 1, 1, 1, 1), null, null, null, null, null, null, null, null, null,
                MemoryFunction.NONE, null, null, null, null, null, null);
        return new FrontEndResult.PassInfo(FrontEndResult.callName(subgraphName), PassPlacement.MEMORY_ONLY, NpuBlockType.DEFAULT,
                null, List.of(call), boundary.inputs(), boundary.outputs(), null, null);
    }

    /** The MACs of an NPU pass's primary operation, as Vela's performance model counts them. */
    static long macs(WorkPass ps) {
        GraphOp op = ps.primaryOp;
        if (op == null) {
            return 0;
        }
        Shape4 ofm = op.writeShape != null ? op.writeShape : ps.ofmShape;
        Shape4 ifm = op.readShapes[0] != null ? op.readShapes[0] : ps.ifmShape;
        if (ofm == null) {
            return 0;
        }
        long kernel = (long) op.kernelWidth() * op.kernelHeight();
        return switch (op.type.blockType()) {
            case CONVOLUTION_MXN, VECTOR_PRODUCT, REDUCE_SUM -> kernel * (ifm == null ? 0 : ifm.depth()) * ofm.elements();
            case CONVOLUTION_DEPTHWISE, POOLING -> kernel * ofm.elements();
            default -> 0;
        };
    }
}
