package npuc.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.math.BigDecimal;
import java.math.RoundingMode;

import npuc.Cancellation;
import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.Shape4;
import npuc.perf.CostModel;
import npuc.perf.CycleKind;
import npuc.perf.NetworkPerformance;

/**
 * The order of Vela's schedule_passes for one NPU subgraph: the MAX schedule and its buffered form; the MIN
 * schedule grouped into cascades within the memory target; each cascade's stripes widened while it still fits;
 * weight buffering of the result; the placement of rolling buffers and of feature maps in fast storage; and,
 * when feature maps were left out, one more try at weight buffering that leaves room for them.
 */
final class SubgraphScheduler {
    /** The staging limit of the unconstrained buffered schedule: effectively no limit. */
    private static final long UNLIMITED = 1L << 32;

    private final Target target;
    private final CostModel model;
    private final EncodedWeightSizes encoder;
    private final SchedulerGraph graph;
    private final SchedulePolicy policy;
    private final OptimizationStrategy strategy;
    private final boolean spilling;
    /** Totals of the subgraphs scheduled before this one, which the reference's comparisons include. */
    private final NetworkPerformance earlierSubgraphs;

    /**
     * @param policy the strategy's steps and the staging limit they aim at, and how cascades, weight buffers and
     *               feature maps in fast storage are chosen; the target's arena cache size is not read
     */
    SubgraphScheduler(Target target, CostModel model, EncodedWeightSizes encoder, SchedulerGraph graph,
            SchedulePolicy policy, NetworkPerformance earlierSubgraphs) {
        this.earlierSubgraphs = earlierSubgraphs;
        this.target = target;
        this.model = model;
        this.encoder = encoder;
        this.graph = graph;
        this.policy = policy;
        this.strategy = policy.strategy();
        this.spilling = target.isSpillingEnabled();
    }

    private Scheduler scheduler(Map<TensorInfo, MemoryArea> placement, Map<Integer, Long> evictedFmsSize) {
        return new Scheduler(target, model, encoder, graph, placement, evictedFmsSize, policy.weightBuffers());
    }

    /**
     * @param inFastStorage feature maps in fast storage: cascades' rolling buffers and what spilling placed there
     * @param exceedsLimit no spilling choice keeps the chosen schedule within its fast-storage budget
     */
    record Result(Scheduler scheduler, Schedule schedule, MemorySnapshot snapshot, Set<TensorInfo> inFastStorage,
                  boolean exceedsLimit) {
        long usageAt(SchedulerOperation op) {
            return snapshot.usageAt(op);
        }
    }

    private MemorySnapshot snapshot(Schedule s) {
        return LiveRanges.of(graph, s, target, LiveRanges.unplaced()).snapshot();
    }

    /** A schedule with its rolling buffers and feature maps placed, and what did not fit fast storage. */
    private record Placed(Schedule schedule, Scheduler scheduler, Map<TensorInfo, MemoryArea> placement,
                          List<LiveRanges.Range> evicted, boolean exceedsLimit) {
    }

    Result run() {
        Scheduler s = scheduler(Map.of(), Map.of());
        Schedule max = s.maxSchedule();
        Schedule optMax = s.buffered(max, UNLIMITED, snapshot(max));
        MemorySnapshot optMaxSnapshot = snapshot(optMax);
        long sramLimit = policy.stagingLimit();
        Schedule chosen;
        Schedule unbuffered = null;
        if (strategy == OptimizationStrategy.Performance && !spilling && optMaxSnapshot.peak() < sramLimit) {
            // The fastest schedule fits: no need to look at cascades.
            chosen = optMax;
        } else {
            Schedule min = s.minSchedule();
            long initialLimit = switch (policy.cascades()) {
                case VELA -> strategy == OptimizationStrategy.Size ? minMemoryRequired() : sramLimit;
                case LEAST_REQUIRED -> minMemoryRequired();
                case NOTHING -> 0;
            };
            MemorySnapshot minSnapshot = snapshot(min);
            Map<Integer, Long> nonLocal = new HashMap<>();
            for (SchedulerOperation op : graph.ops()) {
                long opMem = 0;
                if (!spilling) {
                    opMem = op.ifm().tensor().values() == null ? op.ifm().sizeInBytes() : 0;
                    opMem += CascadeBuilder.ofmCanReuseIfm(graph, op) ? 0 : op.ofm().sizeInBytes();
                }
                nonLocal.put(op.index(), Math.max(0, minSnapshot.usageAt(op) - opMem));
            }
            Schedule minCascaded = new CascadeBuilder(graph, graph.ops(), spilling, nonLocal).build(min, max,
                    initialLimit);
            MemorySnapshot minCascadedSnapshot = snapshot(minCascaded);
            if (strategy == OptimizationStrategy.Size) {
                sramLimit = minCascadedSnapshot.peak();
            }
            if (!spilling && optMaxSnapshot.peak() < sramLimit) {
                chosen = optMax;
            } else {
                unbuffered = optimize(s, minCascaded, minCascadedSnapshot, max, sramLimit);
                chosen = s.buffered(unbuffered, sramLimit, snapshot(unbuffered));
            }
        }
        Placed placed = place(chosen, sramLimit, Map.of());
        boolean exceedsLimit = placed.exceedsLimit();
        if (strategy == OptimizationStrategy.Performance && !placed.evicted().isEmpty() && unbuffered != null) {
            placed = reduceWeightBuffering(placed, unbuffered, sramLimit);
        }
        MemorySnapshot finalSnapshot = LiveRanges.of(graph, placed.schedule(), target, placed.placement().keySet())
                .snapshot();
        return new Result(placed.scheduler(), placed.schedule(), finalSnapshot, placed.placement().keySet(),
                exceedsLimit);
    }

