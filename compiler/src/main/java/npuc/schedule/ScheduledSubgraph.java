package npuc.schedule;

import java.util.List;

/**
 * The final schedule of one NPU subgraph, operation by operation, with the cascades its operations run in.
 */
public record ScheduledSubgraph(String name, List<ScheduledOp> ops, long peakUsage, List<Cascade> cascades) {
    public ScheduledSubgraph {
        ops = List.copyOf(ops);
        cascades = List.copyOf(cascades);
    }

    public ScheduledSubgraph(String name, List<ScheduledOp> ops, long peakUsage) {
        this(name, ops, peakUsage, List.of());
    }
}
