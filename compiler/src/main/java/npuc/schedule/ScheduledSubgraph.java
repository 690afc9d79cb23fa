package npuc.schedule;

import java.util.List;

/** The final schedule of one NPU subgraph, operation by operation. */
public record ScheduledSubgraph(String name, List<ScheduledOp> ops, long peakUsage) {
    public ScheduledSubgraph {
        ops = List.copyOf(ops);
    }
}
