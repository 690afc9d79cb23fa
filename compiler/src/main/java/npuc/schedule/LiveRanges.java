package npuc.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.MemoryArea;
import npuc.arch.MemoryType;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;
import npuc.frontend.OpType;
import npuc.frontend.TensorFormat;
import npuc.frontend.TensorPurpose;

/**
 * Live ranges over a schedule, as Vela builds them for one memory area and set of memory types: the fast-storage
 * snapshots the scheduler takes of one NPU subgraph, or the whole network's arena the allocator places (the root
 * subgraph's passes in order, each NPU subgraph entered where it is called). Operations outside cascades take two
 * time slots each; a cascade takes the slot of its first operation. A tensor used at slot t lives over [t, t + 1];
 * tensors sharing a buffer (same equivalence id, or an elementwise OFM written over its IFM) share a range;
 * variables live for the whole inference.
 *
 * @param ranges   in order of creation
 * @param snapshot usage per time slot and each NPU operation's slot (of the last subgraph walked)
 */
public record LiveRanges(List<Range> ranges, MemorySnapshot snapshot, List<WidenedBuffer> widened) {
    public LiveRanges {
        ranges = List.copyOf(ranges);
        widened = List.copyOf(widened);
    }

    /**
     * A buffer made larger than the tensor it was created for, because another tensor sharing it (a clone of a
     * variable in another layout, or an OFM written over its IFM) needs more bytes. Vela keeps the first size
     * and stops with an assertion, or writes past the buffer.
     */
    public record WidenedBuffer(String buffer, String tensor, long from, long to) {
        public String warning() {
            return "Warning: " + tensor + " shares the buffer of " + buffer + " but needs " + to + " bytes where "
                    + buffer + " needs " + from + "; the buffer is sized for both";
        }
    }

    /**
     * One buffer's lifetime, inclusive of both ends, and the tensors that share it.
     *
     * @param name      the first tensor's name, or for a weight buffer the weights' name with "_buffer" (the
     *                  second of a double buffer "_buffer2"), as Vela names them
     * @param weightsOf index of the operation whose weight buffer this is, -1 for feature maps
     * @param alignment byte alignment its address needs
     */
    public record Range(String name, int start, int end, long size, List<TensorInfo> tensors, int weightsOf,
                        int alignment) {
        public Range {
            tensors = List.copyOf(tensors);
        }

        /** Both ranges live at once for more than a shared end point (Vela's overlaps_ranges). */
        public boolean overlaps(Range o) {
            return Math.max(start, o.start) < Math.min(end, o.end);
        }

        boolean holds(Set<TensorInfo> any) {
            return tensors.stream().anyMatch(any::contains);
        }
    }

    /** The memory area and types a set of live ranges covers. */
    public record Scope(MemoryArea area, Set<MemoryType> types) {
        public Scope {
            types = Set.copyOf(types);
        }
    }

    /** Alignment of NPU-side buffers (Vela's allocation quantum). */
    static final int NPU_ALIGNMENT = 16;

    /**
     * Fast storage during one NPU subgraph's schedule, as the scheduler sees it.
     *
     * @param inFastStorage feature maps moved into fast storage when the arena is elsewhere
     */
    static LiveRanges of(SchedulerGraph graph, Schedule schedule, Target target, Set<TensorInfo> inFastStorage) {
        Builder b = new Builder(target, new Scope(target.fastStorageArea(),
                EnumSet.of(MemoryType.SCRATCH, MemoryType.SCRATCH_FAST)), NPU_ALIGNMENT);
        b.schedule(graph, schedule, inFastStorage);
        return b.build();
    }

