package npuc.perf;

import npuc.arch.Accelerator;
import npuc.arch.ActivationCycleClass;
import npuc.arch.Block;
import npuc.arch.MemoryArea;
import npuc.arch.MemoryTiming;
import npuc.arch.OutputCycleClass;
import npuc.arch.Target;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;

/**
 * Vela 3.10's performance model of one operation on one target: NPU cycles from the DPU and output-stage
 * throughput of the chosen block, element accesses, memory transfer efficiency and DMA transfer cycles.
 * Immutable; share one per target.
 */
public final class CostModel {
    private final Target target;
    private final Accelerator arch;
    private final PerformanceCache cache;
    private final int costContext;

    /** A cost model that works every answer out. */
    public CostModel(Target target) {
        this(target, null);
    }

    /** A cost model that keeps block configs and cycle costs in {@code cache}, shared with other compiles. */
    public CostModel(Target target, PerformanceCache cache) {
        this.target = target;
        this.arch = target.accelerator();
        this.cache = cache;
        this.costContext = cache == null ? -1 : cache.context(target.accelerator(), target.systemConfig());
    }

    /** The block config the search finds for {@code q} on this accelerator, null when none fits. */
    public BlockConfig blockConfig(BlockConfigQuery q) {
        return cache == null ? BlockConfigSearch.find(arch, q) : cache.blockConfig(arch, q, query ->
                BlockConfigSearch.find(arch, query));
    }

    public Target target() {
        return target;
    }

    public double bandwidthPerCycle(MemoryArea area) {
        return target.bandwidthBytesPerCycle(area);
    }

    private MemoryTiming timing(MemoryArea area) {
        return target.timing(area);
    }

    // ---------------------------------------------------------------------------------------------------- cycles

    /** MACs and NPU cycles of the operation's compute (no DMA). */
    public CycleCost cycleCost(PerformanceQuery q) {
        return cache == null ? computeCycleCost(q) : cache.cycleCost(costContext, q, this::computeCycleCost);
    }

    private CycleCost computeCycleCost(PerformanceQuery q) {
        NpuBlockType t = q.blockType();
        switch (t) {
            case CONVOLUTION_MXN, CONVOLUTION_DEPTHWISE, VECTOR_PRODUCT, POOLING, REDUCE_SUM -> {
                long k = q.kernel().elementsWh();
                long macs = t == NpuBlockType.CONVOLUTION_DEPTHWISE || t == NpuBlockType.POOLING
                        ? k * q.ofm().shape().elements()
                        : k * q.ifm().shape().depth() * q.ofm().shape().elements();
                return new CycleCost(macs, (long) convCycles(q));
            }
            case ELEMENTWISE -> {
                Shape4 rounded = roundToStorage(q.ofm().shape(), q.ofm().format());
                return new CycleCost(0, (long) Math.ceil(outputCyclesPerElement(q) * rounded.elements()));
            }
            case DMA -> {
                return new CycleCost(0, 0);
            }
            default -> throw new IllegalArgumentException("no cycle model for block type " + t + " (" + q.opType() + ")");
        }
    }

