package npuc.schedule;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import npuc.Cancellation;
import npuc.arch.Accelerator;
import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.OpType;
import npuc.frontend.Shape4;
import npuc.perf.BlockConfig;
import npuc.perf.BlockConfigQuery;
import npuc.perf.CostModel;
import npuc.perf.CycleCost;
import npuc.perf.ElementAccess;
import npuc.perf.FeatureMapAccess;
import npuc.perf.PerformanceQuery;
import npuc.perf.Resampling;
import npuc.weights.EncodedWeights;

/**
 * Vela 3.10's scheduler for one NPU subgraph: block configs and cycle estimates per operation (the MAX schedule,
 * whole-OFM stripes), then weight buffering: weights that live in slower memory are copied into fast storage,
 * split into OFM depth slices so the copy of the next slice overlaps the compute of the current one. The cost
 * model comes from package perf; this class only searches.
 */
public final class Scheduler {
    private static final int SPLIT_DEPTH = Accelerator.OFM_SPLIT_DEPTH;

    private final Target target;
    private final CostModel model;
    private final EncodedWeightSizes encoder;
    private final SchedulerGraph graph;
    /** Feature maps moved out of the area they were created in, as given (identity-keyed). */
    private final Map<TensorInfo, MemoryArea> placement;
    /** The same by tensor id, for the cost queries: the area of each operand tensor moved, null where not. */
    private final MemoryArea[] placedArea;
    /** Bytes of evicted feature maps live beside each operation's weight buffers, by operation index. */
    private final Map<Integer, Long> evictedFmsSize;
    /** The same as an array by operation index. */
    private final long[] evictedBytes;
    /** Most fast-storage buffers one operation's weights get: 2 in Vela, fewer when a search asks. */
    private final int maxWeightBuffers;

    /**
     * @param placement feature maps moved to another memory area than the one they were created in (fast
     *                  storage), empty before placement
     */
    public Scheduler(Target target, CostModel model, EncodedWeightSizes encoder, SchedulerGraph graph,
            Map<TensorInfo, MemoryArea> placement) {
        this(target, model, encoder, graph, placement, Map.of(), 2);
    }

    Scheduler(Target target, CostModel model, EncodedWeightSizes encoder, SchedulerGraph graph,
            Map<TensorInfo, MemoryArea> placement, Map<Integer, Long> evictedFmsSize, int maxWeightBuffers) {
        this.evictedFmsSize = Map.copyOf(evictedFmsSize);
        this.evictedBytes = new long[graph.ops().size()];
        evictedFmsSize.forEach((op, bytes) -> {
            if (op >= 0 && op < evictedBytes.length) {
                evictedBytes[op] = bytes;
            }
        });
        this.maxWeightBuffers = maxWeightBuffers;
        this.target = target;
        this.model = model;
        this.encoder = encoder;
        this.graph = graph;
        this.placement = java.util.Collections.unmodifiableMap(new java.util.IdentityHashMap<>(placement));
        this.placedArea = new MemoryArea[graph.tensorCount()];
        placement.forEach((tensor, area) -> {
            int id = graph.idOf(tensor);
            if (id >= 0) {
                placedArea[id] = area;
            }
        });
    }

    int biasElementBytes(SchedulerOperation op) {
        return encoder.biasElementBytes(op);
    }

    public SchedulerGraph graph() {
        return graph;
    }

    /** This scheduler with {@code tensors} moved into fast storage as well. */
    Scheduler withInFastStorage(List<TensorInfo> tensors) {
        Map<TensorInfo, MemoryArea> moved = new IdentityHashMap<>(placement);
        tensors.forEach(t -> moved.put(t, target.fastStorageArea()));
        return new Scheduler(target, model, encoder, graph, moved, evictedFmsSize, maxWeightBuffers);
    }

    MemoryArea areaOf(SchedulerTensor t) {
        MemoryArea placed = placedArea[t.id()];
        return placed != null ? placed : t.area();
    }

    // ------------------------------------------------------------------------------------------ per operation

