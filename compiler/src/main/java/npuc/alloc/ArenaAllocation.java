package npuc.alloc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.MemoryArea;
import npuc.arch.MemoryType;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.schedule.LiveRanges;
import npuc.schedule.NetworkSchedule;

/**
 * Addresses for the network's feature maps, as Vela's final arena allocation makes them: with spilling (the
 * arena outside fast storage) first what lives in fast storage, then the arena; otherwise one allocation of the
 * arena holding both. Each allocation keeps its live ranges, the addresses chosen and the lower bound (the most
 * bytes live at one time) beside the size reached.
 *
 * @param regions  the allocations in the order they were made
 * @param warnings lines for the user: buffers widened for tensors sharing them, allocator limits not met
 */
public record ArenaAllocation(List<Region> regions, List<String> warnings) {
    public ArenaAllocation {
        regions = List.copyOf(regions);
        warnings = List.copyOf(warnings);
    }

    /**
     * One allocation.
     *
     * @param scope      the memory area and memory types it covers
     * @param ranges     its live ranges
     * @param allocation the address of each range (indexed like {@code ranges.ranges()}), the size and lower bound
     */
    public record Region(LiveRanges.Scope scope, LiveRanges ranges, Allocation allocation) {
        public long size() {
            return allocation.size();
        }

        public long lowerBound() {
            return allocation.lowerBound();
        }
    }

    /** How the allocator runs: Vela's --tensor-allocator, --cpu-tensor-alignment, --hillclimb-max-iterations. */
    public record Settings(TensorAllocator allocator, int cpuAlignment, int hillClimbMaxIterations) {
    }

    public static ArenaAllocation of(FrontEndResult frontEnd, NetworkSchedule schedule, Target target,
            Settings settings) {
        List<LiveRanges.Scope> scopes = new ArrayList<>();
        if (target.isSpillingEnabled()) {
            // Fast storage first: its allocation has the hard limit.
            scopes.add(new LiveRanges.Scope(target.fastStorageArea(), EnumSet.of(MemoryType.SCRATCH_FAST)));
            scopes.add(new LiveRanges.Scope(target.featureMapStorageArea(), EnumSet.of(MemoryType.SCRATCH)));
        } else {
            scopes.add(new LiveRanges.Scope(target.featureMapStorageArea(),
                    EnumSet.of(MemoryType.SCRATCH, MemoryType.SCRATCH_FAST)));
        }
        List<Region> regions = new ArrayList<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (LiveRanges.Scope scope : scopes) {
            LiveRanges lrs = LiveRanges.ofNetwork(frontEnd, schedule, target, scope, settings.cpuAlignment());
            lrs.widened().forEach(w -> warnings.add(w.warning()));
            List<LiveRange> ranges = new ArrayList<>();
            for (LiveRanges.Range r : lrs.ranges()) {
                ranges.add(new LiveRange(r.start(), r.end(), r.size(), r.alignment(), r.name()));
            }
            long limit = scope.types().contains(MemoryType.SCRATCH_FAST) && target.isSpillingEnabled()
                    ? target.arenaCacheSize() : target.maxAddressOffset();
            Allocation a = settings.allocator().allocate(ranges, limit, settings.hillClimbMaxIterations(),
                    settings.cpuAlignment());
            a.warnings().forEach(w -> warnings.add(w.message()));
            regions.add(new Region(scope, lrs, a));
        }
        return new ArenaAllocation(regions, new ArrayList<>(warnings));
    }

    /**
     * Bytes of the allocations holding buffers of {@code type}: an allocation holding two types counts for both,
     * as Vela sizes its scratch and fast-scratch tensors.
     */
    public long size(MemoryType type) {
        return regions.stream().filter(r -> r.scope().types().contains(type)).mapToLong(Region::size).sum();
    }

    /**
     * Where each buffer of {@code type} starts, by the equivalence id of every tensor its range lists (Vela keys
     * addresses by equivalence id and memory type, so a clone not listed in a range finds its buffer here).
     */
    public Map<Integer, Long> addresses(MemoryType type) {
        Map<Integer, Long> out = new HashMap<>();
        for (Region r : regions) {
            if (!r.scope().types().contains(type)) {
                continue;
            }
            List<LiveRanges.Range> ranges = r.ranges().ranges();
            for (int i = 0; i < ranges.size(); i++) {
                for (TensorInfo t : ranges.get(i).tensors()) {
                    out.putIfAbsent(t.equivalenceId(), r.allocation().address(i));
                }
            }
        }
        return out;
    }

    /** Bytes the arena allocations take in {@code area}. */
    public long used(MemoryArea area) {
        return regions.stream().filter(r -> r.scope().area() == area).mapToLong(Region::size).sum();
    }
}
