package npuc.codegen;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.Target;
import npuc.frontend.ActivationFunction;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.MemoryFunction;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.Quant;
import npuc.frontend.RoundingMode;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;
import npuc.graph.DataType;
import npuc.perf.BlockConfig;
import npuc.schedule.OpSchedule;
import npuc.schedule.ScheduledSubgraph;
import npuc.schedule.SchedulerOperation;
import npuc.schedule.SchedulerTensor;
import npuc.weights.EncodedWeights;
import npuc.weights.WeightRange;

/**
 * Turns high-level commands into {@link NpuOperation}s: feature-map areas with their tiles, strides and
 * addresses, the weight and scale ranges of a stripe, padding, activation limits, rounding and output scaling.
 */
final class NpuOperationBuilder {
    private final Target target;
    private final MemoryPlacement placement;

    /** The SHRAM address of each operation's lookup table: the last placement given to it. */
    private final java.util.Map<SchedulerOperation, Integer> tables = new java.util.IdentityHashMap<>();

    /** Rows of the rolling buffer each cascaded feature map is kept in, by tensor. */
    private final java.util.Map<TensorInfo, Integer> rollingBuffers = new java.util.IdentityHashMap<>();

    NpuOperationBuilder(Target target, MemoryPlacement placement, ScheduledSubgraph subgraph,
                        List<HighLevelCommand> commands) {
        this.target = target;
        this.placement = placement;
        for (npuc.schedule.Cascade cascade : subgraph.cascades()) {
            cascade.buffers().forEach((index, shape) -> rollingBuffers.put(
                    subgraph.ops().get(index).op().ifm().tensor(), shape.height()));
        }
        for (HighLevelCommand c : commands) {
            if (c instanceof HighLevelCommand.LutDma l) {
                tables.put(l.op().op(), l.shramAddress());
            }
        }
    }

    /**
     * The NPU operation of {@code c}; null for a lookup table already in place, a copy within the same bytes, or a
     * stripe of an operation no NPU block runs (the reference skips those too).
     */
    NpuOperation build(HighLevelCommand c) {
        if (c instanceof HighLevelCommand.WeightDma d) {
            return weightDma(d);
        }
        if (c instanceof HighLevelCommand.LutDma l) {
            return l.transfer() ? lutDma(l) : null;
        }
        if (c instanceof HighLevelCommand.FeatureMapDma f) {
            return featureMapDma(f);
        }
        HighLevelCommand.NpuStripe stripe = (HighLevelCommand.NpuStripe) c;
        return stripe.op().op().blockType() == NpuBlockType.DEFAULT ? null : block(stripe);
    }

    /** The copy of a whole feature map, or null when source and destination are the same bytes. */
    private NpuOperation.Dma featureMapDma(HighLevelCommand.FeatureMapDma f) {
        SchedulerOperation op = f.op().op();
        Address src = placement.featureMap(op.ifm().tensor());
        Address dst = placement.featureMap(op.ofm().tensor());
        if (src.equals(dst)) {
            return null;
        }
        Shape4 shape = op.ifm().shape();
        NpuOperation.FeatureMap fm = featureMap(op.ifm(), Box.of(shape));
        // One past the last element, rounded up to the DMA's 16-byte granule.
        long last = fm.tileAddresses().get(0) - src.offset() + (shape.height() - 1L) * fm.strideY()
                + (shape.width() - 1L) * fm.strideX() + lastChannelOffset(fm, shape.depth() - 1)
                + (shape.batch() - 1L) * fm.strideY() * shape.height();
        long size = roundUp(last + op.ifm().type().bytes(), 16);
        return new NpuOperation.Dma(op.name(), new NpuOperation.AddressRange(src.region(), src.offset(), size),
                new NpuOperation.AddressRange(dst.region(), dst.offset(), size));
    }

    private static long lastChannelOffset(NpuOperation.FeatureMap fm, int c) {
        int elem = fm.type().bytes();
        return fm.brick() ? (c / 16) * fm.strideC() + (long) (c % 16) * elem : (long) c * elem;
    }

    private NpuOperation.Dma lutDma(HighLevelCommand.LutDma l) {
        SchedulerOperation op = l.op().op();
        Address src = placement.lookupTable(op);
        long size = roundUp(op.primary().activation().lut().byteSize(), 16);
        return new NpuOperation.Dma(op.name(), new NpuOperation.AddressRange(src.region(), src.offset(), size),
                new NpuOperation.AddressRange(Address.SHRAM, l.shramAddress(), size));
    }