    /** Rolling buffers of the schedule's cascades: the IFMs of every cascaded operation after the first. */
    private Map<TensorInfo, MemoryArea> rollingBuffers(Schedule schedule) {
        Map<TensorInfo, MemoryArea> placement = new IdentityHashMap<>();
        for (Cascade c : schedule.cascades()) {
            for (int consumer : c.buffers().keySet()) {
                placement.put(graph.ops().get(consumer).ifm().tensor(), target.fastStorageArea());
            }
        }
        return placement;
    }

    private Placed place(Schedule schedule, long sramLimit, Map<Integer, Long> evictedFmsSize) {
        Map<TensorInfo, MemoryArea> placement = rollingBuffers(schedule);
        Scheduler withRollingBuffers = scheduler(placement, evictedFmsSize);
        FastStoragePlacement.Placement fast = FastStoragePlacement.place(graph, schedule, withRollingBuffers, target,
                sramLimit, placement.keySet(), policy.featureMapScore(), model);
        fast.moved().forEach(t -> placement.put(t, target.fastStorageArea()));
        return new Placed(schedule, scheduler(placement, evictedFmsSize), placement, fast.evicted(),
                fast.exceedsLimit());
    }

    /**
     * Feature maps left out of fast storage while weight buffers took it: try the unbuffered schedule again with
     * each operation's buffer limit reduced by the evicted maps its buffers overlap, and keep that if it saves
     * DRAM cycles without costing total cycles (each rounded to hundredths of the default, as the reference).
     */
    private Placed reduceWeightBuffering(Placed placed, Schedule unbuffered, long sramLimit) {
        Map<TensorInfo, MemoryArea> rolling = rollingBuffers(placed.schedule());
        LiveRanges ranges = LiveRanges.of(graph, placed.schedule(), target, rolling.keySet());
        Map<Integer, Long> evictedFmsSize = new HashMap<>();
        for (LiveRanges.Range evicted : placed.evicted()) {
            for (LiveRanges.Range r : ranges.ranges()) {
                if (r.weightsOf() >= 0 && evicted.overlaps(r)) {
                    evictedFmsSize.merge(r.weightsOf(), evicted.size(), Long::sum);
                }
            }
        }
        Scheduler reduced = scheduler(rolling, evictedFmsSize);
        MemorySnapshot snapshot = LiveRanges.of(graph, unbuffered, target, rolling.keySet()).snapshot();
        Schedule candidate = reduced.buffered(unbuffered, sramLimit, snapshot);
        Placed alternative = place(candidate, sramLimit, evictedFmsSize);
        NetworkPerformance before = performance(placed);
        NetworkPerformance after = performance(alternative);
        double improvementTotal = improvement(before.cycles(CycleKind.TOTAL), after.cycles(CycleKind.TOTAL),
                CycleKind.TOTAL);
        double improvementDram = improvement(before.cycles(CycleKind.DRAM_ACCESS),
                after.cycles(CycleKind.DRAM_ACCESS), CycleKind.DRAM_ACCESS);
        return improvementTotal >= 0 && improvementDram > 0 ? alternative : placed;
    }

