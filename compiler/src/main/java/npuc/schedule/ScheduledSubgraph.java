package npuc.schedule;

import java.util.List;
import java.util.Set;

import npuc.frontend.FrontEndResult.TensorInfo;

/**
 * The final schedule of one NPU subgraph, operation by operation.
 *
 * @param graph         the scheduler's view of the subgraph
 * @param schedule      the chosen schedule, with its cascades
 * @param inFastStorage feature maps in fast storage: cascades' rolling buffers and those spilling placed there
 * @param peakUsage     the most fast storage the schedule holds at one time
 * @param exceedsLimit  no spilling choice keeps the schedule within its fast-storage budget (Vela stops there:
 *                      "Allocation exceeds staging limit")
 */
public record ScheduledSubgraph(String name, List<ScheduledOp> ops, SchedulerGraph graph, Schedule schedule,
                                Set<TensorInfo> inFastStorage, long peakUsage, boolean exceedsLimit) {
    public ScheduledSubgraph {
        ops = List.copyOf(ops);
    }

    /**
     * Fast storage the schedule holds at each operation before any feature map is placed there (weight buffers,
     * and the feature maps already in fast storage): what Vela's schedule listing shows as SRAM used.
     */
    public MemorySnapshot unplacedSnapshot(npuc.arch.Target target) {
        return LiveRanges.of(graph, schedule, target, LiveRanges.unplaced()).snapshot();
    }

    /** The cascades the operations run in. */
    public List<Cascade> cascades() {
        return schedule.cascades();
    }
}