    private NpuOperation.Dma weightDma(HighLevelCommand.WeightDma d) {
        SchedulerOperation op = d.op().op();
        EncodedWeights w = d.op().schedule().weights();
        Address src = placement.weights(op);
        Address dst = placement.weightBuffer(op, d.buffer());
        long size = w.sliceTransferBytes(d.depthStart());
        // The slices of every core follow each other from core 0's.
        WeightRange first = w.range(0, d.depthStart());
        long srcOffset = first == null ? 0 : first.offset();
        return new NpuOperation.Dma(op.name(),
                new NpuOperation.AddressRange(src.region(), src.offset() + srcOffset, size),
                new NpuOperation.AddressRange(dst.region(), dst.offset(), size));
    }

    private NpuOperation.Block block(HighLevelCommand.NpuStripe s) {
        SchedulerOperation op = s.op().op();
        OpSchedule schedule = s.op().schedule();
        OperationInfo primary = op.primary();
        PassInfo pass = op.pass();
        NpuBlockType blockType = op.blockType();
        NpuOperation.Kind kind = switch (blockType) {
            case CONVOLUTION_MXN, VECTOR_PRODUCT -> NpuOperation.Kind.CONV;
            case CONVOLUTION_DEPTHWISE -> NpuOperation.Kind.DEPTHWISE;
            case POOLING, REDUCE_SUM -> NpuOperation.Kind.POOL;
            case ELEMENTWISE -> NpuOperation.Kind.ELEMENTWISE;
            default -> throw new IllegalArgumentException(op.name() + ": block type " + blockType
                    + " has no NPU operation");
        };
        boolean fusedQuantize = pass.ops().stream().anyMatch(o -> o.type() == OpType.Quantize
                || o.hardware().originalType() == OpType.Quantize);
        ActivationFunction act = activation(op);
        boolean explicitScaling = primary.hardware().hasExplicitScaling();

        SchedulerTensor ifmT = op.ifm();
        SchedulerTensor ifm2T = op.ifm2();
        Box ifmBox = s.ifmBox();
        Box ifm2Box = s.ifm2Box();
        boolean reversed = op.reversedOperands();
        int mode = 0;
        if (kind == NpuOperation.Kind.ELEMENTWISE) {
            mode = elementwiseMode(op.type());
            if (ifm2T != null && !reversed && !correctOrder(ifmT, ifm2T)) {
                // The scalar or broadcast operand must be the second.
                SchedulerTensor t = ifmT;
                ifmT = ifm2T;
                ifm2T = t;
                Box b = ifmBox;
                ifmBox = ifm2Box;
                ifm2Box = b;
                reversed = true;
            }
        } else if (kind == NpuOperation.Kind.POOL) {
            mode = switch (op.type()) {
                case MaxPool -> 0;
                case ReduceSum -> 2;
                default -> 1;
            };
        }

        Shape4 ifmBlock = ifmBox.size();
        Shape4 ofmBlock = s.ofmBox().size();
        int ifmDepth = blockType == NpuBlockType.CONVOLUTION_MXN || blockType == NpuBlockType.VECTOR_PRODUCT
                || blockType == NpuBlockType.REDUCE_SUM ? ifmBlock.depth() : ofmBlock.depth();
        NpuOperation.FeatureMap ifm = featureMap(ifmT, ifmBox)
                .withShape(ifmBlock.height(), ifmBlock.width(), ifmDepth);
        ifm = ifm.withZeroPoint(zeroPoint(op, ifmT.tensor().quantization(), ifmT.type(), true, fusedQuantize))
                .withScale(scaleOf(ifmT.tensor().quantization()));
        NpuOperation.FeatureMap ifm2 = null;
        Integer scalar = null;
        if (ifm2T != null && kind == NpuOperation.Kind.ELEMENTWISE && !op.type().isUnaryElementwise()) {
            ifm2 = featureMap(ifm2T, ifm2Box);
            ifm2 = ifm2.withZeroPoint(zeroPoint(op, ifm2T.tensor().quantization(), ifm2T.type(), true,
                    fusedQuantize)).withScale(scaleOf(ifm2T.tensor().quantization()));
            if (ifm2T.tensor().shape().isEmpty()) {
                Quant q = ifm2T.tensor().quantization();
                long raw = ifm2T.tensor().values().get(0);
                // The scalar is dequantized with the tensor's own quantization, then quantized for the operation.
                boolean quantized = q != null && !q.scales().isEmpty();
                double value = quantized ? (raw - q.zeroPoint()) * (double) (float) q.scale() : raw;
                scalar = (int) quantise(value, quantized ? q.scale() : 1.0, ifm2.zeroPoint());
                ifm2 = ifm2.withShape(0, 0, 0);
            } else {
                Shape4 b = ifm2Box.size();
                ifm2 = ifm2.withShape(b.height(), b.width(), b.depth());
            }
        }
        Quant ofmQuant = primary.forcedOutputQuantization() != null ? primary.forcedOutputQuantization()
                : op.ofm().tensor().quantization();
        boolean transposing = primary.hardware().originalType() == OpType.Transpose;
        NpuOperation.FeatureMap ofm = featureMap(op.ofm(), s.ofmBox(), transposing)
                .withShape(ofmBlock.height(), ofmBlock.width(), ofmBlock.depth());
        ofm = ofm.withZeroPoint(zeroPoint(op, ofmQuant, op.ofm().type(), false, fusedQuantize))
                .withScale(scaleOf(ofmQuant));

        // Weights and scales of this stripe's OFM channels.
        List<NpuOperation.AddressRange> weights = new ArrayList<>();
        List<NpuOperation.AddressRange> scales = new ArrayList<>();
        EncodedWeights w = schedule.weights();
        boolean partKernel = false;
        if (w != null) {
            partKernel = w.traversal() == npuc.weights.BlockTraversal.PART_KERNEL_FIRST;
            Address base = s.weightBuffer() < 0 ? placement.weights(op) : placement.weightBuffer(op, s.weightBuffer());
            long coreOffset = 0;
            for (int core = 0; core < target.accelerator().cores(); core++) {
                WeightRange r = w.range(core, s.weightDepthStart());
                if (r == null) {
                    continue;
                }
                long address;
                if (s.weightBuffer() < 0) {
                    address = base.offset() + r.offset();
                } else {
                    address = base.offset() + coreOffset;
                    coreOffset += roundUp(r.totalBytes(), 16);
                }
                weights.add(new NpuOperation.AddressRange(base.region(), address + r.weightOffset(),
                        roundUp(r.weightBytes(), 16)));
                scales.add(new NpuOperation.AddressRange(base.region(), address, roundUp(r.scaleBytes(), 16)));
            }
        }
        if (blockType == NpuBlockType.VECTOR_PRODUCT) {
            partKernel = false;
        }

        int rounding = 0;
        OpType original = primary.hardware().originalType();
        if (op.type() == OpType.ResizeBilinear || op.type() == OpType.ResizeNearestNeighbor) {
            rounding = 2;
        } else if (original != null && (original.blockType() == NpuBlockType.CONVOLUTION_MXN
                || original.blockType() == NpuBlockType.CONVOLUTION_DEPTHWISE) && ifmT.type() == DataType.INT16) {
            rounding = 2;
        } else if (!fusedQuantize && op.type() == OpType.AvgPool
                && primary.memoryFunction() == MemoryFunction.CONCAT_SLICE_WRITE
                && op.kernel().width() * op.kernel().height() == 1) {
            rounding = 2;
        }

        RoundingMode fixed = primary.hardware().rounding();
        if (fixed != null) {
            rounding = fixed == RoundingMode.TO_ZERO ? 1 : fixed == RoundingMode.TFLITE ? 0 : 2;
        }

        NpuOperation.Kernel kernel = null;
        int[] padding = null;
        if (kind != NpuOperation.Kind.ELEMENTWISE) {
            kernel = new NpuOperation.Kernel(op.kernel().width(), op.kernel().height(), op.kernel().strideX(),
                    op.kernel().strideY(), op.kernel().dilationX(), op.kernel().dilationY());
            padding = padding(s, op, primary);
        }

        // Output scale overrides of elementwise operations.
        if (kind == NpuOperation.Kind.ELEMENTWISE && !explicitScaling) {
            Double outputScale = null;
            if (op.type() == OpType.Add && original != null
                    && (original == OpType.ResizeBilinear || original == OpType.ResizeNearestNeighbor)) {
                outputScale = ifm2.scale();
            } else if (op.type() == OpType.Abs) {
                outputScale = (double) ((float) ifm.scale() / (float) ofm.scale());
            } else if (op.type() == OpType.LeakyRelu) {
                outputScale = (double) primary.hardware().alpha();
            } else if ((op.type() == OpType.Add || op.type() == OpType.Mul || op.type() == OpType.Sub)
                    && act != null && (act.type() == OpType.Sigmoid || act.type() == OpType.Tanh)) {
                outputScale = 1.0 / 0x3000;
            }
            if (outputScale != null) {
                ofm = ofm.withScale(outputScale);
            }
        }

        // Activation.
        int activation = 0;
        Double min = null;
        Double max = null;
        boolean usesLut = false;
        if (act != null) {
            switch (act.type()) {
                case Tanh -> activation = 3;
                case Sigmoid -> activation = 4;
                case Lut -> {
                    int address = tables.getOrDefault(op, target.accelerator().shramLutAddress());
                    activation = 16 + (address - target.accelerator().shramLutAddress())
                            / LookupTableSlots.SLOT_BYTES;
                    usesLut = true;
                }
                case Relu -> min = 0.0;
                case Relu6 -> {
                    min = 0.0;
                    max = 6.0;
                }
                case ReluN1To1 -> {
                    min = -1.0;
                    max = 1.0;
                }
                default -> {
                }
            }
            if (act.min() != null) {
                min = act.min();
            }
            if (act.max() != null) {
                max = act.max();
            }
            if (activation == 0 && op.type() == OpType.AvgPool && !explicitScaling && ofmQuant != null
                    && ofmQuant.zeroPoint() != 0) {
                double sc = Double.isNaN(ofmQuant.scale()) ? 1.0 : ofmQuant.scale();
                if (min != null) {
                    min = (double) ((float) sc * quantise(min, sc, ofmQuant.zeroPoint()));
                }
                if (max != null) {
                    max = (double) ((float) sc * quantise(max, sc, ofmQuant.zeroPoint()));
                }
            }
        }
        double ofmScaleForLimits = Double.isNaN(ofm.scale()) ? 1.0 : ofm.scale();
        long qmin = min == null ? ofm.minValue() : quantise(min, ofmScaleForLimits, ofm.zeroPoint());
        long qmax = max == null ? ofm.maxValue() : quantise(max, ofmScaleForLimits, ofm.zeroPoint());
        qmin = Math.max(Math.max(qmin, Short.MIN_VALUE), ofm.minValue());
        qmax = Math.min(Math.min(qmax, Short.MAX_VALUE), ofm.maxValue());
        if (usesLut && ofm.type() == DataType.INT32) {
            activation |= 3 << 12;
            qmin = Math.max(-128, qmin);
            qmax = Math.min(127, qmax);
        }

        NpuOperation.Scaling scaling = OutputScaling.of(kind, mode, op, primary, ifm, ifm2, ofm, padding, kernel,
                act, reversed, fusedQuantize);
        BlockConfig bc = schedule.blockConfig();
        int accFormat = accumulatorFormat(blockType, ifmT.type().bits(), ifm, ifm2, ofm);
        int upscale = switch (primary.ifmResampling()) {
            case NONE -> 0;
            case NEAREST -> 1;
            case TRANSPOSE -> 2;
        };
        int ifmBlockDepth = kind == NpuOperation.Kind.CONV
                ? target.accelerator().ifmBlockDepth(ifm.depth(), ifm.type().bits()) : ofm.depth();
        return new NpuOperation.Block(kind, mode, primary.name(), ifm, ifm2, scalar, ofm, kernel, padding,
                partKernel, weights, scales, activation, (int) qmin, (int) qmax, usesLut, bc.ofmBlock().height(),
                bc.ofmBlock().width(), bc.ofmBlock().depth(), bc.layout(), accFormat, upscale, rounding, scaling,
                reversed, ifmBlockDepth);
    }

