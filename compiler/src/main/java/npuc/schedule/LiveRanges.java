package npuc.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;
import npuc.frontend.TensorPurpose;

/**
 * The live ranges in fast storage of one schedule of an NPU subgraph: feature maps that live there (all of them
 * when the arena is fast storage, else those placed there), rolling buffers of cascades and weight buffers.
 * Operations alone take two time slots each; a cascade takes the slot of its first operation. A tensor used at
 * slot t lives over [t, t + 1]; tensors sharing a buffer (same equivalence id, or an elementwise OFM written over
 * its IFM) share a range.
 *
 * @param ranges   in order of creation
 * @param snapshot usage per time slot and each operation's slot
 */
public record LiveRanges(List<Range> ranges, MemorySnapshot snapshot) {
    public LiveRanges {
        ranges = List.copyOf(ranges);
    }

    /**
     * One buffer's lifetime, inclusive of both ends, and the tensors that share it.
     *
     * @param weightsOf index of the operation whose weight buffer this is, -1 for feature maps
     */
    public record Range(int start, int end, long size, List<TensorInfo> tensors, int weightsOf) {
        public Range {
            tensors = List.copyOf(tensors);
        }

        /** Both ranges live at once for more than a shared end point (Vela's overlaps_ranges). */
        boolean overlaps(Range o) {
            return Math.max(start, o.start) < Math.min(end, o.end);
        }

        boolean holds(Set<TensorInfo> any) {
            return tensors.stream().anyMatch(any::contains);
        }
    }

    /**
     * @param inFastStorage feature maps moved into fast storage when the arena is elsewhere
     */
    static LiveRanges of(SchedulerGraph graph, Schedule schedule, Target target, Set<TensorInfo> inFastStorage) {
        return new Builder(graph, target, inFastStorage).build(schedule);
    }

    private static final class MutableRange {
        int start = Integer.MAX_VALUE;
        int end = -1;
        long size;
        int weightsOf = -1;
        final List<TensorInfo> tensors = new ArrayList<>();

        void mark(int t, int length) {
            int s = Math.max(t, 0);
            if (t + length < s) {
                return;
            }
            start = Math.min(start, s);
            end = Math.max(end, t + length);
        }
    }

    private static final class Builder {
        private final SchedulerGraph graph;
        private final Target target;
        private final Set<TensorInfo> inFastStorage;
        private final Map<TensorInfo, TensorFormat> formats = new IdentityHashMap<>();
        private final Map<TensorInfo, Integer> readers = new IdentityHashMap<>();
        private final Map<TensorInfo, Integer> writers = new IdentityHashMap<>();
        private final Map<Integer, MutableRange> byEquivalence = new HashMap<>();
        private final Map<TensorInfo, MutableRange> byTensor = new IdentityHashMap<>();
        private final List<MutableRange> ranges = new ArrayList<>();
        private int currentTime;

        Builder(SchedulerGraph graph, Target target, Set<TensorInfo> inFastStorage) {
            this.graph = graph;
            this.target = target;
            this.inFastStorage = inFastStorage;
            for (SchedulerOperation op : graph.ops()) {
                for (SchedulerTensor t : new SchedulerTensor[] {op.ifm(), op.ifm2(), op.ofm()}) {
                    if (t != null) {
                        formats.putIfAbsent(t.tensor(), t.format());
                    }
                }
                for (TensorInfo t : op.pass().inputs()) {
                    readers.merge(t, 1, Integer::sum);
                }
                for (TensorInfo t : op.pass().outputs()) {
                    writers.merge(t, 1, Integer::sum);
                }
            }
            for (TensorInfo t : graph.outputs()) {
                readers.merge(t, 1, Integer::sum);
            }
        }

        /** Whether the tensor is a feature map in fast storage (Vela's check of area and memory type). */
        private boolean tracked(TensorInfo t) {
            if (t == null || t.values() != null || t.purpose() == TensorPurpose.WEIGHTS
                    || t.purpose() == TensorPurpose.LUT) {
                return false;
            }
            MemoryArea area = inFastStorage.contains(t) ? target.fastStorageArea() : target.featureMapStorageArea();
            return area == target.fastStorageArea();
        }

        private long storageSize(TensorInfo t) {
            Shape4 s = t.shape4();
            if (formats.getOrDefault(t, TensorFormat.NHWC) == TensorFormat.NHCWB16) {
                s = s.withDepth((s.depth() + 15) / 16 * 16);
            }
            long bytes = s.elements() * Math.max(1, t.type().bytes());
            return Math.max(16, (bytes + 15) / 16 * 16);
        }

