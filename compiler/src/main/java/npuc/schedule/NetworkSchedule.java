package npuc.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import npuc.arch.Target;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.perf.CostModel;
import npuc.perf.NetworkPerformance;
import npuc.perf.OpPerformance;
import npuc.weights.EncodedWeights;

/**
 * The schedules of every NPU subgraph of a network and their performance totals.
 *
 * @param encodedWeightBytes bytes of the encoded weight buffers the final schedules use, each distinct buffer once
 */
public record NetworkSchedule(List<ScheduledSubgraph> subgraphs, NetworkPerformance performance,
                              long encodedWeightBytes) {
    public NetworkSchedule {
        subgraphs = List.copyOf(subgraphs);
    }

    /** Some subgraph's schedule cannot be kept within its fast-storage budget by any spilling choice. */
    public boolean exceedsLimit() {
        return subgraphs.stream().anyMatch(ScheduledSubgraph::exceedsLimit);
    }

    /** Vela's schedule of every NPU subgraph of {@code frontEnd} for {@code target} and its arena cache size. */
    public static NetworkSchedule of(FrontEndResult frontEnd, Target target, OptimizationStrategy strategy,
            EncodedWeightSizes encoder) {
        return of(frontEnd, target, SchedulePolicy.vela(strategy, target.arenaCacheSize()), encoder);
    }

    /**
     * Schedules every NPU subgraph of {@code frontEnd} for {@code target} as {@code policy} says; the target's
     * arena cache size plays no part.
     */
    public static NetworkSchedule of(FrontEndResult frontEnd, Target target, SchedulePolicy policy,
            EncodedWeightSizes encoder) {
        return of(frontEnd, target, policy, encoder, new CostModel(target));
    }

    /** {@link #of(FrontEndResult, Target, SchedulePolicy, EncodedWeightSizes)} with the cost model {@code model}. */
    public static NetworkSchedule of(FrontEndResult frontEnd, Target target, SchedulePolicy policy,
            EncodedWeightSizes encoder, CostModel model) {
        List<ScheduledSubgraph> subgraphs = new ArrayList<>();
        List<OpPerformance> all = new ArrayList<>();
        Set<EncodedWeights> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        long encoded = 0;
        for (SubgraphPlan sg : frontEnd.npuSubgraphs()) {
            SchedulerGraph graph = SchedulerGraph.build(frontEnd, sg, target);
            SubgraphScheduler.Result r = new SubgraphScheduler(target, model, encoder, graph, policy,
                    NetworkPerformance.sum(all)).run();
            List<OpPerformance> perf = SchedulePerformance.estimate(r.scheduler(), r.schedule(), target, model);
            List<ScheduledOp> ops = new ArrayList<>();
            for (SchedulerOperation op : graph.ops()) {
                OpSchedule s = r.schedule().get(op);
                ops.add(new ScheduledOp(op, s, perf.get(op.index()), r.usageAt(op)));
                if (s.weights() != null && counted.add(s.weights())) {
                    encoded += s.weights().size();
                }
            }
            all.addAll(perf);
            subgraphs.add(new ScheduledSubgraph(sg.name(), ops, graph, r.schedule(), r.inFastStorage(), r.snapshot().peak(),
                    r.exceedsLimit()));
        }
        return new NetworkSchedule(subgraphs, NetworkPerformance.sum(all), encoded);
    }
}
