package npuc.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import npuc.Cancellation;
import npuc.frontend.MemoryFunction;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.Shape4;

/**
 * Groups consecutive striped operations into cascades where that lowers the memory a schedule needs: a chain
 * grows while each operation has exactly one consumer, the next in order, and stops once the operations fit
 * (or, when spilling, once the rolling and weight buffers no longer fit fast storage). Operations left out of a
 * cascade take their cost from the fallback schedule.
 */
final class CascadeBuilder {
    private final List<SchedulerOperation> ops;
    private final SchedulerGraph graph;
    private final boolean spilling;
    private final Map<Integer, Long> nonLocal;

    /**
     * @param nonLocal memory other operations hold while each operation runs, by operation index
     */
    CascadeBuilder(SchedulerGraph graph, List<SchedulerOperation> ops, boolean spilling, Map<Integer, Long> nonLocal) {
        this.graph = graph;
        this.ops = List.copyOf(ops);
        this.spilling = spilling;
        this.nonLocal = Map.copyOf(nonLocal);
    }

    private record Buffer(Shape4 shape, long size) {
    }

    static boolean isCascadable(SchedulerOperation op, OpSchedule cost) {
        NpuBlockType block = op.blockType();
        if (block == NpuBlockType.DEFAULT || block == NpuBlockType.VECTOR_PRODUCT || block == NpuBlockType.REDUCE_SUM) {
            return false;
        }
        return cost.stripe().height() < op.ofm().shape().height()
                && op.primary().ifmReadOffset() == null && op.primary().ifm2ReadOffset() == null
                && elementwiseCascadable(op)
                && op.type() != OpType.Conv2DBackpropInputSwitchedBias;
    }

    /** A binary elementwise operation streams its first operand only, against a constant or scalar second. */
    private static boolean elementwiseCascadable(SchedulerOperation op) {
        if (!op.type().isBinaryElementwise()) {
            return true;
        }
        var p = op.primary();
        boolean ifmStreams = !(p.ifm().values() != null || p.ifm().shape().isEmpty()
                || !p.ifm().shape().equals(p.ofm().shape()));
        boolean ifm2Fixed = p.ifm2() != null && (p.ifm2().values() != null || p.ifm2().shape().isEmpty());
        return ifmStreams && ifm2Fixed;
    }

    private long estimateSramUsage(SchedulerOperation op, OpSchedule cost) {
        long ifm2 = op.type().isBinaryElementwise() || op.ifm2() == null ? 0 : op.ifm2().sizeInBytes();
        long ifm = op.requiresFullIfm() ? op.ifm().sizeInBytes()
                : roundedDepth(cost.stripeInput()).elements() * op.ifm().type().bytes();
        long ofm;
        if (ofmCanReuseIfm(op)) {
            ofm = 0;
        } else if (op.requiresFullOfm()) {
            ofm = op.ofm().sizeInBytes();
        } else {
            ofm = roundedDepth(cost.stripe()).elements() * op.ofm().type().bytes();
        }
        return ifm + ifm2 + ofm + nonLocal.getOrDefault(op.index(), 0L);
    }

    private static Shape4 roundedDepth(Shape4 s) {
        return s.withDepth((s.depth() + 15) / 16 * 16);
    }

    private boolean ofmCanReuseIfm(SchedulerOperation op) {
        return ofmCanReuseIfm(graph, op);
    }

    /** An elementwise OFM may overwrite an IFM of the same shape, layout and type that nothing else reads. */
    static boolean ofmCanReuseIfm(SchedulerGraph graph, SchedulerOperation op) {
        var p = op.primary();
        if (!op.type().isElementwise() || p.memoryFunction() == MemoryFunction.VARIABLE_TENSOR_WRITE) {
            return false;
        }
        SchedulerTensor[] inputs = {op.ifm(), op.ifm2()};
        for (SchedulerTensor in : inputs) {
            if (in == null || !in.shape().equals(op.ofm().shape()) || in.tensor().shape().isEmpty()
                    || in.format() != op.ofm().format() || in.type() != op.ofm().type()
                    || readerCount(graph, in) != 1) {
                continue;
            }
            return true;
        }
        return false;
    }

    private static int readerCount(SchedulerGraph graph, SchedulerTensor t) {
        int n = graph.outputs().contains(t.tensor()) ? 1 : 0;
        for (SchedulerOperation o : graph.ops()) {
            if (o.ifm().tensor() == t.tensor() || (o.ifm2() != null && o.ifm2().tensor() == t.tensor())) {
                n++;
            }
        }
        return n;
    }

    private Buffer buffer(SchedulerOperation producer, SchedulerOperation consumer, Schedule ref) {
        if (producer.requiresFullOfm() || consumer.requiresFullIfm()) {
            Shape4 a = producer.ofm().shape();
            Shape4 b = consumer.ifm().shape();
            return new Buffer(compare(a, b) >= 0 ? a : b,
                    Math.max(producer.ofm().sizeInBytes(), consumer.ifm().sizeInBytes()));
        }
        Shape4 shape = rollingBufferShape(ref.get(producer).stripe(), ref.get(consumer).stripeInput());
        return new Buffer(shape, shape.elements() * producer.ofm().type().bytes());
    }