    /** The IFM (and IFM2) stripe needed for an OFM stripe: the whole IFM unless the OFM is striped. */
    Shape4[] stripeInputs(SchedulerOperation op, Shape4 stripe) {
        Shape4 ifm = op.ifm().shape();
        Shape4 ifm2 = op.ifm2() == null ? null : op.ifm2().shape();
        if (!stripe.equals(op.ofm().shape())) {
            int w = requiredSize(stripe.width(), op.kernel().strideX(), areaWidth(op), op);
            int h = requiredSize(stripe.height(), op.kernel().strideY(), areaHeight(op), op);
            h = Math.min(h, ifm.height());
            w = Math.min(w, ifm.width());
            ifm = new Shape4(ifm.batch(), h, w, ifm.depth());
            if (ifm2 != null) {
                ifm2 = new Shape4(ifm2.batch(), Math.min(h, ifm2.height()), Math.min(w, ifm2.width()), ifm2.depth());
            }
        }
        return new Shape4[] {ifm, ifm2};
    }

    private static int areaWidth(SchedulerOperation op) {
        return (op.kernel().width() - 1) * op.kernel().dilationX() + 1;
    }

    private static int areaHeight(SchedulerOperation op) {
        return (op.kernel().height() - 1) * op.kernel().dilationY() + 1;
    }

    private static int requiredSize(int value, int stride, int border, SchedulerOperation op) {
        return (int) Math.ceil(((double) (value - 1) * stride + border + op.resampling().nearestExtra())
                / op.resampling().upscale());
    }

    BlockConfig blockConfig(SchedulerOperation op, Shape4 ofm, Shape4 ifm, Shape4 ifm2) {
        BlockConfig c = model.blockConfig(new BlockConfigQuery(op.blockType(), ofm, ifm,
                ifm2, op.usesScalar(), op.ifm().bits(), op.kernel(), op.usesLut(), op.scaled(), op.resampling()));
        if (c == null) {
            throw new SchedulingException("no block config of " + target.acceleratorName() + " fits operation "
                    + op.name() + " (" + op.type() + ", OFM " + ofm + ")");
        }
        return c;
    }

    /** The query the scheduler estimates with: scales and biases read from fast storage. */
    PerformanceQuery query(SchedulerOperation op, BlockConfig config, int ofmDepth) {
        FeatureMapAccess ifm = new FeatureMapAccess(op.ifmReadShape(), areaOf(op.ifm()), op.ifm().bits(),
                op.ifm().format());
        FeatureMapAccess ifm2 = op.ifm2() == null ? null : new FeatureMapAccess(op.ifm2ReadShape(),
                areaOf(op.ifm2()), op.ifm2().bits(), op.ifm2().format());
        FeatureMapAccess ofm = new FeatureMapAccess(op.ofmWriteShape().withDepth(ofmDepth), areaOf(op.ofm()),
                op.ofm().bits(), op.ofm().format());
        int constDepth = op.hasBias() ? op.ofm().shape().depth() : 0;
        return new PerformanceQuery(op.blockType(), op.type(), op.activation(), ifm, ifm2, ofm, constDepth,
                constDepth > 0 ? target.fastStorageArea() : null, op.kernel(), config);
    }

    ElementAccess elementAccess(SchedulerOperation op, BlockConfig config, int ofmDepth) {
        return model.elementAccess(query(op, config, ofmDepth));
    }

    CycleCost estimate(SchedulerOperation op, BlockConfig config, int ofmDepth) {
        return model.cycleCost(query(op, config, ofmDepth));
    }

    /** The operation on one OFM stripe, full-depth weights, no buffering. */
    OpSchedule createInfo(SchedulerOperation op, Shape4 stripe) {
        Cancellation.checkpoint();
        Shape4[] in = stripeInputs(op, stripe);
        BlockConfig config = blockConfig(op, stripe, in[0], in[1]);
        List<Integer> slices = List.of(0, op.ofm().shape().depth());
        EncodedWeights w = op.hasWeights() ? encoder.encode(op, config.ofmBlock().depth(), slices) : null;
        CycleCost cycles = estimate(op, config, op.ofm().shape().depth());
        return new OpSchedule(config, in[0], in[1], stripe, 0, List.of(0, stripe.depth()), w, List.of(), false,
                false, cycles, 0, 0, 0);
    }

