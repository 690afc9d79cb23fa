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
        List<Region> regions = new ArrayList<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (LiveRanges.Scope scope : scopes(target)) {
            boolean limited = isLimited(scope, target);
            regions.add(allocate(frontEnd, schedule, target, settings, scope,
                    limited ? target.arenaCacheSize() : target.maxAddressOffset(), warnings));
        }
        return new ArenaAllocation(regions, new ArrayList<>(warnings));
    }

    /** With spilling (the arena outside fast storage) fast storage first, then the arena; else one arena. */
    private static List<LiveRanges.Scope> scopes(Target target) {
        if (target.isSpillingEnabled()) {
            // Fast storage first: its allocation has the hard limit.
            return List.of(new LiveRanges.Scope(target.fastStorageArea(), EnumSet.of(MemoryType.SCRATCH_FAST)),
                    new LiveRanges.Scope(target.featureMapStorageArea(), EnumSet.of(MemoryType.SCRATCH)));
        }
        return List.of(new LiveRanges.Scope(target.featureMapStorageArea(),
                EnumSet.of(MemoryType.SCRATCH, MemoryType.SCRATCH_FAST)));
    }

    /** The allocation the arena cache size limits: fast storage when spilling. */
    private static boolean isLimited(LiveRanges.Scope scope, Target target) {
        return scope.types().contains(MemoryType.SCRATCH_FAST) && target.isSpillingEnabled();
    }

    private static Region allocate(FrontEndResult frontEnd, NetworkSchedule schedule, Target target,
            Settings settings, LiveRanges.Scope scope, long limit, Set<String> warnings) {
        LiveRanges lrs = LiveRanges.ofNetwork(frontEnd, schedule, target, scope, settings.cpuAlignment());
        lrs.widened().forEach(w -> warnings.add(w.warning()));
        List<LiveRange> ranges = new ArrayList<>();
        for (LiveRanges.Range r : lrs.ranges()) {
            ranges.add(new LiveRange(r.start(), r.end(), r.size(), r.alignment(), r.name()));
        }
        Allocation a = settings.allocator().allocate(ranges, limit, settings.hillClimbMaxIterations(),
                settings.cpuAlignment());
        a.warnings().forEach(w -> warnings.add(w.message()));
        return new Region(scope, lrs, a);
    }

    /**
     * What a schedule needs of the arena cache size, whatever that size is.
     *
     * @param bytes      the smallest arena cache size the schedule's allocation fits: the size the allocator reaches
     *                   when its limit is the lower bound (the arena itself when not spilling, whose allocation no
     *                   arena cache size steers). A larger limit only ends the allocator's search sooner, never
     *                   above the limit, so the schedule fits every arena cache size from this one up, and none
     *                   below it.
     * @param lowerBound the most bytes live at one time in that allocation: no allocator can do with less
     * @param peak       the buffers live at the time the lower bound is reached
     */
    public record Need(long bytes, long lowerBound, List<LiveRanges.Range> peak) {
        public Need {
            peak = List.copyOf(peak);
        }
    }

    /** What {@code schedule} needs of the arena cache of {@code target}; the target's own size plays no part. */
    public static Need need(FrontEndResult frontEnd, NetworkSchedule schedule, Target target, Settings settings) {
        LiveRanges.Scope scope = scopes(target).get(0);
        LiveRanges lrs = LiveRanges.ofNetwork(frontEnd, schedule, target, scope, settings.cpuAlignment());
        long[] usage = lrs.snapshot().usage();
        int peakTime = 0;
        for (int t = 0; t < usage.length; t++) {
            peakTime = usage[t] > usage[peakTime] ? t : peakTime;
        }
        List<LiveRanges.Range> peak = new ArrayList<>();
        for (LiveRanges.Range r : lrs.ranges()) {
            if (r.start() <= peakTime && peakTime <= r.end()) {
                peak.add(r);
            }
        }
        long lowerBound = usage.length == 0 ? 0 : usage[peakTime];
        Region region = allocate(frontEnd, schedule, target, settings, scope,
                isLimited(scope, target) ? lowerBound : target.maxAddressOffset(), new LinkedHashSet<>());
        return new Need(region.size(), region.lowerBound(), peak);
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
