package npuc.schedule;

import java.util.Map;

import npuc.arch.Target;
import npuc.perf.CostModel;

/**
 * The order of Vela's schedule_passes for one NPU subgraph: the MAX schedule, then the buffered schedule
 * within the staging limit, then the placement of feature maps in fast storage.
 */
final class SubgraphScheduler {
    private final Target target;
    private final CostModel model;
    private final EncodedWeightSizes encoder;
    private final SchedulerGraph graph;
    private final OptimizationStrategy strategy;

    SubgraphScheduler(Target target, CostModel model, EncodedWeightSizes encoder, SchedulerGraph graph,
            OptimizationStrategy strategy) {
        this.target = target;
        this.model = model;
        this.encoder = encoder;
        this.graph = graph;
        this.strategy = strategy;
    }

    record Result(Scheduler scheduler, Schedule schedule, long[] usagePerOp) {
        long usageAt(SchedulerOperation op) {
            return op.index() < usagePerOp.length ? usagePerOp[op.index()] : 0;
        }
    }

    Result run() {
        Scheduler s = new Scheduler(target, model, encoder, graph, Map.of());
        Schedule max = s.maxSchedule();
        long limit = target.isSpillingEnabled() ? target.arenaCacheSize() : Scheduler.UNLIMITED;
        long[] usage = new long[graph.ops().size()];
        Schedule buffered = s.buffered(max, limit, usage);
        Map<npuc.frontend.FrontEndResult.TensorInfo, npuc.arch.MemoryArea> placement =
                FastStoragePlacement.place(graph, buffered, target, limit);
        Scheduler placed = placement.isEmpty() ? s : new Scheduler(target, model, encoder, graph, placement);
        return new Result(placed, buffered, usage);
    }
}
