package npuc.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schedule of some or all operations of one NPU subgraph: how each runs ({@link OpSchedule}, by operation
 * index) and the cascades they are grouped in, in the order they were formed.
 *
 * @param label what produced it ("MAX", "MIN", "MAX_BUFFERED", ...)
 */
public record Schedule(String label, Map<Integer, OpSchedule> costs, List<Cascade> cascades) {
    public Schedule {
        costs = Collections.unmodifiableMap(new TreeMap<>(costs));
        cascades = List.copyOf(cascades);
    }

    /** A schedule of every operation in order, without cascades. */
    public static Schedule of(String label, List<OpSchedule> ops) {
        Map<Integer, OpSchedule> m = new TreeMap<>();
        for (int i = 0; i < ops.size(); i++) {
            m.put(i, ops.get(i));
        }
        return new Schedule(label, m, List.of());
    }

    public OpSchedule get(SchedulerOperation op) {
        return costs.get(op.index());
    }

    public boolean contains(SchedulerOperation op) {
        return costs.containsKey(op.index());
    }

    public Collection<OpSchedule> ops() {
        return costs.values();
    }

    /** The cascade whose last operation has index {@code end}, or null. */
    public Cascade cascadeEndingAt(int end) {
        for (Cascade c : cascades) {
            if (c.end() == end) {
                return c;
            }
        }
        return null;
    }

    /** The cascade {@code cost} belongs to, or null when it runs alone. */
    public Cascade cascadeOf(OpSchedule cost) {
        return cost.cascade() == 0 ? null : cascadeEndingAt(cost.cascade());
    }

    /** This schedule with {@code other}'s operations and cascades replacing and adding to its own. */
    Schedule merged(String newLabel, Schedule other, Cascade removed) {
        Map<Integer, OpSchedule> m = new TreeMap<>(costs);
        m.putAll(other.costs);
        List<Cascade> c = new ArrayList<>(cascades);
        c.remove(removed);
        c.addAll(other.cascades);
        return new Schedule(newLabel, m, c);
    }
}