        private MutableRange rangeOf(TensorInfo t) {
            MutableRange r = byTensor.get(t);
            if (r == null) {
                r = byEquivalence.get(t.equivalenceId());
            }
            if (r == null) {
                r = new MutableRange();
                r.size = storageSize(t);
                r.tensors.add(t);
                ranges.add(r);
                byEquivalence.put(t.equivalenceId(), r);
            }
            byTensor.put(t, r);
            return r;
        }

        /** An elementwise operation alone may write its OFM over an IFM that nothing else reads. */
        private void fuseElementwise(SchedulerOperation op) {
            OperationInfo p = op.primary();
            if (!op.type().isElementwise() || p.memoryFunction() == MemoryFunction.VARIABLE_TENSOR_WRITE
                    || !tracked(p.ofm()) || byTensor.containsKey(p.ofm())) {
                return;
            }
            TensorInfo[] inputs = {p.ifm(), p.ifm2()};
            for (int i = 0; i < 2; i++) {
                TensorInfo in = inputs[i];
                if (in == null || p.ifmShapes().size() <= i || !p.ifmShapes().get(i).equals(p.ofmShapes().get(0))
                        || in.shape().isEmpty() || !tracked(in)
                        || formats.getOrDefault(in, TensorFormat.NHWC) != formats.getOrDefault(p.ofm(),
                        TensorFormat.NHWC) || in.type() != p.ofm().type()
                        || readers.getOrDefault(in, 0) != 1 || writers.getOrDefault(p.ofm(), 0) != 1) {
                    continue;
                }
                MutableRange r = rangeOf(in);
                r.tensors.add(p.ofm());
                byTensor.put(p.ofm(), r);
                return;
            }
        }

        LiveRanges build(Schedule schedule) {
            int[] timeIndex = new int[graph.ops().size()];
            Arrays.fill(timeIndex, -1);
            Map<Integer, Integer> timeOfCascade = new LinkedHashMap<>();
            boolean sramTarget = target.fastStorageArea() == MemoryArea.SRAM;
            for (SchedulerOperation op : graph.ops()) {
                OpSchedule cost = schedule.get(op);
                if (cost == null) {
                    continue;
                }
                Cascade cascade = schedule.cascadeOf(cost);
                if (cascade == null) {
                    fuseElementwise(op);
                }
                int t = timeOfCascade.getOrDefault(cost.cascade(), currentTime);
                timeIndex[op.index()] = t;
                List<TensorInfo> tensors = new ArrayList<>(op.pass().inputs());
                tensors.addAll(op.pass().outputs());
                for (TensorInfo tens : tensors) {
                    if (tens == null) {
                        continue;
                    }
                    if (sramTarget && cascade != null && tens == op.ifm().tensor()
                            && cascade.buffers().containsKey(op.index())) {
                        MutableRange r = rangeOf(tens);
                        r.size = cascade.buffers().get(op.index()).elements() * op.ifm().type().bytes();
                        r.mark(t, 1);
                    } else if (tracked(tens)) {
                        rangeOf(tens).mark(t, 1);
                    }
                }
                List<Long> buffers = cost.weightBuffers();
                for (int b = 0; b < buffers.size(); b++) {
                    MutableRange r = new MutableRange();
                    r.size = buffers.get(b);
                    r.weightsOf = op.index();
                    ranges.add(r);
                    int start = t;
                    int length = 1;
                    if (b == 0 && cost.preBuffer()) {
                        start -= 1;
                        length += 1;
                    }
                    if (buffers.size() > 1 && cost.depthSlices().size() % buffers.size() != b) {
                        length -= 1;
                    }
                    r.mark(start, length);
                }
                if (t == currentTime) {
                    currentTime += 2;
                }
                if (cost.cascade() != 0) {
                    timeOfCascade.put(cost.cascade(), t);
                }
            }
            for (TensorInfo t : graph.outputs()) {
                if (tracked(t)) {
                    rangeOf(t).mark(currentTime, 1);
                }
            }
            long[] usage = new long[currentTime + 2];
            List<Range> out = new ArrayList<>();
            for (MutableRange r : ranges) {
                if (r.end < 0) {
                    continue;
                }
                for (int i = r.start; i <= r.end && i < usage.length; i++) {
                    usage[i] += r.size;
                }
                out.add(new Range(r.start, r.end, r.size, r.tensors, r.weightsOf));
            }
            return new LiveRanges(out, new MemorySnapshot(usage, timeIndex));
        }
    }

    /** No feature map moved: the schedule as the scheduler first sees it. */
    static Set<TensorInfo> unplaced() {
        return Collections.emptySet();
    }
}