    /** 40-bit accumulators for scaled 16-bit IFMs outside pooling, else 32-bit. */
    private static int accumulatorFormat(NpuBlockType blockType, int ifmBits, NpuOperation.FeatureMap ifm,
                                         NpuOperation.FeatureMap ifm2, NpuOperation.FeatureMap ofm) {
        boolean scaled = !Double.isNaN(ifm.scale()) && !Double.isNaN(ofm.scale())
                && (ifm2 == null || !Double.isNaN(ifm2.scale()));
        return ifmBits == 16 && blockType != NpuBlockType.POOLING && scaled ? 1 : 0;
    }

    private static int elementwiseMode(OpType t) {
        return switch (t) {
            case Mul -> 0;
            case Add -> 1;
            case Sub -> 2;
            case Minimum -> 3;
            case Maximum -> 4;
            case LeakyRelu -> 5;
            case Abs -> 6;
            case CLZ -> 7;
            case SHR -> 8;
            case SHL -> 9;
            default -> throw new IllegalArgumentException("elementwise " + t + " has no NPU mode");
        };
    }

    private static boolean correctOrder(SchedulerTensor ifm, SchedulerTensor ifm2) {
        if (ifm.tensor().shape().isEmpty()) {
            return false;
        }
        if (ifm2.tensor().shape().isEmpty()) {
            return true;
        }
        int[] a = ifm.shape().toArray();
        int[] b = ifm2.shape().toArray();
        for (int i = 0; i < 4; i++) {
            if (a[i] != b[i] && a[i] == 1) {
                return false;
            }
        }
        return true;
    }