    // ---------------------------------------------------------------------------------------------- schedules

    /** Every operation alone on its whole OFM, weights read in place. */
    public Schedule maxSchedule() {
        List<OpSchedule> ops = new ArrayList<>();
        for (SchedulerOperation op : graph.ops()) {
            ops.add(createInfo(op, op.ofm().shape()));
        }
        return Schedule.of("MAX", ops);
    }

    /**
     * Every operation on the thinnest OFM stripe its consumer (the next operation) can start from: as many rows
     * as the consumer's vertical stride, even for nearest-neighbour upscaling.
     */
    public Schedule minSchedule() {
        OpSchedule[] ops = new OpSchedule[graph.ops().size()];
        SchedulerOperation next = null;
        for (int i = graph.ops().size() - 1; i >= 0; i--) {
            SchedulerOperation op = graph.ops().get(i);
            int height = next != null ? next.kernel().strideY() : 1;
            if (op.resampling() == Resampling.NEAREST) {
                height += height % 2;
            }
            ops[i] = createInfo(op, op.ofm().shape().withHeight(height));
            next = op;
        }
        return Schedule.of("MIN", List.of(ops));
    }

    /**
     * New stripes for the operations of {@code ref}: {@code finalStripe} for the last, and for each producer the
     * IFM rows its consumer's stripe needs. Weight buffering follows {@code ref}: buffered there, buffered here,
     * with buffers sized for the new encoding.
     */
    Schedule striped(Shape4 finalStripe, String label, Schedule ref) {
        Map<Integer, OpSchedule> out = new TreeMap<>();
        Shape4 stripe = finalStripe;
        for (int i = graph.ops().size() - 1; i >= 0; i--) {
            SchedulerOperation op = graph.ops().get(i);
            OpSchedule refCost = ref.get(op);
            if (refCost == null) {
                continue;
            }
            OpSchedule cost = createInfo(op, stripe);
            if (refCost.isBuffered() && cost.weights() != null) {
                List<Long> buffers = refCost.weightBuffers().size() == 2
                        ? List.of(cost.weights().evenSliceBytes(), cost.weights().oddSliceBytes())
                        : List.of(cost.weights().evenSliceBytes());
                cost = with(cost, cost.depthSlices(), cost.weights(), buffers, refCost.doubleBuffered(), false,
                        cost.slackBufferingCycles(), cost.slackBufferingMemory(), cost.fullWeightTransferCycles());
            }
            out.put(op.index(), cost);
            boolean forceEven = false;
            for (SchedulerOperation other : graph.ops()) {
                OpSchedule o = ref.get(other);
                if (o != null && o.cascade() == refCost.cascade()
                        && other.resampling() == Resampling.NEAREST) {
                    forceEven = true;
                    break;
                }
            }
            int upscale = op.resampling().upscale();
            int height = stripe.height() + (forceEven ? stripe.height() % 2 : stripe.height() % upscale);
            stripe = op.ifm().shape().withHeight(height * op.kernel().strideY());
        }
        return new Schedule(label, out, List.of());
    }

    /**
     * Peak memory of a schedule estimated per operation: its cascade's usage, or IFM, OFM and weight buffers of
     * an operation alone, plus what other operations hold meanwhile.
     */
    long estimateMemory(Schedule schedule, Map<Integer, Long> nonLocal) {
        long peak = 0;
        for (SchedulerOperation op : graph.ops()) {
            OpSchedule cost = schedule.get(op);
            if (cost == null) {
                continue;
            }
            long usage;
            Cascade c = schedule.cascadeOf(cost);
            if (c != null) {
                usage = c.memUsage() + nonLocal.getOrDefault(op.index(), 0L);
            } else {
                usage = op.ifm().sizeInBytes() + op.ofm().sizeInBytes() + cost.weightBufferBytes()
                        + nonLocal.getOrDefault(op.index(), 0L);
            }
            peak = Math.max(peak, usage);
        }
        return peak;
    }