    private double convCycles(PerformanceQuery q) {
        BlockConfig config = q.config();
        Shape4 ifmShape = q.ifm().shape();
        Shape4 ofmShape = q.ofm().shape();
        Shape4 ifmBlock = min(ifmShape, config.ifmBlock());
        Shape4 ofmBlock = min(ofmShape, config.ofmBlock());
        NpuBlockType t = q.blockType();
        Block micro = arch.ofmMicroBlock();
        int ublockW = micro.width();
        int ublockH = micro.height();
        int ublockD = micro.depth();
        if (micro.height() == 2
                && (t == NpuBlockType.CONVOLUTION_MXN || t == NpuBlockType.CONVOLUTION_DEPTHWISE
                || t == NpuBlockType.VECTOR_PRODUCT)
                && ofmShape.height() == 1 && ofmShape.width() % 2 == 0 && q.kernel().height() == 1) {
            // One-row OFMs of even width run on a 4x1 micro-block.
            ublockW = 4;
            ublockH = 1;
            ofmBlock = ofmBlock.withHeight(1);
        }
        long nx = ceilDiv(ofmBlock.width(), ublockW);
        long ny = ceilDiv(ofmBlock.height(), ublockH);
        long nxy = nx * ny;
        long nz = ceilDiv(ofmBlock.depth(), ublockD);
        boolean acc40 = config.accumulator40();

        int[] limits = subKernelLimits(t); // (height, width)
        int kh = q.kernel().height();
        int kw = q.kernel().width();
        int nSubY = (int) ceilDiv(kh, limits[0]);
        int nSubX = (int) ceilDiv(kw, limits[1]);
        double dpu = 0;
        long cyclesWb = 32L * ublockD / 8;
        int bits = q.ifm().bits();
        for (int y = 0; y < nSubY; y++) {
            int subH = Math.min(kh - y * limits[0], limits[0]);
            for (int x = 0; x < nSubX; x++) {
                int subW = Math.min(kw - x * limits[1], limits[1]);
                long elems = (long) subW * subH;
                long steps;
                long cycles;
                if (t == NpuBlockType.POOLING) {
                    steps = 1;
                    cycles = Math.max(4, elems) * nxy * nz;
                    if (bits == 16 && arch != Accelerator.ETHOS_U55_32) {
                        cycles *= 2;
                    }
                } else if (t == NpuBlockType.CONVOLUTION_DEPTHWISE) {
                    cycles = 4 * nxy;
                    if (bits == 16) {
                        cycles *= 2;
                    }
                    steps = ceilDiv(elems, 4);
                    cycles = Math.max(cyclesWb, cycles) * steps * nz;
                } else if ((t == NpuBlockType.CONVOLUTION_MXN && !config.partKernel())
                        || t == NpuBlockType.VECTOR_PRODUCT || t == NpuBlockType.REDUCE_SUM) {
                    steps = elems;
                    cycles = Math.max(cyclesWb, 4 * nxy) * steps * nz;
                } else {
                    steps = ceilDiv(elems, bits == 16 ? 2 : 4);
                    cycles = Math.max(cyclesWb, 4 * nxy) * (steps * ceilDiv(ifmBlock.depth(), 8) * nz);
                }
                long delayCycles = 0;
                if (arch == Accelerator.ETHOS_U55_32) {
                    long delay = acc40 ? 7 : 3;
                    if (nx == 1 && ny == 1) {
                        if (nz == 1) {
                            delayCycles = delay * steps;
                        } else if (steps > 1) {
                            delayCycles = delay * (steps - 1) * nz;
                        }
                    }
                    if ((nx == 1 || ny == 1) && nz > 1 && acc40) {
                        delayCycles += delay * nz;
                    }
                } else {
                    long delay = acc40 && (arch == Accelerator.ETHOS_U55_64 || arch == Accelerator.ETHOS_U55_128)
                            ? 3 : 2;
                    if (nx == 1 && ny == 1) {
                        if (nz == 1) {
                            delayCycles = delay * steps;
                        } else if (steps > 1) {
                            delayCycles = delay * (steps - 1) * nz;
                        }
                    }
                }
                if (t == NpuBlockType.CONVOLUTION_MXN && config.partKernel()) {
                    delayCycles *= ceilDiv(ifmBlock.depth(), 8);
                }
                dpu += cycles;
                dpu += delayCycles;
            }
        }
        if (t == NpuBlockType.CONVOLUTION_MXN || t == NpuBlockType.VECTOR_PRODUCT || t == NpuBlockType.REDUCE_SUM) {
            dpu *= ceilDiv(ifmShape.depth(), ifmBlock.depth());
        }
        dpu /= arch.cores();

        long numOfmBlocks = ceilDiv(ofmShape.batch(), ofmBlock.batch()) * ceilDiv(ofmShape.height(), ofmBlock.height())
                * ceilDiv(ofmShape.width(), ofmBlock.width()) * ceilDiv(ofmShape.depth(), ofmBlock.depth());
        double output = Math.ceil(outputCyclesPerElement(q) * ofmBlock.elements());
        if (q.constDepth() > 0) {
            double bias = 10.0 * ofmBlock.depth() * timing(q.constArea()).readLatency() / 256;
            output = Math.max(output, bias);
        }
        double[] mem = minimumMemoryCycles(q);
        double cmd = (mem[0] + mem[1] + output + dpu) / 4;
        dpu = Math.max(dpu, cmd);
        output = Math.max(output, cmd);
        return dpu > output ? dpu * numOfmBlocks + output : output * numOfmBlocks + dpu;
    }