    private int[] padding(HighLevelCommand.NpuStripe s, SchedulerOperation op, OperationInfo primary) {
        if (op.blockType() == NpuBlockType.VECTOR_PRODUCT) {
            return new int[4];
        }
        List<Integer> ep = primary.explicitPadding();
        int top = ep == null ? 0 : ep.get(0);
        int left = ep == null ? 0 : ep.get(1);
        int bottom = ep == null ? 0 : ep.get(2);
        int right = ep == null ? 0 : ep.get(3);
        if (!(s.firstHeightStripe() && s.lastHeightStripe())) {
            top = s.padTop();
            bottom = s.padBottom();
        }
        int minStart;
        int maxEnd;
        Shape4 readOffset = primary.ifmReadOffset();
        if (readOffset == null) {
            minStart = 0;
            maxEnd = op.pass().ifmShape() != null ? op.pass().ifmShape().width() : op.ifm().shape().width();
        } else {
            minStart = readOffset.width();
            maxEnd = primary.ifmReadShape().width();
        }
        if (s.ifmBox().start().width() > minStart) {
            left = 0;
        }
        if (s.ifmBox().end().width() < maxEnd) {
            right = 0;
        }
        return new int[] {top, left, bottom, right};
    }

    /** Vela's rule for operations whose zero points the hardware must not apply. */
    private static long zeroPoint(SchedulerOperation op, Quant q, DataType type, boolean isIfm,
                                  boolean fusedQuantize) {
        if (q == null) {
            return 0;
        }
        if (type == DataType.INT32 && isIfm) {
            return 0;
        }
        OperationInfo primary = op.primary();
        OpType t = op.type();
        boolean resize = t == OpType.ResizeBilinear || t == OpType.ResizeNearestNeighbor;
        if (t != OpType.AvgPool && t != OpType.CLZ && t != OpType.SHL && !resize) {
            return q.zeroPoint();
        }
        if (t == OpType.AvgPool && primary.hardware().hasExplicitScaling()) {
            return q.zeroPoint();
        }
        ActivationFunction act = activation(op);
        boolean useZero = (act == null || primary.forcedOutputQuantization() != null
                || (t == OpType.AvgPool && act.type().isRelu()))
                && primary.memoryFunction() != MemoryFunction.CONCAT_SLICE_WRITE && !fusedQuantize;
        return useZero ? 0 : q.zeroPoint();
    }