    /**
     * The whole network's live ranges in {@code scope}: the root subgraph's passes in order, each NPU subgraph's
     * final schedule where it is called, then the model's outputs, and variables over the whole inference.
     *
     * @param cpuAlignment alignment of the buffers the CPU sees (Vela's --cpu-tensor-alignment)
     */
    public static LiveRanges ofNetwork(FrontEndResult frontEnd, NetworkSchedule schedule, Target target, Scope scope,
            int cpuAlignment) {
        Builder b = new Builder(target, scope, cpuAlignment);
        Map<String, ScheduledSubgraph> npu = new HashMap<>();
        schedule.subgraphs().forEach(s -> npu.put(s.name(), s));
        SubgraphPlan root = frontEnd.subgraphs().get(0);
        for (PassInfo ps : root.passes()) {
            int time = b.currentTime;
            b.markRoot(ps.inputs(), time);
            ScheduledSubgraph called = frontEnd.calledBy(ps).map(sg -> npu.get(sg.name())).orElse(null);
            if (called != null) {
                b.schedule(called.graph(), called.schedule(), called.inFastStorage());
                time = b.currentTime;
            } else {
                b.currentTime += 2;
            }
            b.markRoot(ps.outputs(), time);
        }
        int end = b.currentTime;
        b.markRoot(root.outputs(), end);
        for (MutableRange r : b.ranges) {
            // Vela looks at the tensors a range was created or fused for, not the clones that found it.
            if (r.tensors.stream().anyMatch(TensorInfo::variable)) {
                r.mark(0, end + 1);
            }
        }
        return b.build();
    }

    private static final class MutableRange {
        int start = Integer.MAX_VALUE;
        int end = -1;
        long size;
        int weightsOf = -1;
        int alignment;
        String name;
        /** Holds a cascade's rolling buffer: its size is the buffer's, not its tensors'. */
        boolean rolling;
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
        private final Target target;
        private final Scope scope;
        private final int cpuAlignment;
        private final Map<Integer, MutableRange> byEquivalence = new HashMap<>();
        private final Map<TensorInfo, MutableRange> byTensor = new IdentityHashMap<>();
        private final List<MutableRange> ranges = new ArrayList<>();
        private final List<WidenedBuffer> widened = new ArrayList<>();
        private int[] timeIndex = new int[0];
        private int currentTime;

        // The NPU subgraph being walked.
        private Set<TensorInfo> inFastStorage = Set.of();
        private final Map<TensorInfo, TensorFormat> formats = new IdentityHashMap<>();
        private final Map<TensorInfo, Integer> readers = new IdentityHashMap<>();
        private final Map<TensorInfo, Integer> writers = new IdentityHashMap<>();

        Builder(Target target, Scope scope, int cpuAlignment) {
            this.target = target;
            this.scope = scope;
            this.cpuAlignment = cpuAlignment;
        }

        /** Whether a feature map of the subgraph being walked is in this scope's area and memory types. */
        private boolean tracked(TensorInfo t) {
            if (t == null || t.values() != null || t.purpose() == TensorPurpose.WEIGHTS
                    || t.purpose() == TensorPurpose.LUT) {
                return false;
            }
            boolean fast = inFastStorage.contains(t);
            MemoryArea area = fast ? target.fastStorageArea() : target.featureMapStorageArea();
            return area == scope.area() && scope.types().contains(fast ? MemoryType.SCRATCH_FAST : MemoryType.SCRATCH);
        }

        private long storageSize(TensorInfo t) {
            return t.storageSize(formats.getOrDefault(t, TensorFormat.NHWC));
        }

        private MutableRange rangeOf(TensorInfo t, int alignment) {
            MutableRange r = byTensor.get(t);
            if (r == null) {
                r = byEquivalence.get(t.equivalenceId());
                if (r != null && r.weightsOf < 0) {
                    widen(r, t);
                }
            }
            if (r == null) {
                r = new MutableRange();
                r.size = storageSize(t);
                r.name = t.name();
                r.alignment = alignment;
                r.tensors.add(t);
                ranges.add(r);
                byEquivalence.put(t.equivalenceId(), r);
            }
            r.alignment = Math.max(r.alignment, alignment);
            byTensor.put(t, r);
            return r;
        }

        /** Every tensor of a buffer fits it: a larger one widens the buffer (once per tensor). */
        private void widen(MutableRange r, TensorInfo t) {
            long need = storageSize(t);
            if (need > r.size && !r.rolling) {
                widened.add(new WidenedBuffer(r.tensors.get(0).name(), t.name(), r.size, need));
                r.size = need;
            }
        }

        /** Tensors of a root pass: CPU feature maps in the arena, at the CPU's alignment. */
        void markRoot(List<TensorInfo> tensors, int time) {
            for (TensorInfo t : tensors) {
                if (t != null && t.values() == null && target.featureMapStorageArea() == scope.area()
                        && scope.types().contains(MemoryType.SCRATCH)) {
                    rangeOf(t, cpuAlignment).mark(time, 1);
                }
            }
        }

