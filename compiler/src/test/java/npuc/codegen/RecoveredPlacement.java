package npuc.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.schedule.ScheduledSubgraph;
import npuc.schedule.SchedulerOperation;

/**
 * Addresses read back from a reference command stream, standing in for tensor allocation: npuc's operations
 * are generated once with every tensor at offset 0 of its region, which gives each register's offset within
 * its tensor; the reference's register value at the matching operation minus that offset is where the
 * reference placed the tensor.
 */
final class RecoveredPlacement implements MemoryPlacement {
    private final Map<TensorInfo, Address> featureMaps = new IdentityHashMap<>();
    private final Map<SchedulerOperation, Address> weights = new IdentityHashMap<>();
    private final Map<SchedulerOperation, Map<Integer, Address>> buffers = new IdentityHashMap<>();
    private final Map<SchedulerOperation, Address> tables = new IdentityHashMap<>();

    @Override
    public Address lookupTable(SchedulerOperation op) {
        return tables.getOrDefault(op, new Address(Address.PERMANENT, 0));
    }

    @Override
    public Address featureMap(TensorInfo tensor) {
        return featureMaps.getOrDefault(tensor, new Address(Address.SCRATCH, 0));
    }

    @Override
    public Address weights(SchedulerOperation op) {
        return weights.getOrDefault(op, new Address(Address.PERMANENT, 0));
    }

    @Override
    public Address weightBuffer(SchedulerOperation op, int index) {
        return buffers.getOrDefault(op, Map.of()).getOrDefault(index, new Address(Address.SCRATCH, 0));
    }

    /** The register values in force at each operation of a reference stream (DMA starts and kernel operations). */
    static List<Map<NpuCommand, Command>> snapshots(List<Command> commands) {
        Map<NpuCommand, Command> state = new HashMap<>();
        List<Map<NpuCommand, Command>> out = new ArrayList<>();
        for (Command c : commands) {
            if (!c.command().isOperation()) {
                state.put(c.command(), c);
            } else if (c.command() != NpuCommand.NPU_OP_STOP && c.command() != NpuCommand.NPU_OP_KERNEL_WAIT
                    && c.command() != NpuCommand.NPU_OP_DMA_WAIT) {
                Map<NpuCommand, Command> snap = new HashMap<>(state);
                snap.put(c.command(), c);
                out.add(snap);
            }
        }
        return out;
    }

    static RecoveredPlacement recover(ScheduledSubgraph subgraph, Target target, List<Command> reference) {
        RecoveredPlacement p = new RecoveredPlacement();
        RecoveredPlacement zero = new RecoveredPlacement();
        List<HighLevelCommand> hl = HighLevelCommandStream.of(subgraph, target);
        NpuOperationBuilder builder = new NpuOperationBuilder(target, zero, hl);
        List<Map<NpuCommand, Command>> snaps = snapshots(reference);
        List<HighLevelCommand> emitting = new ArrayList<>();
        List<NpuOperation> ops = new ArrayList<>();
        for (HighLevelCommand c : hl) {
            NpuOperation op = builder.build(c);
            if (op != null) {
                emitting.add(c);
                ops.add(op);
            }
        }
        int n = Math.min(ops.size(), snaps.size());
        for (int i = 0; i < n; i++) {
            HighLevelCommand c = emitting.get(i);
            NpuOperation op = ops.get(i);
            Map<NpuCommand, Command> s = snaps.get(i);
            SchedulerOperation sop = c.op().op();
            if (c instanceof HighLevelCommand.LutDma && s.containsKey(NpuCommand.NPU_OP_DMA_START)) {
                p.tables.putIfAbsent(sop, at(s, NpuCommand.NPU_SET_DMA0_SRC_REGION, NpuCommand.NPU_SET_DMA0_SRC, 0));
            } else if (op instanceof NpuOperation.Dma d && s.containsKey(NpuCommand.NPU_OP_DMA_START)) {
                HighLevelCommand.WeightDma w = (HighLevelCommand.WeightDma) c;
                p.weights.putIfAbsent(sop, at(s, NpuCommand.NPU_SET_DMA0_SRC_REGION, NpuCommand.NPU_SET_DMA0_SRC,
                        d.source().address()));
                p.buffers.computeIfAbsent(sop, k -> new HashMap<>()).putIfAbsent(w.buffer(),
                        at(s, NpuCommand.NPU_SET_DMA0_DST_REGION, NpuCommand.NPU_SET_DMA0_DST, 0));
            } else if (op instanceof NpuOperation.Block b && !s.containsKey(NpuCommand.NPU_OP_DMA_START)) {
                HighLevelCommand.NpuStripe st = (HighLevelCommand.NpuStripe) c;
                TensorInfo ifm = sop.ifm().tensor();
                TensorInfo ifm2 = sop.ifm2() == null ? null : sop.ifm2().tensor();
                if (b.reversedOperands() != sop.reversedOperands()) {
                    TensorInfo t = ifm;
                    ifm = ifm2;
                    ifm2 = t;
                }
                p.featureMaps.putIfAbsent(ifm, at(s, NpuCommand.NPU_SET_IFM_REGION, NpuCommand.NPU_SET_IFM_BASE0,
                        b.ifm().tileAddresses().get(0)));
                if (b.hasIfm2() && ifm2 != null) {
                    p.featureMaps.putIfAbsent(ifm2, at(s, NpuCommand.NPU_SET_IFM2_REGION,
                            NpuCommand.NPU_SET_IFM2_BASE0, b.ifm2().tileAddresses().get(0)));
                }
                p.featureMaps.putIfAbsent(sop.ofm().tensor(), at(s, NpuCommand.NPU_SET_OFM_REGION,
                        NpuCommand.NPU_SET_OFM_BASE0, b.ofm().tileAddresses().get(0)));
                if (!b.scales().isEmpty()) {
                    Address a = at(s, NpuCommand.NPU_SET_SCALE_REGION, NpuCommand.NPU_SET_SCALE_BASE,
                            b.scales().get(0).address());
                    if (st.weightBuffer() < 0) {
                        p.weights.putIfAbsent(sop, a);
                    } else {
                        p.buffers.computeIfAbsent(sop, k -> new HashMap<>()).putIfAbsent(st.weightBuffer(), a);
                    }
                }
            }
        }
        return p;
    }

    private static Address at(Map<NpuCommand, Command> s, NpuCommand region, NpuCommand base, long relative) {
        Command r = s.get(region);
        Command b = s.get(base);
        long address = b == null ? 0 : (b.payload() & 0xFFFFFFFFL) | ((long) b.param() << 32);
        return new Address(r == null ? 0 : r.param(), address - relative);
    }
}
