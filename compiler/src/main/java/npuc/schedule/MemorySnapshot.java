package npuc.schedule;

/**
 * Fast-storage usage of a schedule per time slot, and the time slot of each operation (by index; -1 for
 * operations the schedule does not hold). Consecutive operations run two slots apart; a cascade shares one.
 */
public record MemorySnapshot(long[] usage, int[] timeIndex) {
    public MemorySnapshot {
        usage = usage.clone();
        timeIndex = timeIndex.clone();
    }

    /** Usage at the operation's time slot; 0 past the end, as for an operation the ranges never reached. */
    public long usageAt(SchedulerOperation op) {
        int t = timeIndex[op.index()];
        return t >= 0 && t < usage.length ? usage[t] : 0;
    }

    public int timeOf(SchedulerOperation op) {
        return timeIndex[op.index()];
    }

    public long peak() {
        long m = 0;
        for (long v : usage) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    public long[] usage() {
        return usage.clone();
    }

    @Override
    public int[] timeIndex() {
        return timeIndex.clone();
    }

    /** The same snapshot with {@code bytes} more in use at {@code time}. */
    MemorySnapshot plus(int time, long bytes) {
        long[] u = usage.clone();
        if (time >= 0 && time < u.length) {
            u[time] += bytes;
        }
        return new MemorySnapshot(u, timeIndex);
    }
}