    /** Output-stage cycles per OFM element, raised to the memory-bound rate for elementwise operations. */
    double outputCyclesPerElement(PerformanceQuery q) {
        OpType op = q.opType();
        OutputCycleClass cls;
        NpuBlockType t = q.blockType();
        if (t == NpuBlockType.ELEMENTWISE && q.ifm().bits() == 32) {
            cls = q.ifm2() != null ? OutputCycleClass.ELEMENTWISE_32BIT_BINARY
                    : OutputCycleClass.ELEMENTWISE_32BIT_UNARY;
        } else if (op == OpType.Mul && q.ofm().bits() == 32) {
            cls = OutputCycleClass.MUL_32BIT_OUTPUT;
        } else if (op == OpType.Mul || ((t == NpuBlockType.CONVOLUTION_MXN || t == NpuBlockType.CONVOLUTION_DEPTHWISE
                || t == NpuBlockType.POOLING || t == NpuBlockType.REDUCE_SUM || t == NpuBlockType.VECTOR_PRODUCT)
                && q.config().accumulator40())) {
            cls = OutputCycleClass.MUL_OR_ACC40;
        } else if (op == OpType.Add || op == OpType.Sub) {
            cls = OutputCycleClass.ADVANCED_ADD_SUB;
        } else if (op == OpType.MaxPool) {
            cls = OutputCycleClass.MAX_POOL;
        } else {
            cls = OutputCycleClass.OTHER;
        }
        OpType act = q.activation();
        ActivationCycleClass acls;
        if (act == OpType.Sigmoid || act == OpType.Tanh || act == OpType.Lut) {
            acls = ActivationCycleClass.LOOKUP_TABLE;
        } else if (act == OpType.Relu || act == OpType.Relu6 || act == OpType.ReluN1To1) {
            acls = ActivationCycleClass.CLAMP;
        } else {
            acls = ActivationCycleClass.NONE;
        }
        double cpe = Math.max(arch.outputCyclesPerElement(cls), arch.activationCyclesPerElement(acls));
        if (op.isElementwise()) {
            long nb = q.config().ofmBlock().elements();
            double[] mem = minimumMemoryCycles(q);
            double cmd = (mem[0] + mem[1] + cpe * nb) / 4;
            cpe = Math.max(cpe, cmd / nb);
        }
        return cpe;
    }

    /** Cycles to bring in one IFM block and write out one OFM block: {ifm, ofm}. */
    private double[] minimumMemoryCycles(PerformanceQuery q) {
        BlockConfig c = q.config();
        FeatureMapAccess ifm = q.ifm();
        FeatureMapAccess ofm = q.ofm();
        double ifmCycles = timing(ifm.area()).readLatency() + transferEfficiency(true, ifm.area(), ifm.format(),
                ifm.bits(), c.ifmBlock(), ifm.shape(), min(ifm.shape(), c.ifmBlock()).elements())
                / bandwidthPerCycle(ifm.area());
        double ofmCycles = timing(ofm.area()).writeLatency() + transferEfficiency(false, ofm.area(), ofm.format(),
                ofm.bits(), c.ofmBlock(), ofm.shape(), min(ofm.shape(), c.ofmBlock()).elements())
                / bandwidthPerCycle(ofm.area());
        return new double[] {ifmCycles, ofmCycles};
    }

    /**
     * Bytes the memory effectively moves for {@code toTransfer} useful bytes: bursts shorter than the memory's
     * burst length are charged as whole bursts.
     */
    public double transferEfficiency(boolean read, MemoryArea area, TensorFormat format, int bits, Shape4 block,
            Shape4 shape, double toTransfer) {
        long burst = 8;
        if (format == TensorFormat.NHCWB16) {
            double cStride = (double) bits * 16 * shape.width() / 8;
            if (cStride == block.depth()) {
                burst = (long) bits * block.depth() * block.width();
            } else if (read) {
                burst = 16L * bits * block.width();
            } else {
                burst = 16L * bits * block.width() * arch.cores();
            }
        } else if (format == TensorFormat.NHWC) {
            double zStride = bits / 8.0;
            if (read) {
                burst = zStride == block.depth() ? (long) bits * block.depth() * block.width()
                        : (long) bits * block.depth();
            } else {
                if (block.depth() <= 16 && zStride == block.depth()) {
                    burst = (long) bits * block.depth() * block.width();
                } else {
                    burst = Math.min(64 * 8, Math.min(16L * bits * arch.cores(), (long) block.depth() * bits));
                }
            }
        }
        burst = burst / 8;
        long areaBurst = timing(area).burstLength();
        burst = Math.min(areaBurst, burst);
        return toTransfer * ((double) areaBurst / burst);
    }

    /** Cycles of a DMA copy of {@code bytes} between two areas: the slower side plus the source's read latency. */
    public double mem2memCycles(MemoryArea from, MemoryArea to, double bytes) {
        double fromCycles = Math.floor(bytes / bandwidthPerCycle(from)) + timing(from).readLatency();
        double toCycles = Math.floor(bytes / bandwidthPerCycle(to));
        return Math.max(fromCycles, toCycles);
    }

