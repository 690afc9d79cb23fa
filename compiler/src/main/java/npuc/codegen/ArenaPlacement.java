package npuc.codegen;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.alloc.ArenaAllocation;
import npuc.arch.MemoryType;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.schedule.LiveRanges;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.SchedulerOperation;

/**
 * Addresses from the arena allocation: every feature map and fast-storage weight buffer at the address its live
 * range got, in the fast-storage region when the arena is elsewhere, else in the arena's region. What lives in
 * the model's constant data (encoded weights, lookup tables, constant feature maps) is placed by
 * {@code constants}, the layout the optimised model's writer chooses.
 */
public final class ArenaPlacement implements MemoryPlacement {
    private final Map<TensorInfo, Address> featureMaps = new IdentityHashMap<>();
    /**
     * Tensors that share a buffer without being listed in its range (clones of a variable) find it by equivalence
     * id in the region of their memory type: fast storage for those in it, else the arena (as Vela keys its
     * addresses by equivalence id and memory type).
     */
    private final Map<Integer, Long> fastBuffers;
    private final Map<Integer, Long> arenaBuffers;
    private final int fastRegion;
    private final Set<TensorInfo> inFastStorage = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Address> weightBuffers = new HashMap<>();
    private final MemoryPlacement constants;

    private ArenaPlacement(ArenaAllocation arena, Target target, MemoryPlacement constants) {
        this.constants = constants;
        this.fastBuffers = arena.addresses(MemoryType.SCRATCH_FAST);
        this.arenaBuffers = arena.addresses(MemoryType.SCRATCH);
        this.fastRegion = target.isSpillingEnabled() ? Address.SCRATCH_FAST : Address.SCRATCH;
    }

    public static ArenaPlacement of(ArenaAllocation arena, NetworkSchedule schedule, Target target,
            MemoryPlacement constants) {
        ArenaPlacement p = new ArenaPlacement(arena, target, constants);
        schedule.subgraphs().forEach(sg -> p.inFastStorage.addAll(sg.inFastStorage()));
        for (ArenaAllocation.Region region : arena.regions()) {
            int index = region.scope().types().contains(MemoryType.SCRATCH) ? Address.SCRATCH : p.fastRegion;
            List<LiveRanges.Range> ranges = region.ranges().ranges();
            for (int i = 0; i < ranges.size(); i++) {
                LiveRanges.Range r = ranges.get(i);
                Address a = new Address(index, region.allocation().address(i));
                if (r.weightsOf() >= 0) {
                    p.weightBuffers.putIfAbsent(r.name(), a);
                }
                for (TensorInfo t : r.tensors()) {
                    p.featureMaps.putIfAbsent(t, a);
                }
            }
        }
        return p;
    }

    @Override
    public Address featureMap(TensorInfo tensor) {
        Address a = featureMaps.get(tensor);
        if (a == null && tensor.values() == null) {
            boolean fast = inFastStorage.contains(tensor);
            Long offset = (fast ? fastBuffers : arenaBuffers).get(tensor.equivalenceId());
            a = offset == null ? null : new Address(fast ? fastRegion : Address.SCRATCH, offset);
        }
        return a != null ? a : constants.featureMap(tensor);
    }

    @Override
    public Address weights(SchedulerOperation op) {
        return constants.weights(op);
    }

    @Override
    public Address lookupTable(SchedulerOperation op) {
        return constants.lookupTable(op);
    }

    @Override
    public Address weightBuffer(SchedulerOperation op, int index) {
        String name = op.primary().weights().name() + (index == 0 ? "_buffer" : "_buffer2");
        Address a = weightBuffers.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the arena allocation has no live range " + name);
        }
        return a;
    }
}