        /**
         * An operation alone may write its OFM over its input: an elementwise one over an IFM of the same shape
         * that nothing else reads, a memory copy over an IFM with at most one reader (then it copies nothing).
         */
        private void fuseWithInput(SchedulerOperation op) {
            OperationInfo p = op.primary();
            if (!tracked(p.ofm()) || byTensor.containsKey(p.ofm())) {
                return;
            }
            if (op.type() == OpType.Memcpy) {
                if (tracked(p.ifm()) && readers.getOrDefault(p.ifm(), 0) <= 1) {
                    share(p.ifm(), p.ofm());
                }
                return;
            }
            if (!op.type().isElementwise() || p.memoryFunction() == MemoryFunction.VARIABLE_TENSOR_WRITE) {
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
                share(in, p.ofm());
                return;
            }
        }

        private void share(TensorInfo in, TensorInfo out) {
            MutableRange r = rangeOf(in, NPU_ALIGNMENT);
            widen(r, out);
            r.tensors.add(out);
            byTensor.put(out, r);
        }

        /** One NPU subgraph's schedule, continuing the clock (Vela's extract_live_ranges_from_schedule). */
        void schedule(SchedulerGraph graph, Schedule schedule, Set<TensorInfo> fastStorage) {
            inFastStorage = fastStorage;
            formats.clear();
            readers.clear();
            writers.clear();
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
            timeIndex = new int[graph.ops().size()];
            Arrays.fill(timeIndex, -1);
            Map<Integer, Integer> timeOfCascade = new LinkedHashMap<>();
            boolean sramScope = scope.area() == MemoryArea.SRAM;
            boolean fastTypes = target.fastStorageArea() == scope.area()
                    && scope.types().contains(MemoryType.SCRATCH_FAST);
            for (SchedulerOperation op : graph.ops()) {
                OpSchedule cost = schedule.get(op);
                if (cost == null) {
                    continue;
                }
                Cascade cascade = schedule.cascadeOf(cost);
                if (cascade == null) {
                    fuseWithInput(op);
                }
                int t = timeOfCascade.getOrDefault(cost.cascade(), currentTime);
                timeIndex[op.index()] = t;
                List<TensorInfo> tensors = new ArrayList<>(op.pass().inputs());
                tensors.addAll(op.pass().outputs());
                for (TensorInfo tens : tensors) {
                    if (tens == null) {
                        continue;
                    }
                    if (sramScope && cascade != null && tens == op.ifm().tensor()
                            && cascade.buffers().containsKey(op.index())) {
                        // A rolling buffer: the range holds the cascade's buffer, not the whole tensor.
                        MutableRange r = rangeOf(tens, NPU_ALIGNMENT);
                        r.rolling = true;
                        r.size = cascade.buffers().get(op.index()).elements() * op.ifm().type().bytes();
                        r.mark(t, 1);
                    } else if (tracked(tens)) {
                        rangeOf(tens, NPU_ALIGNMENT).mark(t, 1);
                    }
                }
                List<Long> buffers = fastTypes ? cost.weightBuffers() : List.of();
                for (int b = 0; b < buffers.size(); b++) {
                    MutableRange r = new MutableRange();
                    r.size = buffers.get(b);
                    r.weightsOf = op.index();
                    r.name = op.primary().weights().name() + (b == 0 ? "_buffer" : "_buffer2");
                    r.alignment = NPU_ALIGNMENT;
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
                    rangeOf(t, NPU_ALIGNMENT).mark(currentTime, 1);
                }
            }
        }

        LiveRanges build() {
            long[] usage = new long[currentTime + 2];
            List<Range> out = new ArrayList<>();
            for (MutableRange r : ranges) {
                if (r.end < 0) {
                    continue;
                }
                for (int i = r.start; i <= r.end && i < usage.length; i++) {
                    usage[i] += r.size;
                }
                out.add(new Range(r.name, r.start, r.end, r.size, r.tensors, r.weightsOf, r.alignment));
            }
            return new LiveRanges(out, new MemorySnapshot(usage, timeIndex), widened);
        }
    }

    /** No feature map moved: the schedule as the scheduler first sees it. */
    static Set<TensorInfo> unplaced() {
        return Collections.emptySet();
    }
}
