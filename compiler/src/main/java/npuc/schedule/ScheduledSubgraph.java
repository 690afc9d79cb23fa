package npuc.schedule;

import java.util.List;
import java.util.Set;

import npuc.frontend.FrontEndResult.TensorInfo;

/**
 * The final schedule of one NPU subgraph, operation by operation.
 *
 * @param graph         the scheduler's view of the subgraph
 * @param schedule      the chosen schedule, with its cascades
 * @param inFastStorage feature maps moved into fast storage when the arena is elsewhere
 * @param peakUsage     the most fast storage the schedule holds at one time
 * @param fixedPeak     the most fast storage it holds at one time apart from what spilling can move out
 * @param limit         the fast-storage budget it was scheduled for (the arena cache size, or for the Size
 *                      strategy the smallest cascaded schedule's peak)
 */
public record ScheduledSubgraph(String name, List<ScheduledOp> ops, SchedulerGraph graph, Schedule schedule,
                                Set<TensorInfo> inFastStorage, long peakUsage, long fixedPeak, long limit) {
    public ScheduledSubgraph {
        ops = List.copyOf(ops);
    }

    /** No spilling choice keeps this schedule within its budget: Vela stops here ("exceeds staging limit"). */
    public boolean exceedsLimit() {
        return fixedPeak > limit;
    }
}