    private static int compare(Shape4 a, Shape4 b) {
        int c = Integer.compare(a.batch(), b.batch());
        c = c != 0 ? c : Integer.compare(a.height(), b.height());
        c = c != 0 ? c : Integer.compare(a.width(), b.width());
        return c != 0 ? c : Integer.compare(a.depth(), b.depth());
    }

    /** Rows for a producer stripe and a consumer stripe input, rounded to whole consumer stripes; brick depth. */
    static Shape4 rollingBufferShape(Shape4 producerStripe, Shape4 consumerStripeInput) {
        int h = consumerStripeInput.height();
        int height = (producerStripe.height() + h + h - 1) / h * h;
        int width = Math.max(producerStripe.width(), consumerStripeInput.width());
        return new Shape4(1, height, width, (producerStripe.depth() + 15) / 16 * 16);
    }

    /**
     * Cascades over {@code ref}'s operations; operations outside a cascade take {@code fallback}'s cost.
     *
     * @param guidingLimit memory the search aims at (a hard limit when spilling)
     */
    Schedule build(Schedule ref, Schedule fallback, long guidingLimit) {
        Map<Integer, OpSchedule> cost = new TreeMap<>();
        List<Cascade> cascades = new ArrayList<>();
        long peak = guidingLimit;
        Map<Integer, SchedulerOperation> byIndex = new HashMap<>();
        ops.forEach(o -> byIndex.put(o.index(), o));
        for (SchedulerOperation op : ops) {
            Cancellation.checkpoint();
            if (cost.containsKey(op.index())) {
                continue;
            }
            if (!isCascadable(op, ref.get(op))) {
                cost.put(op.index(), fallback.get(op));
                if (!spilling) {
                    peak = Math.max(peak, estimateSramUsage(op, fallback.get(op)));
                }
                continue;
            }
            List<SchedulerOperation> inCascade = new ArrayList<>(List.of(op));
            List<SchedulerOperation> best = List.of(op);
            long cascadeIfm = spilling ? 0 : op.ifm().sizeInBytes();
            long cascadeBuffers = ref.get(op).weightBufferBytes();
            long bestSize = estimateSramUsage(op, fallback.get(op));
            SchedulerOperation producer = op;
            while (true) {
                List<SchedulerOperation> dependants = graph.consumersOf(producer);
                if (dependants.size() != 1) {
                    break;
                }
                SchedulerOperation current = dependants.get(0);
                if (cost.containsKey(current.index()) || !ref.contains(current)
                        || !isCascadable(current, ref.get(current))
                        || !producer.ofm().shape().equals(current.ifm().shape())
                        || current.requiresFullIfm() || producer.requiresFullOfm()
                        || producer.index() + 1 != current.index()) {
                    break;
                }
                long ofmFull = current.ofm().sizeInBytes();
                long rolling = buffer(producer, current, ref).size();
                long weights = ref.get(current).weightBufferBytes();
                long uncascaded = estimateSramUsage(current, fallback.get(current));
                inCascade.add(current);
                cascadeBuffers += rolling + weights;
                if (spilling) {
                    if (uncascaded < peak || cascadeBuffers > peak) {
                        break;
                    }
                    best = List.copyOf(inCascade);
                    bestSize = cascadeBuffers;
                } else {
                    long size = cascadeIfm + cascadeBuffers + ofmFull + nonLocal.getOrDefault(op.index(), 0L);
                    if ((uncascaded < peak && bestSize < peak) || cascadeIfm + cascadeBuffers > bestSize) {
                        break;
                    }
                    if (size < bestSize || size < uncascaded) {
                        bestSize = size;
                        best = List.copyOf(inCascade);
                    }
                }
                producer = current;
            }
            if (best.size() > 1) {
                int end = op.index() + best.size() - 1;
                Map<Integer, Shape4> buffers = new TreeMap<>();
                SchedulerOperation prev = null;
                for (SchedulerOperation c : best) {
                    cost.put(c.index(), ref.get(c).withCascade(end));
                    if (prev != null) {
                        buffers.put(c.index(), buffer(prev, c, ref).shape());
                    }
                    prev = c;
                }
                cascades.add(new Cascade(op.index(), end, buffers, bestSize - nonLocal.getOrDefault(op.index(), 0L)));
                if (!spilling) {
                    peak = Math.max(peak, bestSize);
                }
            } else {
                cost.put(op.index(), fallback.get(op));
                if (!spilling) {
                    peak = Math.max(peak, estimateSramUsage(op, fallback.get(op)));
                }
            }
        }
        return new Schedule(ref.label(), cost, cascades);
    }
}