    /**
     * The activation the NPU applies for {@code op}'s pass. As Vela generates the commands, a ReLU, tanh or sigmoid
     * packed into the pass after its primary operation replaces the primary's own activation (the last such
     * operation wins), with its type's standard limits; the scheduler's estimates kept the primary's.
     */
    static ActivationFunction activation(SchedulerOperation op) {
        ActivationFunction act = op.primary().activation();
        for (OperationInfo o : op.pass().ops()) {
            OpType t = o.type();
            if (t.isRelu() || t == OpType.Tanh || t == OpType.Sigmoid) {
                act = switch (t) {
                    case Relu -> new ActivationFunction(t, 0.0, null, null);
                    case Relu6 -> new ActivationFunction(t, 0.0, 6.0, null);
                    case ReluN1To1, Tanh -> new ActivationFunction(t, -1.0, 1.0, null);
                    case Sigmoid -> new ActivationFunction(t, 0.0, 1.0, null);
                    default -> ActivationFunction.of(t);
                };
            }
        }
        return act;
    }

    private static double scaleOf(Quant q) {
        return q == null || q.scales().isEmpty() ? Double.NaN : q.scale();
    }

    /** Vela's float32 quantisation: zero point plus value / scale rounded away from zero, in single precision. */
    static long quantise(double value, double scale, long zeroPoint) {
        float f = (float) value / (float) scale;
        float r = f < 0 ? -0.5f : 0.5f;
        float t = f + r;
        return zeroPoint + (long) t;
    }

