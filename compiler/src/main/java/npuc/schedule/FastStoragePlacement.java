package npuc.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.Cancellation;
import npuc.arch.Target;
import npuc.perf.CostModel;
import npuc.perf.CycleKind;
import npuc.perf.NetworkPerformance;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;
import npuc.perf.ElementAccess;

/**
 * Which feature maps between operations move from the arena into fast storage when the arena is elsewhere
 * (Dedicated_Sram). Every OFM of an operation outside a cascade that a later operation reads is a candidate.
 * Ranges that can never fit beside what fast storage must hold anyway are evicted, ranges that always fit are
 * kept, and among the rest, grouped into components of overlapping ranges (at most 20 each), an exhaustive
 * search keeps the set with the most element accesses that fits. The decision itself ({@link #decide}) works on
 * plain values (time span, size and score per candidate, the usage of everything else, the limit);
 * {@link #place} gathers those from the schedule and turns the decision into the set of moved tensors and the
 * ranges that were evicted.
 */
final class FastStoragePlacement {
    /** Most ranges searched exhaustively at once, and the lifetime beyond which a range is left out. */
    private static final int MAX_EXHAUSTIVE_ITEMS = 20;
    private static final int MAX_EXHAUSTIVE_LIFE_RANGE = 20;

    private FastStoragePlacement() {
    }

    /**
     * @param moved         feature maps in fast storage
     * @param evicted       ranges of candidates that did not fit (what weight buffering may make room for)
     * @param exceedsLimit  candidates competed for fast storage and even after the search it holds more than the
     *                      limit at some time slot, because what it must hold anyway (rolling buffers, cascade
     *                      inputs and outputs) is larger; the reference stops there with an assertion ("Allocation
     *                      exceeds staging limit"), npuc reports it. Without competition the reference does not
     *                      check, and neither does this.
     */
    record Placement(Set<TensorInfo> moved, List<LiveRanges.Range> evicted, boolean exceedsLimit) {
    }

    /**
     * A feature map that could live in fast storage.
     *
     * @param start first time slot it is live
     * @param end   last time slot it is live (inclusive)
     * @param size  bytes
     * @param score what keeping it in fast storage is worth: the elements operations read and write in it
     */
    record Candidate(int start, int end, long size, long score) {
    }

    /**
     * Which candidates stay in fast storage, by index into the candidate list.
     *
     * @param kept       candidates in fast storage
     * @param evicted    candidates moved out that count as evicted for weight buffering, in the order decided
     * @param leftOut    candidates moved out because their lifetime dwarfs the others' (they do not count as
     *                   evicted)
     * @param peakUsage  the most bytes fast storage holds at one time slot with this decision
     * @param limit      the limit the decision was made for
     * @param searched   some candidates competed for the room and were searched
     */
    record Decision(List<Integer> kept, List<Integer> evicted, List<Integer> leftOut, long peakUsage, long limit,
                    boolean searched) {
        Decision {
            kept = List.copyOf(kept);
            evicted = List.copyOf(evicted);
            leftOut = List.copyOf(leftOut);
        }

        boolean exceedsLimit() {
            return peakUsage > limit;
        }
    }

    /** The placement Vela makes: candidates scored by element accesses. */
    static Placement place(SchedulerGraph graph, Schedule schedule, Scheduler scheduler, Target target, long limit,
            Set<TensorInfo> rollingBuffers) {
        return place(graph, schedule, scheduler, target, limit, rollingBuffers,
                SchedulePolicy.FeatureMapScore.ELEMENT_ACCESS, null);
    }

