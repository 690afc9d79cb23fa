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
class RecoveredPlacement implements MemoryPlacement {
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
        List<HighLevelCommand> hl = HighLevelCommandStream.of(subgraph, target);
        NpuOperationBuilder builder = new NpuOperationBuilder(target, new RecoveredPlacement(), subgraph, hl);
        // Memory copies: with source and destination apart, the copy the reference would make if it made one.
        RecoveredPlacement apart = new RecoveredPlacement() {
            @Override
            public Address featureMap(TensorInfo tensor) {
                return new Address(Address.SCRATCH, System.identityHashCode(tensor) * 16L);
            }
        };
        NpuOperationBuilder copies = new NpuOperationBuilder(target, apart, subgraph, hl);
        List<Map<NpuCommand, Command>> snaps = snapshots(reference);
        List<HighLevelCommand.FeatureMapDma> inPlace = new ArrayList<>();
        int j = 0;
        for (HighLevelCommand c : hl) {
            if (j >= snaps.size()) {
                break;
            }
            Map<NpuCommand, Command> s = snaps.get(j);
            SchedulerOperation sop = c.op().op();
            boolean referenceDma = s.containsKey(NpuCommand.NPU_OP_DMA_START);
            if (c instanceof HighLevelCommand.FeatureMapDma f) {
                NpuOperation.Dma d = (NpuOperation.Dma) copies.build(c);
                Command len = s.get(NpuCommand.NPU_SET_DMA0_LEN);
                Command srcRegion = s.get(NpuCommand.NPU_SET_DMA0_SRC_REGION);
                if (referenceDma && len != null && len.payload() == d.source().length() && srcRegion != null
                        && srcRegion.param() != Address.PERMANENT) {
                    p.featureMaps.putIfAbsent(sop.ifm().tensor(),
                            at(s, NpuCommand.NPU_SET_DMA0_SRC_REGION, NpuCommand.NPU_SET_DMA0_SRC, 0));
                    p.featureMaps.putIfAbsent(sop.ofm().tensor(),
                            at(s, NpuCommand.NPU_SET_DMA0_DST_REGION, NpuCommand.NPU_SET_DMA0_DST, 0));
                    j++;
                } else {
                    inPlace.add(f);
                }
                continue;
            }
            NpuOperation op = builder.build(c);
            if (op == null) {
                continue;
            }
            j++;
            if (c instanceof HighLevelCommand.LutDma && referenceDma) {
                p.tables.putIfAbsent(sop, at(s, NpuCommand.NPU_SET_DMA0_SRC_REGION, NpuCommand.NPU_SET_DMA0_SRC, 0));
            } else if (op instanceof NpuOperation.Dma d && c instanceof HighLevelCommand.WeightDma w
                    && referenceDma) {
                p.weights.putIfAbsent(sop, at(s, NpuCommand.NPU_SET_DMA0_SRC_REGION, NpuCommand.NPU_SET_DMA0_SRC,
                        d.source().address()));
                p.buffers.computeIfAbsent(sop, k -> new HashMap<>()).putIfAbsent(w.buffer(),
                        at(s, NpuCommand.NPU_SET_DMA0_DST_REGION, NpuCommand.NPU_SET_DMA0_DST, 0));
            } else if (op instanceof NpuOperation.Block b && !referenceDma) {
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
        // Copies the reference left out share their source's bytes.
        for (HighLevelCommand.FeatureMapDma f : inPlace) {
            TensorInfo in = f.op().op().ifm().tensor();
            TensorInfo out = f.op().op().ofm().tensor();
            if (p.featureMaps.containsKey(in)) {
                p.featureMaps.put(out, p.featureMaps.get(in));
            } else if (p.featureMaps.containsKey(out)) {
                p.featureMaps.put(in, p.featureMaps.get(out));
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