    /**
     * Adds weight buffering to the operations of {@code ref}: each may use what the staging limit leaves beside
     * the memory in use at its time slot. Weights of cascaded operations are buffered whole, and the memory they
     * take counts against the later operations of the same cascade.
     */
    public Schedule buffered(Schedule ref, long stagingLimit, MemorySnapshot snapshot) {
        Map<Integer, OpSchedule> out = new TreeMap<>();
        long[] usage = snapshot.usage();
        OpSchedule prev = null;
        for (SchedulerOperation op : graph.ops()) {
            OpSchedule refCost = ref.get(op);
            if (refCost == null) {
                continue;
            }
            int t = snapshot.timeOf(op);
            long used = t >= 0 && t < usage.length ? usage[t] : 0;
            long slackMemory = stagingLimit - used;
            OpSchedule cost = new OpSchedule(refCost.blockConfig(), refCost.stripeInput(), refCost.stripeInput2(),
                    refCost.stripe(), refCost.cascade(), refCost.depthSlices(), refCost.weights(),
                    refCost.weightBuffers(), refCost.doubleBuffered(), refCost.preBuffer(), refCost.cycles(),
                    refCost.cycles().cycles(), slackMemory, refCost.fullWeightTransferCycles());
            if (op.hasWeights()) {
                long bufferLimit = slackMemory;
                long evicted = evictedBytes[op.index()];
                if (evicted > 0 && (double) bufferLimit / evicted >= 1.5) {
                    bufferLimit -= evicted;
                }
                cost = weightBuffering(op, prev, cost, refCost, bufferLimit);
                if (refCost.cascade() != 0 && cost.weights() != null && t >= 0 && t < usage.length) {
                    usage[t] += cost.weights().size();
                }
            }
            out.put(op.index(), cost);
            prev = cost;
        }
        return new Schedule(ref.label() + "_BUFFERED", out, ref.cascades());
    }

    private boolean weightsNeedDma() {
        MemoryArea area = target.permanentStorageArea();
        return (area == MemoryArea.DRAM || area == MemoryArea.OFF_CHIP_FLASH)
                && area != target.fastStorageArea();
    }

