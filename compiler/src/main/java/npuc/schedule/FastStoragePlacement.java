package npuc.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;

/**
 * Which feature maps between operations move from the arena into fast storage when the arena is elsewhere
 * (Dedicated_Sram): every OFM read by a later operation of the subgraph is a candidate; ranges that can never
 * fit beside the fixed usage (weight buffers) are evicted, ranges that always fit are kept, and the rest are
 * kept in order of start time while they fit. Vela chooses among the competing ranges by an exhaustive search
 * scored by element accesses; taking them in order is the same whenever they do not compete for one slot.
 * Returns the moved tensors, each with the fast-storage area.
 */
final class FastStoragePlacement {
    private FastStoragePlacement() {
    }

    private record Range(TensorInfo tensor, int start, int end, long size) {
    }

    static Map<TensorInfo, MemoryArea> place(SchedulerGraph graph, Schedule schedule, Target target, long limit) {
        Map<TensorInfo, MemoryArea> moved = new IdentityHashMap<>();
        if (!target.isSpillingEnabled()) {
            return moved;
        }
        int n = graph.ops().size();
        long[] base = new long[2 * n + 2];
        List<Range> candidates = new ArrayList<>();
        for (SchedulerOperation op : graph.ops()) {
            int t = 2 * op.index();
            OpSchedule s = schedule.get(op);
            List<Long> buffers = s.weightBuffers();
            for (int b = 0; b < buffers.size(); b++) {
                int start = b == 0 && s.preBuffer() ? t - 1 : t;
                int len = b == 0 && s.preBuffer() ? 2 : 1;
                if (buffers.size() == 2 && b != s.depthSlices().size() % 2) {
                    len -= 1;
                }
                add(base, Math.max(start, 0), Math.max(start + len, Math.max(start, 0)), buffers.get(b));
            }
            List<SchedulerOperation> consumers = graph.consumersOf(op);
            TensorInfo ofm = op.ofm().tensor();
            if (consumers.isEmpty() || graph.outputs().contains(ofm) || op.ofm().area() != target
                    .featureMapStorageArea() || op.primary().memoryFunction() == MemoryFunction.VARIABLE_TENSOR_WRITE
                    || moved.containsKey(ofm)) {
                continue;
            }
            int end = t + 1;
            for (SchedulerOperation c : consumers) {
                end = Math.max(end, 2 * c.index() + 1);
            }
            candidates.add(new Range(ofm, t, end, op.ofm().sizeInBytes()));
        }
        long[] max = base.clone();
        for (Range r : candidates) {
            add(max, r.start(), r.end(), r.size());
        }
        if (peak(max, 0, max.length - 1) <= limit) {
            candidates.forEach(r -> moved.put(r.tensor(), target.fastStorageArea()));
            return moved;
        }
        List<Range> competing = new ArrayList<>();
        List<Range> remaining = new ArrayList<>();
        for (Range r : candidates) {
            if (peak(base, r.start(), r.end()) + r.size() > limit) {
                add(max, r.start(), r.end(), -r.size());
            } else {
                remaining.add(r);
            }
        }
        for (Range r : remaining) {
            if (peak(max, r.start(), r.end()) <= limit) {
                add(base, r.start(), r.end(), r.size());
                moved.put(r.tensor(), target.fastStorageArea());
            } else {
                competing.add(r);
            }
        }
        competing.sort(Comparator.comparingInt(Range::start).thenComparingInt(Range::end)
                .thenComparingLong(Range::size));
        for (Range r : competing) {
            if (peak(base, r.start(), r.end()) + r.size() <= limit) {
                add(base, r.start(), r.end(), r.size());
                moved.put(r.tensor(), target.fastStorageArea());
            } else {
                add(max, r.start(), r.end(), -r.size());
            }
        }
        return moved;
    }

    private static void add(long[] usage, int start, int end, long size) {
        for (int i = Math.max(start, 0); i <= end && i < usage.length; i++) {
            usage[i] += size;
        }
    }

    private static long peak(long[] usage, int start, int end) {
        long m = 0;
        for (int i = Math.max(start, 0); i <= end && i < usage.length; i++) {
            m = Math.max(m, usage[i]);
        }
        return m;
    }
}
