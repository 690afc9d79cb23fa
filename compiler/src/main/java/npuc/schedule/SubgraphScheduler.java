package npuc.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.Shape4;
import npuc.perf.CostModel;

/**
 * The order of Vela's schedule_passes for one NPU subgraph: the MAX schedule and its buffered form; the MIN
 * schedule grouped into cascades within the memory target; each cascade's stripes widened while it still fits;
 * weight buffering of the result; then the placement of rolling buffers and of feature maps in fast storage.
 */
final class SubgraphScheduler {
    /** The staging limit of the unconstrained buffered schedule: effectively no limit. */
    private static final long UNLIMITED = 1L << 32;

    private final Target target;
    private final CostModel model;
    private final EncodedWeightSizes encoder;
    private final SchedulerGraph graph;
    private final OptimizationStrategy strategy;
    private final boolean spilling;

    SubgraphScheduler(Target target, CostModel model, EncodedWeightSizes encoder, SchedulerGraph graph,
            OptimizationStrategy strategy) {
        this.target = target;
        this.model = model;
        this.encoder = encoder;
        this.graph = graph;
        this.strategy = strategy;
        this.spilling = target.isSpillingEnabled();
    }

    record Result(Scheduler scheduler, Schedule schedule, MemorySnapshot snapshot) {
        long usageAt(SchedulerOperation op) {
            return snapshot.usageAt(op);
        }
    }

    private MemorySnapshot snapshot(Schedule s) {
        return LiveRanges.of(graph, s, target, LiveRanges.none()).snapshot();
    }

    Result run() {
        Scheduler s = new Scheduler(target, model, encoder, graph, Map.of());
        Schedule max = s.maxSchedule();
        Schedule optMax = s.buffered(max, UNLIMITED, snapshot(max));
        MemorySnapshot optMaxSnapshot = snapshot(optMax);
        long sramLimit = target.arenaCacheSize();
        Schedule chosen;
        if (strategy == OptimizationStrategy.Performance && !spilling && optMaxSnapshot.peak() < sramLimit) {
            // The fastest schedule fits: no need to look at cascades.
            chosen = optMax;
        } else {
            Schedule min = s.minSchedule();
            long initialLimit = strategy == OptimizationStrategy.Size ? minMemoryRequired() : sramLimit;
            MemorySnapshot minSnapshot = snapshot(min);
            Map<Integer, Long> nonLocal = new HashMap<>();
            CascadeBuilder probe = new CascadeBuilder(graph, graph.ops(), spilling, Map.of());
            for (SchedulerOperation op : graph.ops()) {
                long opMem = 0;
                if (!spilling) {
                    opMem = op.ifm().tensor().values() == null ? op.ifm().sizeInBytes() : 0;
                    opMem += probe.ofmCanReuseIfm(op) ? 0 : op.ofm().sizeInBytes();
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
                chosen = optimize(s, minCascaded, minCascadedSnapshot, max, sramLimit);
            }
        }
        Map<TensorInfo, MemoryArea> placement = new IdentityHashMap<>();
        for (Cascade c : chosen.cascades()) {
            for (int consumer : c.buffers().keySet()) {
                placement.put(graph.ops().get(consumer).ifm().tensor(), target.fastStorageArea());
            }
        }
        Scheduler withRollingBuffers = new Scheduler(target, model, encoder, graph, placement);
        FastStoragePlacement.Placement fast = FastStoragePlacement.place(graph, chosen, withRollingBuffers, target,
                sramLimit, placement.keySet());
        fast.moved().forEach(t -> placement.put(t, target.fastStorageArea()));
        Scheduler placed = new Scheduler(target, model, encoder, graph, placement);
        MemorySnapshot finalSnapshot = LiveRanges.of(graph, chosen, target, placement.keySet()).snapshot();
        return new Result(placed, chosen, finalSnapshot);
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

    /** Widens each cascade's stripes as far as memory allows, then buffers weights within the limit. */
    private Schedule optimize(Scheduler s, Schedule minCascaded, MemorySnapshot snapshot, Schedule maxTemplate,
            long sramLimit) {
        Schedule schedule = minCascaded;
        for (Cascade cascade : minCascaded.cascades()) {
            Schedule sub = optimizeSubSchedule(s, cascade, schedule, snapshot, maxTemplate, sramLimit);
            if (sub != null) {
                schedule = schedule.merged(schedule.label(), sub, cascade);
            }
        }
        return s.buffered(schedule, sramLimit, snapshot(schedule));
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
