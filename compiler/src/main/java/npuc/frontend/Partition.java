package npuc.frontend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
        List<FrontEndResult.PassInfo> rootPasses = new ArrayList<>();
        List<FrontEndResult.SubgraphPlan> npuSubgraphs = new ArrayList<>();
        List<FrontEndResult.OperationInfo> cpuOps = new ArrayList<>();
        List<FrontEndResult.OperationInfo> npuOps = new ArrayList<>();
        boolean anyNpu = false;
        for (PassPlacement p : place) {
            anyNpu |= p == PassPlacement.NPU;
        }
        long macs = 0;
        long weightBytes = 0;
        Set<Integer> countedWeights = new HashSet<>();
        List<FrontEndResult.PassInfo> run = null;
        String runName = null;
        for (int i = 0; i < n; i++) {
            WorkPass ps = passes.get(i);
            boolean npu = anyNpu && place[i] == PassPlacement.NPU;
            if (npu && run == null) {
                runName = root.name + "_split_" + (npuSubgraphs.size() + 1);
                run = new ArrayList<>();
                run.add(new FrontEndResult.PassInfo(runName + "_startup_init", PassPlacement.STARTUP_INIT,
                        NpuBlockType.DEFAULT, null, List.of(), List.of(), List.of(), null, null));
                rootPasses.add(callPass(runName));
                npuSubgraphs.add(null);
            } else if (!npu && run != null) {
                npuSubgraphs.set(npuSubgraphs.size() - 1,
                        new FrontEndResult.SubgraphPlan(runName, PassPlacement.NPU, run));
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
            npuSubgraphs.set(npuSubgraphs.size() - 1, new FrontEndResult.SubgraphPlan(runName, PassPlacement.NPU, run));
        }
        List<FrontEndResult.SubgraphPlan> all = new ArrayList<>();
        all.add(new FrontEndResult.SubgraphPlan(root.name, PassPlacement.CPU, rootPasses));
        all.addAll(npuSubgraphs);
        // Vela's batch size is its --batch-size option's, 1 unless given; npuc has no such option.
        return new FrontEndResult(all, cpuOps, npuOps, ctx.warnings, macs, weightBytes, 1);
    }

    private static FrontEndResult.PassInfo callPass(String subgraphName) {
        FrontEndResult.OperationInfo call = new FrontEndResult.OperationInfo(OpType.CustomNpuOp,
                "call_" + subgraphName, null, false, List.of(), List.of(), List.of(), List.of(),
                new FrontEndResult.Kernel(1, 1, 1, 1, 1, 1), null, null, null, null, null, null, null, null, null,
                MemoryFunction.NONE, null, null, null, null, null, null);
        return new FrontEndResult.PassInfo("call_" + subgraphName, PassPlacement.MEMORY_ONLY, NpuBlockType.DEFAULT,
                null, List.of(call), List.of(), List.of(), null, null);
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