    private OpSchedule weightBuffering(SchedulerOperation op, OpSchedule prev, OpSchedule cost, OpSchedule ref,
            long bufferLimit) {
        int stripeDepth = ref.stripe().depth();
        List<Integer> fullSlices = List.of(0, stripeDepth);
        int blockDepth = cost.blockConfig().ofmBlock().depth();
        EncodedWeights full = encoder.encode(op, blockDepth, fullSlices);
        long fullBytes = full.size();
        if (op.type() == OpType.FullyConnected || !weightsNeedDma() || maxWeightBuffers == 0) {
            return with(cost, fullSlices, full, cost.weightBuffers(), cost.doubleBuffered(), cost.preBuffer(),
                    cost.slackBufferingCycles(),
                    cost.slackBufferingMemory(), cost.fullWeightTransferCycles());
        }
        EncodedWeights encoded = full;
        List<Integer> slices = fullSlices;
        double slackCycles = prev != null ? prev.slackBufferingCycles() : 0;
        long slackMemory = prev != null ? prev.slackBufferingMemory() : 0;
        double ownSlack = cost.slackBufferingCycles();
        double fullTransfer = cost.fullWeightTransferCycles();
        if (ref.cascade() == 0) {
            fullTransfer = model.mem2memCycles(target.permanentStorageArea(), target.fastStorageArea(), fullBytes);
            long halfLimit = Math.floorDiv(bufferLimit, 2);
            double prebufferBytes;
            if (fullTransfer > slackCycles) {
                prebufferBytes = Math.min(slackCycles / fullTransfer * fullBytes, halfLimit);
            } else {
                prebufferBytes = Math.min(fullBytes, halfLimit);
            }
            double ratio = prebufferBytes / fullBytes;
            if (prebufferBytes < fullBytes) {
                int prebufferDepth = (int) Math.max(16, roundDown(stripeDepth * ratio, SPLIT_DEPTH));
                CycleCost pre = estimate(op, cost.blockConfig(), prebufferDepth);
                double bufferingDepth = stripeDepth * ((double) pre.cycles() / fullTransfer);
                bufferingDepth = roundUp(bufferingDepth, blockDepth);
                double bufferingBytes = (bufferingDepth / stripeDepth) * fullBytes;
                if (bufferingBytes > halfLimit) {
                    bufferingDepth = ((double) halfLimit / fullBytes) * stripeDepth;
                }
                while (true) {
                    if (bufferingDepth > blockDepth) {
                        bufferingDepth = roundDown(bufferingDepth, blockDepth);
                    } else {
                        bufferingDepth = roundDown(bufferingDepth, SPLIT_DEPTH);
                    }
                    int depthStep = (int) Math.max(bufferingDepth, SPLIT_DEPTH);
                    bufferingDepth = depthStep;
                    List<Integer> s = new ArrayList<>();
                    s.add(0);
                    if (prebufferDepth < stripeDepth) {
                        for (int d = prebufferDepth; d < stripeDepth; d += depthStep) {
                            s.add(d);
                        }
                    }
                    s.add(stripeDepth);
                    slices = s;
                    encoded = encoder.encode(op, blockDepth, slices);
                    if (encoded.doubleBufferSize() <= bufferLimit || prebufferDepth == SPLIT_DEPTH) {
                        break;
                    }
                    if (bufferingDepth > prebufferDepth) {
                        bufferingDepth = roundUp(Math.floor(bufferingDepth / 2), SPLIT_DEPTH);
                    } else {
                        prebufferDepth = (int) roundUp(prebufferDepth / 2, SPLIT_DEPTH);
                    }
                }
                int last = slices.get(slices.size() - 1) - slices.get(slices.size() - 2);
                ownSlack = estimate(op, cost.blockConfig(), last).cycles();
            }
        }
        long weightBufferSize = Math.min(encoded.size(), encoded.largestSliceBytes());
        if (weightBufferSize <= bufferLimit) {
            boolean dbl = maxWeightBuffers > 1 && encoded.doubleBufferSize() <= bufferLimit
                    && weightBufferSize < encoded.size();
            List<Long> buffers = dbl ? List.of(encoded.evenSliceBytes(), encoded.oddSliceBytes())
                    : List.of(encoded.evenSliceBytes());
            int lastUsed = slices.size() % buffers.size();
            long lastBuffer = lastUsed == 0 ? encoded.evenSliceBytes() : encoded.oddSliceBytes();
            long remaining = cost.slackBufferingMemory() - lastBuffer;
            boolean preBuffer = ref.cascade() == 0 && encoded.doubleBufferSize() < slackMemory;
            return with(cost, slices, encoded, buffers, dbl, preBuffer, ownSlack, remaining, fullTransfer);
        }
        // Buffers proposed earlier stay as they were: only the slices and the encoding fall back to full depth.
        return with(cost, fullSlices, full, cost.weightBuffers(), cost.doubleBuffered(), cost.preBuffer(), ownSlack,
                cost.slackBufferingMemory(), fullTransfer);
    }

    private static OpSchedule with(OpSchedule c, List<Integer> slices, EncodedWeights w, List<Long> buffers,
            boolean dbl, boolean pre, double slackCycles, long slackMemory, double fullTransfer) {
        return new OpSchedule(c.blockConfig(), c.stripeInput(), c.stripeInput2(), c.stripe(), c.cascade(), slices, w,
                buffers, dbl, pre, c.cycles(), slackCycles, slackMemory, fullTransfer);
    }

    /** Python's round_down on a float: (v // q) * q. */
    static double roundDown(double v, int q) {
        return Math.floor(v / q) * q;
    }

    /** Python's round_up on a float: ((v + q - 1) // q) * q. */
    static double roundUp(double v, int q) {
        return Math.floor((v + q - 1) / q) * q;
    }
}