    /**
     * @param score what a candidate is worth: Vela's element accesses, or the cycles moving it alone saves
     * @param model  the cost model the cycles are estimated with (unused for element accesses)
     */
    static Placement place(SchedulerGraph graph, Schedule schedule, Scheduler scheduler, Target target, long limit,
            Set<TensorInfo> rollingBuffers, SchedulePolicy.FeatureMapScore score, CostModel model) {
        // Without spilling, fast storage is the arena itself: moving only changes the memory type, but the
        // decision still says whether the schedule can keep within the limit, and what was evicted.
        Set<TensorInfo> moved = Collections.newSetFromMap(new IdentityHashMap<>());
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
        long[] fixed = lrs.snapshot().usage();
        List<LiveRanges.Range> ranges = new ArrayList<>();
        for (LiveRanges.Range r : lrs.ranges()) {
            if (r.holds(candidates)) {
                ranges.add(r);
                add(fixed, r.start(), r.end(), -r.size());
            }
        }
        // Scores are only needed when not everything fits; computing them walks every operation.
        long[] withAll = fixed.clone();
        ranges.forEach(r -> add(withAll, r.start(), r.end(), r.size()));
        Map<TensorInfo, Long> access;
        if (peak(withAll, 0, withAll.length - 1) <= limit) {
            access = Map.of();
        } else if (score == SchedulePolicy.FeatureMapScore.CYCLES) {
            access = cycleSavings(schedule, scheduler, target, model, ranges);
        } else {
            access = elementAccess(graph, schedule, scheduler, ranges);
        }
        List<Candidate> scored = new ArrayList<>();
        for (LiveRanges.Range r : ranges) {
            scored.add(new Candidate(r.start(), r.end(), r.size(), access.getOrDefault(r.tensors().get(0), 0L)));
        }
        Decision d = decide(scored, fixed, limit);
        for (int i : d.kept()) {
            for (TensorInfo t : ranges.get(i).tensors()) {
                if (candidates.contains(t)) {
                    moved.add(t);
                }
            }
        }
        List<LiveRanges.Range> evicted = d.evicted().stream().map(ranges::get).toList();
        return new Placement(moved, evicted, d.searched() && d.exceedsLimit());
    }