    private NpuOperation.FeatureMap featureMap(SchedulerTensor t, Box box) {
        return featureMap(t, box, false);
    }

    /**
     * @param transposed the OFM of a transpose: written with its height and width strides exchanged, which puts
     *                   each element where the transposed tensor has it
     */
    private NpuOperation.FeatureMap featureMap(SchedulerTensor t, Box box, boolean transposed) {
        Address base = placement.featureMap(t.tensor());
        Integer rollingRows = rollingBuffers.get(t.tensor());
        // Cascaded feature maps live in rolling buffers of whole bricks, a few rows high.
        boolean brick = rollingRows != null || t.format() == TensorFormat.NHCWB16;
        int elem = t.type().bytes();
        Shape4 opShape = t.shape();
        boolean scalar = t.tensor().shape().isEmpty();
        int depth = brick ? roundUp(opShape.depth(), 16) : opShape.depth();
        Shape4 storage = rollingRows == null ? new Shape4(opShape.batch(), opShape.height(), opShape.width(), depth)
                : new Shape4(1, Math.min(opShape.height(), rollingRows), opShape.width(), depth);
        long strideC;
        long strideX;
        long strideY;
        long strideN;
        if (brick) {
            strideX = 16L * elem;
            strideC = strideX * storage.width();
            strideY = (long) storage.width() * storage.depth() * elem;
            strideN = strideY * storage.height();
        } else if (transposed) {
            strideC = elem;
            strideY = (long) elem * storage.depth();
            strideX = strideY * storage.height();
            strideN = strideX * storage.width();
        } else {
            strideC = elem;
            strideX = (long) elem * storage.depth();
            strideY = strideX * storage.width();
            strideN = strideY * storage.height();
        }
        long[] addresses = new long[4];
        int h0;
        int w0;
        if (scalar) {
            h0 = 1;
            w0 = 1;
            addresses[0] = base.offset();
        } else {
            Shape4 st = box.start();
            Shape4 en = box.end();
            int crossY = Math.min(roundUp(st.height() + 1, storage.height()), en.height());
            int crossX = Math.min(roundUp(st.width() + 1, storage.width()), en.width());
            h0 = crossY - st.height();
            w0 = crossX - st.width();
            addresses[0] = base.offset() + offset(st.batch(), st.height(), st.width(), st.depth(), storage, brick,
                    elem, strideN, strideY, strideX, strideC);
            if (en.height() > crossY) {
                addresses[2] = base.offset() + offset(st.batch(), crossY, st.width(), st.depth(), storage, brick,
                        elem, strideN, strideY, strideX, strideC);
            }
        }
        List<Long> tiles = List.of(addresses[0], addresses[1], addresses[2], addresses[3]);
        return new NpuOperation.FeatureMap(base.region(), t.type(), brick, 0, 0, 0, h0, h0, w0, tiles, strideY,
                strideX, strideC, 0, Double.NaN);
    }

    private static long offset(int n, int h, int w, int c, Shape4 storage, boolean brick, int elem, long strideN,
                               long strideY, long strideX, long strideC) {
        n %= storage.batch();
        h %= storage.height();
        w %= storage.width();
        c %= storage.depth();
        if (brick) {
            return n * strideN + (c / 16) * strideC + h * strideY + w * strideX + (long) (c % 16) * elem;
        }
        return n * strideN + h * strideY + w * strideX + (long) c * strideC;
    }

    static int roundUp(int v, int q) {
        return (v + q - 1) / q * q;
    }

    static long roundUp(long v, long q) {
        return (v + q - 1) / q * q;
    }
}