    // ---------------------------------------------------------------------------------------------- element access

    public ElementAccess elementAccess(PerformanceQuery q) {
        NpuBlockType t = q.blockType();
        if (t == NpuBlockType.DMA) {
            return new ElementAccess(0, 0, 0, 0, 0, 0);
        }
        Shape4 ifmShape = q.ifm().shape();
        Shape4 ofmShape = q.ofm().shape();
        Shape4 ifmBlock = min(ifmShape, q.config().ifmBlock());
        Shape4 ofmBlock = min(ofmShape, q.config().ofmBlock());
        TensorFormat ifmFormat = q.ifm().format();
        long blocksW = ceilDiv(ofmShape.width(), ofmBlock.width());
        long blocksH = ceilDiv(ofmShape.height(), ofmBlock.height());
        long blocksD = ceilDiv(ofmShape.depth(), ofmBlock.depth());
        long blocksN = ceilDiv(ofmShape.batch(), ofmBlock.batch());
        long blockDepth = ofmBlock.depth();
        if (t == NpuBlockType.CONVOLUTION_DEPTHWISE || t == NpuBlockType.POOLING) {
            blocksD = 1;
            blockDepth = ifmShape.depth();
        }
        long ifmRead = 0;
        long ifm2Read = 0;
        long weightRead = 0;
        long scaleRead = 0;
        long refetch = 0;
        switch (t) {
            case CONVOLUTION_MXN, CONVOLUTION_DEPTHWISE, VECTOR_PRODUCT, POOLING, REDUCE_SUM -> {
                int[] limits = subKernelLimits(t);
                // The limits are (height, width) but applied crosswise, as Vela does; equal for every type.
                long subkernels = ceilDiv(q.kernel().width(), limits[0]) * ceilDiv(q.kernel().height(), limits[1]);
                long count = blocksN * blocksH * blocksW * blocksD;
                Shape4 rb = roundToStorage(ifmBlock, ifmFormat);
                long ifmFetch = (long) rb.width() * rb.height() * roundToStorage(ifmShape, ifmFormat).depth();
                long kernelRead = t == NpuBlockType.CONVOLUTION_DEPTHWISE || t == NpuBlockType.POOLING
                        ? q.kernel().elementsWh() : q.kernel().elementsWh() * ifmShape.depth();
                long weightFetch = kernelRead * blockDepth * count;
                ifmRead = ifmFetch * subkernels * count;
                if (t != NpuBlockType.POOLING && t != NpuBlockType.REDUCE_SUM) {
                    weightRead = weightFetch;
                    scaleRead = ofmShape.depth();
                    refetch = blocksW * blocksH;
                }
            }
            case ELEMENTWISE -> {
                long ofmRounded = roundToStorage(ofmShape, ifmFormat).elements();
                if (ifmShape.elements() == 1) {
                    if (q.ifm().bits() > 8) {
                        ifmRead = roundToStorage(ifmShape, ifmFormat).elements();
                    }
                    if (q.ifm2() != null) {
                        ifm2Read = ofmRounded;
                    }
                } else {
                    ifmRead = ofmRounded;
                    if (q.ifm2() != null) {
                        if (q.ifm2().shape().elements() > 1) {
                            ifm2Read = ofmRounded;
                        } else if (q.ifm2().bits() > 8) {
                            ifm2Read = roundToStorage(q.ifm2().shape(), ifmFormat).elements();
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("no access model for block type " + t);
        }
        long ofmWrite = roundToStorage(ofmShape, q.ofm().format()).elements();
        return new ElementAccess(ifmRead, ifm2Read, ofmWrite, refetch, weightRead, scaleRead);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** Sub-kernel limits (height, width) of a block type: 8x8, or 1x1 for vector products and elementwise. */
    static int[] subKernelLimits(NpuBlockType t) {
        return t == NpuBlockType.VECTOR_PRODUCT || t == NpuBlockType.ELEMENTWISE ? new int[] {1, 1}
                : new int[] {8, 8};
    }

    /** The shape rounded up to the layout's storage granule: depth to 16 in NHCWB16. */
    public static Shape4 roundToStorage(Shape4 s, TensorFormat f) {
        return f == TensorFormat.NHCWB16 ? s.withDepth((s.depth() + 15) / 16 * 16) : s;
    }

    public static Shape4 min(Shape4 a, Shape4 b) {
        return new Shape4(Math.min(a.batch(), b.batch()), Math.min(a.height(), b.height()),
                Math.min(a.width(), b.width()), Math.min(a.depth(), b.depth()));
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
