package npuc.schedule;

import java.util.List;

/**
 * A schedule of one NPU subgraph: one {@link OpSchedule} per operation, in order, and the fast-storage usage
 * per time slot it leads to.
 *
 * @param label what produced it ("MAX", "MIN", "MAX_BUFFERED", ...)
 */
public record Schedule(String label, List<OpSchedule> ops, long[] memorySnapshot) {
    public Schedule {
        ops = List.copyOf(ops);
        memorySnapshot = memorySnapshot.clone();
    }

    public OpSchedule get(SchedulerOperation op) {
        return ops.get(op.index());
    }

    @Override
    public long[] memorySnapshot() {
        return memorySnapshot.clone();
    }

    public long peakUsage() {
        long m = 0;
        for (long v : memorySnapshot) {
            m = Math.max(m, v);
        }
        return m;
    }
}