    /**
     * The placement decision over plain values. Candidates that can never fit beside the fixed usage are evicted,
     * candidates that fit even with every other candidate present are kept, and among the rest, sorted by time and
     * grouped into components of overlapping ranges (at most 20 each), an exhaustive search keeps the set with the
     * highest total score that fits. When more than 20 compete, a range far longer than the one 20 places later is
     * left out first, which bounds the search.
     *
     * @param candidates the feature maps that may move
     * @param fixed      bytes fast storage holds at each time slot without any candidate
     * @param limit      bytes fast storage may hold
     */
    static Decision decide(List<Candidate> candidates, long[] fixed, long limit) {
        long[] base = fixed.clone();
        long[] max = fixed.clone();
        for (Candidate c : candidates) {
            add(max, c.start(), c.end(), c.size());
        }
        List<Integer> kept = new ArrayList<>();
        List<Integer> evicted = new ArrayList<>();
        List<Integer> leftOut = new ArrayList<>();
        if (peak(max, 0, max.length - 1) <= limit) {
            for (int i = 0; i < candidates.size(); i++) {
                kept.add(i);
            }
            return new Decision(kept, evicted, leftOut, peak(max, 0, max.length - 1), limit, false);
        }
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (peak(base, c.start(), c.end()) + c.size() > limit) {
                evicted.add(i);
                add(max, c.start(), c.end(), -c.size());
            } else {
                current.add(i);
            }
        }
        List<Integer> competing = new ArrayList<>();
        for (int i : current) {
            Candidate c = candidates.get(i);
            if (peak(max, c.start(), c.end()) <= limit) {
                add(base, c.start(), c.end(), c.size());
                kept.add(i);
            } else {
                competing.add(i);
            }
        }
        if (!competing.isEmpty()) {
            competing.sort(Comparator.<Integer>comparingInt(i -> candidates.get(i).start())
                    .thenComparingInt(i -> candidates.get(i).end() + 1)
                    .thenComparingLong(i -> candidates.get(i).size()));
            if (competing.size() > MAX_EXHAUSTIVE_ITEMS) {
                List<Integer> copy = new ArrayList<>(competing);
                for (int i = 0; i < copy.size(); i++) {
                    Candidate c = candidates.get(copy.get(i));
                    if (c.end() - c.start() >= MAX_EXHAUSTIVE_LIFE_RANGE) {
                        // The reference bounds the comparison by the shrinking list but reads the copy.
                        int cmp = Math.min(i + MAX_EXHAUSTIVE_ITEMS, competing.size() - 1);
                        if (c.end() > candidates.get(copy.get(cmp)).end() + MAX_EXHAUSTIVE_LIFE_RANGE) {
                            add(max, c.start(), c.end(), -c.size());
                            competing.remove(copy.get(i));
                            leftOut.add(copy.get(i));
                        }
                    }
                }
            }
            List<int[]> components = new ArrayList<>();
            int start = 0;
            int endTime = candidates.get(competing.get(0)).end();
            for (int i = 0; i < competing.size(); i++) {
                Candidate c = candidates.get(competing.get(i));
                if (c.start() <= endTime && i - start < MAX_EXHAUSTIVE_ITEMS) {
                    endTime = Math.max(endTime, c.end());
                } else {
                    components.add(new int[] {start, i});
                    start = i;
                    endTime = c.end();
                }
            }
            components.add(new int[] {start, competing.size()});
            for (int[] range : components) {
                List<Candidate> component = new ArrayList<>();
                for (int i = range[0]; i < range[1]; i++) {
                    component.add(candidates.get(competing.get(i)));
                }
                boolean[] out = new ComponentSearch(component, base, max, limit).run();
                for (int k = 0; k < component.size(); k++) {
                    Candidate c = component.get(k);
                    int index = competing.get(range[0] + k);
                    if (out[k]) {
                        add(max, c.start(), c.end(), -c.size());
                        evicted.add(index);
                    } else {
                        add(base, c.start(), c.end(), c.size());
                        kept.add(index);
                    }
                }
            }
        }
        return new Decision(kept, evicted, leftOut, peak(max, 0, max.length - 1), limit, !competing.isEmpty());
    }

    /** Elements each candidate tensor is read or written with: the score of keeping it in fast storage. */
    private static Map<TensorInfo, Long> elementAccess(SchedulerGraph graph, Schedule schedule, Scheduler s,
            List<LiveRanges.Range> ranges) {
        Map<TensorInfo, Long> access = new IdentityHashMap<>();
        for (LiveRanges.Range r : ranges) {
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

    /**
     * Cycles the network saves when each candidate alone moves into fast storage, every other candidate staying in
     * the arena: the cost model's whole estimate of the schedule, with and without the move.
     */
    private static Map<TensorInfo, Long> cycleSavings(Schedule schedule, Scheduler s, Target target, CostModel model,
            List<LiveRanges.Range> ranges) {
        double before = totalCycles(s, schedule, target, model);
        Map<TensorInfo, Long> savings = new IdentityHashMap<>();
        for (LiveRanges.Range r : ranges) {
            double after = totalCycles(s.withInFastStorage(r.tensors()), schedule, target, model);
            savings.put(r.tensors().get(0), Math.round(before - after));
        }
        return savings;
    }

    private static double totalCycles(Scheduler s, Schedule schedule, Target target, CostModel model) {
        return NetworkPerformance.sum(SchedulePerformance.estimate(s, schedule, target, model)).cycles(CycleKind.TOTAL);
    }

    /** The exhaustive search over one component: keep before evict, first best score wins. */
    private static final class ComponentSearch {
        private final List<Candidate> lrs;
        private final long[] base;
        private final long[] max;
        private final long limit;
        private final boolean[] current;
        private boolean[] best;
        private long bestScore = -1;
        /** Nodes of the search tree visited; the search asks whether the compile was cancelled every 4096. */
        private long visited;
        private static final long CHECK_EVERY = 4095;

        ComponentSearch(List<Candidate> lrs, long[] base, long[] max, long limit) {
            this.lrs = lrs;
            this.base = base;
            this.max = max;
            this.limit = limit;
            this.current = new boolean[lrs.size()];
            this.best = new boolean[lrs.size()];
        }

        boolean[] run() {
            search(0, 0);
            return best;
        }

        private void search(int ix, long score) {
            if ((++visited & CHECK_EVERY) == 0) {
                Cancellation.checkpoint();
            }
            if (ix >= lrs.size()) {
                if (score > bestScore) {
                    bestScore = score;
                    best = current.clone();
                }
                return;
            }
            Candidate c = lrs.get(ix);
            if (peak(base, c.start(), c.end()) + c.size() <= limit) {
                current[ix] = false;
                add(base, c.start(), c.end(), c.size());
                search(ix + 1, score + c.score());
                add(base, c.start(), c.end(), -c.size());
            }
            if (peak(max, c.start(), c.end()) > limit) {
                current[ix] = true;
                add(max, c.start(), c.end(), -c.size());
                search(ix + 1, score);
                add(max, c.start(), c.end(), c.size());
            }
        }
    }

    private static void add(long[] usage, int start, int end, long size) {
        for (int i = Math.max(start, 0); i <= end && i < usage.length; i++) {
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
}