    private NetworkPerformance performance(Placed p) {
        return NetworkPerformance.sum(SchedulePerformance.estimate(p.scheduler(), p.schedule(), target, model));
    }

    /**
     * Relative saving rounded to two decimals as Python's round does on the double (the exact binary value,
     * ties to even), with the cycles of earlier subgraphs counted in as the reference's network totals do.
     */
    private double improvement(double before, double after, CycleKind kind) {
        double earlier = earlierSubgraphs == null ? 0 : earlierSubgraphs.cycles(kind);
        double b = before + earlier;
        if (b == 0) {
            return 0;
        }
        double a = after + earlier;
        return new BigDecimal((b - a) / b).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Vela's min_memory_req: the most any one operation needs of feature maps that must be held whole. */
    private long minMemoryRequired() {
        long m = 0;
        for (SchedulerOperation op : graph.ops()) {
            long need = (op.requiresFullIfm() ? op.ifm().sizeInBytes() : 0)
                    + (op.ifm2() != null && op.requiresFullIfm2() ? op.ifm2().sizeInBytes() : 0)
                    + (op.requiresFullOfm() ? op.ofm().sizeInBytes() : 0);
            m = Math.max(m, need);
        }
        return m;
    }

    /** Widens each cascade's stripes as far as memory allows; the result is not yet weight buffered. */
    private Schedule optimize(Scheduler s, Schedule minCascaded, MemorySnapshot snapshot, Schedule maxTemplate,
            long sramLimit) {
        Schedule schedule = minCascaded;
        for (Cascade cascade : minCascaded.cascades()) {
            Schedule sub = optimizeSubSchedule(s, cascade, schedule, snapshot, maxTemplate, sramLimit);
            if (sub != null) {
                schedule = schedule.merged(schedule.label(), sub, cascade);
            }
        }
        return schedule;
    }

    private Schedule optimizeSubSchedule(Scheduler s, Cascade cascade, Schedule ref, MemorySnapshot snapshot,
            Schedule maxTemplate, long limit) {
        List<SchedulerOperation> ops = graph.ops().subList(cascade.start(), cascade.end() + 1);
        Map<Integer, OpSchedule> costs = new HashMap<>();
        for (SchedulerOperation op : ops) {
            costs.put(op.index(), ref.get(op));
        }
        Schedule sub = new Schedule("SUB_" + cascade.start() + "_" + cascade.end(), costs, List.of(cascade));
        SchedulerOperation first = ops.get(0);
        long parallel = snapshot.usageAt(first) - cascade.memUsage();
        long persistentIfm = !spilling && readerCount(first) > 1 ? first.ifm().sizeInBytes() : 0;
        Map<Integer, Long> nonLocal = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            nonLocal.put(ops.get(i).index(), parallel + (i == 0 ? 0 : persistentIfm));
        }
        CascadeBuilder builder = new CascadeBuilder(graph, ops, spilling, nonLocal);
        Schedule buffered = s.buffered(sub, limit, snapshot);
        buffered = new Schedule(buffered.label(), buffered.costs(), sub.cascades());
        SchedulerOperation last = ops.get(ops.size() - 1);
        Shape4 finalOfm = last.ofm().shape();
        int minHeight = sub.get(last).stripe().height() + 1;
        Schedule best = null;
        int maxCascades = 0;
        List<Shape4> stripes = new ArrayList<>();
        for (int h = minHeight; h <= finalOfm.height() / 2; h++) {
            stripes.add(finalOfm.withHeight(h));
        }
        for (int i = 0; i < stripes.size(); i++) {
            Cancellation.checkpoint();
            Schedule proposal = s.striped(stripes.get(i), "OPTIMIZED_" + i, buffered);
            proposal = builder.build(proposal, maxTemplate, limit);
            int n = proposal.cascades().size();
            if (i == 0) {
                maxCascades = n;
            }
            long mem = s.estimateMemory(proposal, nonLocal);
            if (mem <= limit && n <= maxCascades) {
                best = proposal;
                if (proposal.cascades().isEmpty()) {
                    break;
                }
            } else {
                break;
            }
        }
        return best;
    }

    private int readerCount(SchedulerOperation op) {
        int n = graph.outputs().contains(op.ifm().tensor()) ? 1 : 0;
        for (SchedulerOperation o : graph.ops()) {
            if (o.ifm().tensor() == op.ifm().tensor()
                    || (o.ifm2() != null && o.ifm2().tensor() == op.ifm().tensor())) {
                n++;
            }
        }
        return n;
    }
}
