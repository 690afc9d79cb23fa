package npuc.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;
import npuc.perf.ElementAccess;

/**
 * Which feature maps between operations move from the arena into fast storage when the arena is elsewhere
 * (Dedicated_Sram). Every OFM of an operation outside a cascade that a later operation reads is a candidate.
 * Ranges that can never fit beside what fast storage must hold anyway are evicted, ranges that always fit are
 * kept, and among the rest, grouped into components of overlapping ranges (at most 20 each), an exhaustive
 * search keeps the set with the most element accesses that fits. The decision is a value: the set of moved
 * tensors, and the ranges that were evicted.
 */
final class FastStoragePlacement {
    /** Most ranges searched exhaustively at once, and the lifetime beyond which a range is left out. */
    private static final int MAX_EXHAUSTIVE_ITEMS = 20;
    private static final int MAX_EXHAUSTIVE_LIFE_RANGE = 20;

    private FastStoragePlacement() {
    }

    /**
     * @param moved   feature maps in fast storage
     * @param evicted ranges of candidates that did not fit (what weight buffering may make room for)
     */
    record Placement(Set<TensorInfo> moved, List<LiveRanges.Range> evicted) {
    }

    static Placement place(SchedulerGraph graph, Schedule schedule, Scheduler scheduler, Target target, long limit,
            Set<TensorInfo> rollingBuffers) {
        Set<TensorInfo> moved = Collections.newSetFromMap(new IdentityHashMap<>());
        if (!target.isSpillingEnabled()) {
            return new Placement(moved, List.of());
        }
        Set<TensorInfo> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SchedulerOperation op : graph.ops()) {
            OpSchedule cost = schedule.get(op);
            TensorInfo ofm = op.ofm().tensor();
            if (cost.cascade() == 0 && !graph.consumersOf(op).isEmpty() && !graph.outputs().contains(ofm)
                    && op.primary().memoryFunction() != MemoryFunction.VARIABLE_TENSOR_WRITE) {
                candidates.add(ofm);
            }
        }
        Set<TensorInfo> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(rollingBuffers);
        all.addAll(candidates);
        LiveRanges lrs = LiveRanges.of(graph, schedule, target, all);
        long[] max = lrs.snapshot().usage();
        List<LiveRanges.Range> evicted = new ArrayList<>();
        if (peak(max, 0, max.length - 1) <= limit) {
            moved.addAll(candidates);
            return new Placement(moved, evicted);
        }
        long[] base = max.clone();
        List<LiveRanges.Range> current = new ArrayList<>();
        for (LiveRanges.Range r : lrs.ranges()) {
            if (r.holds(candidates)) {
                current.add(r);
                add(base, r, -r.size());
            }
        }
        List<LiveRanges.Range> kept = new ArrayList<>();
        for (LiveRanges.Range r : new ArrayList<>(current)) {
            if (peak(base, r.start(), r.end()) + r.size() > limit) {
                evicted.add(r);
                add(max, r, -r.size());
                current.remove(r);
            }
        }
        List<LiveRanges.Range> competing = new ArrayList<>();
        for (LiveRanges.Range r : current) {
            if (peak(max, r.start(), r.end()) <= limit) {
                add(base, r, r.size());
                kept.add(r);
            } else {
                competing.add(r);
            }
        }
        if (!competing.isEmpty()) {
            Map<TensorInfo, Long> access = elementAccess(graph, schedule, scheduler, competing);
            competing.sort(Comparator.comparingInt(LiveRanges.Range::start)
                    .thenComparingInt(r -> r.end() + 1).thenComparingLong(LiveRanges.Range::size));
            if (competing.size() > MAX_EXHAUSTIVE_ITEMS) {
                List<LiveRanges.Range> copy = new ArrayList<>(competing);
                for (int i = 0; i < copy.size(); i++) {
                    LiveRanges.Range r = copy.get(i);
                    if (r.end() - r.start() >= MAX_EXHAUSTIVE_LIFE_RANGE) {
                        int cmp = Math.min(i + MAX_EXHAUSTIVE_ITEMS, competing.size() - 1);
                        if (r.end() > copy.get(cmp).end() + MAX_EXHAUSTIVE_LIFE_RANGE) {
                            // Left out of fast storage without counting as evicted for weight buffering.
                            add(max, r, -r.size());
                            competing.remove(r);
                        }
                    }
                }
            }
            List<int[]> components = new ArrayList<>();
            int start = 0;
            int endTime = competing.get(0).end();
            for (int i = 0; i < competing.size(); i++) {
                LiveRanges.Range r = competing.get(i);
                if (r.start() <= endTime && i - start < MAX_EXHAUSTIVE_ITEMS) {
                    endTime = Math.max(endTime, r.end());
                } else {
                    components.add(new int[] {start, i});
                    start = i;
                    endTime = r.end();
                }
            }
            components.add(new int[] {start, competing.size()});
            for (int[] c : components) {
                List<LiveRanges.Range> component = competing.subList(c[0], c[1]);
                ComponentSearch search = new ComponentSearch(component, base, max, limit, access);
                boolean[] out = search.run();
                for (int i = 0; i < component.size(); i++) {
                    LiveRanges.Range r = component.get(i);
                    if (out[i]) {
                        add(max, r, -r.size());
                        if (!evicted.contains(r)) {
                            evicted.add(r);
                        }
                    } else {
                        add(base, r, r.size());
                        evicted.remove(r);
                        kept.add(r);
                    }
                }
            }
        }
        for (LiveRanges.Range r : kept) {
            for (TensorInfo t : r.tensors()) {
                if (candidates.contains(t)) {
                    moved.add(t);
                }
            }
        }
        return new Placement(moved, evicted);
    }

    /** Elements each competing tensor is read or written with: the score of keeping it in fast storage. */
    private static Map<TensorInfo, Long> elementAccess(SchedulerGraph graph, Schedule schedule, Scheduler s,
            List<LiveRanges.Range> competing) {
        Map<TensorInfo, Long> access = new IdentityHashMap<>();
        for (LiveRanges.Range r : competing) {
            r.tensors().forEach(t -> access.put(t, 0L));
        }
        for (SchedulerOperation op : graph.ops()) {
            OpSchedule cost = schedule.get(op);
            TensorInfo ifm = op.ifm().tensor();
            TensorInfo ifm2 = op.ifm2() == null ? null : op.ifm2().tensor();
            TensorInfo ofm = op.ofm().tensor();
            if (!access.containsKey(ifm) && (ifm2 == null || !access.containsKey(ifm2)) && !access.containsKey(ofm)) {
                continue;
            }
            ElementAccess a = s.elementAccess(op, cost.blockConfig(), op.ofm().shape().depth());
            access.computeIfPresent(ifm, (k, v) -> v + a.ifmRead());
            if (ifm2 != null) {
                access.computeIfPresent(ifm2, (k, v) -> v + a.ifm2Read());
            }
            access.computeIfPresent(ofm, (k, v) -> v + a.ofmWrite());
        }
        return access;
    }

    /** The exhaustive search over one component: keep before evict, first best score wins. */
    private static final class ComponentSearch {
        private final List<LiveRanges.Range> lrs;
        private final long[] base;
        private final long[] max;
        private final long limit;
        private final Map<TensorInfo, Long> access;
        private final boolean[] current;
        private boolean[] best;
        private long bestScore = -1;

        ComponentSearch(List<LiveRanges.Range> lrs, long[] base, long[] max, long limit,
                Map<TensorInfo, Long> access) {
            this.lrs = lrs;
            this.base = base;
            this.max = max;
            this.limit = limit;
            this.access = access;
            this.current = new boolean[lrs.size()];
            this.best = new boolean[lrs.size()];
        }

        boolean[] run() {
            search(0, 0);
            return best;
        }

        private void search(int ix, long score) {
            if (ix >= lrs.size()) {
                if (score > bestScore) {
                    bestScore = score;
                    best = current.clone();
                }
                return;
            }
            LiveRanges.Range r = lrs.get(ix);
            if (peak(base, r.start(), r.end()) + r.size() <= limit) {
                current[ix] = false;
                add(base, r, r.size());
                search(ix + 1, score + access.getOrDefault(r.tensors().get(0), 0L));
                add(base, r, -r.size());
            }
            if (peak(max, r.start(), r.end()) > limit) {
                current[ix] = true;
                add(max, r, -r.size());
                search(ix + 1, score);
                add(max, r, r.size());
            }
        }
    }

    private static void add(long[] usage, LiveRanges.Range r, long size) {
        for (int i = Math.max(r.start(), 0); i <= r.end() && i < usage.length; i++) {
            usage[i] += size;
        }
    }

    private static long peak(long[] usage, int start, int end) {
        long m = Long.MIN_VALUE;
        for (int i = Math.max(start, 0); i <= end && i < usage.length; i++) {
            m = Math.max(m, usage[i]);
        }
        return m == Long.MIN_VALUE ? 0 : m;
    }

    /**
     * The most fast storage holds at one time of what no eviction can take out: everything but the OFMs that are
     * candidates for fast storage. When this exceeds the limit, no placement keeps the schedule within it (Vela
     * stops there with "Allocation exceeds staging limit").
     */
    static long fixedPeak(SchedulerGraph graph, Schedule schedule, Target target, Set<TensorInfo> rollingBuffers) {
        Set<TensorInfo> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SchedulerOperation op : graph.ops()) {
            OpSchedule cost = schedule.get(op);
            TensorInfo ofm = op.ofm().tensor();
            if (cost.cascade() == 0 && !graph.consumersOf(op).isEmpty() && !graph.outputs().contains(ofm)
                    && op.primary().memoryFunction() != MemoryFunction.VARIABLE_TENSOR_WRITE) {
                candidates.add(ofm);
            }
        }
        Set<TensorInfo> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(rollingBuffers);
        all.addAll(candidates);
        LiveRanges lrs = LiveRanges.of(graph, schedule, target, all);
        long[] fixed = lrs.snapshot().usage().clone();
        for (LiveRanges.Range r : lrs.ranges()) {
            if (r.holds(candidates)) {
                add(fixed, r, -r.size());
            }
        }
        return peak(fixed, 0, fixed.length - 1);
    }
}
