package npuc.schedule;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.arch.Accelerator;
import npuc.frontend.ConstArray;
import npuc.frontend.FrontEndResult.HardwareDetails;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.Quant;
import npuc.frontend.RoundingMode;
import npuc.graph.DataType;
import npuc.weights.BiasScaleRecord;
import npuc.weights.EncodedWeights;
import npuc.weights.EncodingParameters;
import npuc.weights.WeightEncoder;
import npuc.weights.OutputRescale;
import npuc.weights.QuantisedScale;
import npuc.weights.WeightEncodingException;
import npuc.weights.WeightKind;
import npuc.weights.WeightVolume;

/**
 * Encodes operations' weights with the real encoder, as the scheduler asks for them. Encodings are cached per
 * compile by what decides the stream: the weight values, how they are traversed (block type, IFM width,
 * reversed kernel), the OFM block depth, the depth slices and the dilation. Operations sharing weights and
 * parameters therefore share one buffer, which is also how the reference counts encoded weights. The scales
 * do not take part in the key: they change the records' contents, never their size.
 * Not thread-safe; one instance per compile.
 */
public final class OperationWeightEncoder implements EncodedWeightSizes {
    private final Accelerator accelerator;
    /** Each distinct weight volume once, so cache keys compare volumes by a number. */
    private final Map<WeightVolume, Integer> volumeIds = new HashMap<>();
    private final Map<TensorInfo, Integer> volumeIdOfTensor = new IdentityHashMap<>();
    private final List<WeightVolume> volumes = new ArrayList<>();
    private final Map<Key, EncodedWeights> encodings = new HashMap<>();
    /** What the scales of each cached encoding were made from. */
    private final Map<Key, ScaleSource> scaleSources = new HashMap<>();
    /** Bias tensors whose scale records some encoding has produced. */
    private final Set<TensorInfo> encodedBiases = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<TensorInfo, ByteBuffer> biasValues = new IdentityHashMap<>();

    /**
     * The bias values, the IFM and OFM scales, and how the operation's details change the rescale (which
     * product, explicit pairs, rounding): equal sources give equal scale records.
     */
    private record ScaleSource(ByteBuffer biasValues, float ifmScale, float ofmScale, boolean fullyConnected,
                               List<QuantisedScale> explicitScales, boolean roundAwayFromZero) {
    }

    /** What an operation's scale records are made from, compared across compiles. */
    private record SharedScaleKey(ScaleSource source, List<Double> weightScales, DataType ifmType) {
    }

    private record Key(int volume, WeightKind kind, int ifmBits, boolean reversed, int blockDepth,
                       List<Integer> slices, int dilationX, int dilationY) {
    }

    private final WeightEncodingCache shared;

    /** An encoder for one compile that makes its buffers itself. */
    public OperationWeightEncoder(Accelerator accelerator) {
        this(accelerator, new WeightEncodingCache());
    }

    /** An encoder for one compile that takes buffers other compiles have made from {@code shared}. */
    public OperationWeightEncoder(Accelerator accelerator, WeightEncodingCache shared) {
        this.accelerator = accelerator;
        this.shared = shared;
    }

    @Override
    public EncodedWeights encode(SchedulerOperation op, int ofmBlockDepth, List<Integer> depthSlices) {
        OperationInfo primary = op.primary();
        int volume = volumeId(op, primary.weights());
        WeightKind kind = kindOf(op);
        boolean reversed = op.type() == OpType.Conv2DBackpropInputSwitchedBias;
        Key key = new Key(volume, kind, op.ifm().bits(), reversed, ofmBlockDepth, List.copyOf(depthSlices),
                primary.kernel().dilationX(), primary.kernel().dilationY());
        ScaleSource scales = scaleSource(op);
        EncodedWeights cached = encodings.get(key);
        if (cached != null) {
            // Same weights: the stream is shared; scales that differ are encoded on their own.
            if (!scales.equals(scaleSources.get(key)) && primary.bias() != null) {
                encodedBiases.add(primary.bias());
            }
            return cached;
        }
        EncodingParameters p = new EncodingParameters(accelerator, kind, key.ifmBits(), ofmBlockDepth,
                key.slices(), key.dilationX(), key.dilationY(), reversed);
        WeightVolume weights = volumes.get(volume);
        EncodedWeights encoded;
        try {
            long[] biases = biases(primary.bias(), weights.ofmDepth());
            Object records = biases == null ? null : new SharedScaleKey(scales, weightScales(primary), ifmType(op));
            encoded = shared.encode(weights, records, p, () -> WeightEncoder.encode(weights, biases,
                    biases == null ? null : scales(op, weights.ofmDepth()), p));
        } catch (WeightEncodingException | IllegalArgumentException e) {
            throw new SchedulingException("cannot encode the weights of " + op.name() + " (" + op.type() + "): "
                    + e.getMessage());
        }
        encodings.put(key, encoded);
        scaleSources.put(key, scales);
        if (primary.bias() != null) {
            encodedBiases.add(primary.bias());
        }
        return encoded;
    }

    @Override
    public int biasElementBytes(SchedulerOperation op) {
        TensorInfo bias = op.primary().bias();
        if (bias == null || encodedBiases.contains(bias)) {
            return BiasScaleRecord.BYTES;
        }
        return bias.type().bytes();
    }

    private ScaleSource scaleSource(SchedulerOperation op) {
        OperationInfo p = op.primary();
        ByteBuffer values = null;
        if (p.bias() != null && p.bias().values() != null) {
            values = biasValues.computeIfAbsent(p.bias(), OperationWeightEncoder::typedBytes);
        }
        Quant ofmQuant = p.forcedOutputQuantization() != null ? p.forcedOutputQuantization()
                : p.ofm() == null ? null : p.ofm().quantization();
        return new ScaleSource(values, scaleOf(p.ifm() == null ? null : p.ifm().quantization()), scaleOf(ofmQuant),
                wasFullyConnected(p), explicitScales(p), roundsAwayFromZero(p));
    }

    /** The bias's type and raw values: two biases with equal ones give equal records. */
    private static ByteBuffer typedBytes(TensorInfo bias) {
        byte[] type = bias.type().name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = bias.values().bytes();
        byte[] all = new byte[type.length + data.length];
        System.arraycopy(type, 0, all, 0, type.length);
        System.arraycopy(data, 0, all, type.length, data.length);
        return ByteBuffer.wrap(all);
    }

    /**
     * The encoding parameters of {@code op}'s weights for an OFM block depth and depth slices: what the
     * scheduler's requests are encoded with.
     */
    public static EncodingParameters parameters(Accelerator accelerator, SchedulerOperation op, int ofmBlockDepth,
            List<Integer> depthSlices) {
        return new EncodingParameters(accelerator, kindOf(op), op.ifm().bits(), ofmBlockDepth, depthSlices,
                op.primary().kernel().dilationX(), op.primary().kernel().dilationY(),
                op.type() == OpType.Conv2DBackpropInputSwitchedBias);
    }

    private static WeightKind kindOf(SchedulerOperation op) {
        NpuBlockType block = op.blockType();
        return switch (block) {
            case CONVOLUTION_DEPTHWISE -> WeightKind.DEPTHWISE;
            case VECTOR_PRODUCT -> WeightKind.VECTOR_PRODUCT;
            case CONVOLUTION_MXN -> WeightKind.CONVOLUTION;
            default -> throw new SchedulingException("operation " + op.name() + " (" + op.type() + ") has weights "
                    + "but runs on the " + block + " block, which reads none");
        };
    }

    private int volumeId(SchedulerOperation op, TensorInfo w) {
        Integer id = volumeIdOfTensor.get(w);
        if (id != null) {
            return id;
        }
        if (w.values() == null) {
            throw new SchedulingException("the weights " + w.name() + " of " + op.name() + " have no values");
        }
        WeightVolume v = shared.volume(w.values(), w.quantization() == null ? List.of()
                : w.quantization().zeroPoints(), () -> volumeOf(op, w));
        id = volumeIds.get(v);
        if (id == null) {
            id = volumes.size();
            volumes.add(v);
            volumeIds.put(v, id);
        }
        volumeIdOfTensor.put(w, id);
        return id;
    }

    /**
     * The zero-point corrected volume of {@code op}'s weights {@code w}. After the front end's rewrites weights
     * are HWIO; fully connected weights are [I, O], a 1x1 kernel.
     */
    public static WeightVolume volumeOf(SchedulerOperation op, TensorInfo w) {
        ConstArray values = w.values();
        if (values == null) {
            throw new SchedulingException("the weights " + w.name() + " of " + op.name() + " have no values");
        }
        int[] shape = values.shape();
        int h = 1;
        int width = 1;
        int i;
        int o;
        if (shape.length == 2) {
            i = shape[0];
            o = shape[1];
        } else if (shape.length == 4) {
            h = shape[0];
            width = shape[1];
            i = shape[2];
            o = shape[3];
        } else {
            throw new SchedulingException("the weights " + w.name() + " of " + op.name() + " have shape "
                    + w.shape() + ", neither HWIO nor [I, O]");
        }
        return WeightVolume.fromHwio(values.toLongArray(), h, width, i, o, zeroPoints(w.quantization(), o));
    }

    private static long[] zeroPoints(Quant q, int ofmDepth) {
        if (q == null || q.zeroPoints().isEmpty()) {
            return new long[] {0};
        }
        List<Long> zp = q.zeroPoints();
        if (zp.size() != ofmDepth) {
            return new long[] {zp.get(0)};
        }
        return zp.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] biases(TensorInfo bias, int ofmDepth) {
        if (bias == null || bias.values() == null) {
            return null;
        }
        long[] values = bias.values().toLongArray();
        if (values.length == ofmDepth) {
            return values;
        }
        long[] out = new long[ofmDepth];
        System.arraycopy(values, 0, out, 0, Math.min(values.length, ofmDepth));
        return out;
    }

    /**
     * Per-channel scales from the IFM, weight and OFM quantisation. Only their count shapes the stream, but they
     * are computed as the hardware would use them so the buffer's contents are right too.
     */
    private static List<QuantisedScale> scales(SchedulerOperation op, int ofmDepth) throws WeightEncodingException {
        OperationInfo primary = op.primary();
        List<Float> weightScales = new ArrayList<>();
        weightScales(primary).forEach(s -> weightScales.add(s.floatValue()));
        if (weightScales.isEmpty()) {
            weightScales.add(1.0f);
        } else if (weightScales.size() != ofmDepth) {
            weightScales.subList(1, weightScales.size()).clear();
        }
        TensorInfo ifm = primary.ifm();
        Quant ofmQuant = primary.forcedOutputQuantization() != null ? primary.forcedOutputQuantization()
                : primary.ofm() == null ? null : primary.ofm().quantization();
        DataType ifmType = ifmType(op);
        boolean int64Bias = primary.bias() != null && primary.bias().type() == DataType.INT64;
        OutputRescale rescale = new OutputRescale(ifmType, wasFullyConnected(primary),
                scaleOf(ifm == null ? null : ifm.quantization()), weightScales, scaleOf(ofmQuant), int64Bias,
                roundsAwayFromZero(primary), explicitScales(primary));
        return rescale.perChannel(ofmDepth);
    }

    private static List<Double> weightScales(OperationInfo op) {
        Quant wq = op.weights().quantization();
        return wq == null ? List.of() : wq.scales();
    }

    private static DataType ifmType(SchedulerOperation op) {
        TensorInfo ifm = op.primary().ifm();
        return ifm == null ? DataType.INT8 : ifm.type();
    }

    /**
     * Whether the operation was a fully connected layer in the model. The rounding of its scales follows TFLite's
     * kernel for the operator as written, so a convolution the rewrites turned into a fully connected layer (a
     * 1x1 kernel on a 1x1 input) keeps the convolution's rounding.
     */
    private static boolean wasFullyConnected(OperationInfo op) {
        OpType original = op.hardware().originalType();
        return (original != null ? original : op.type()) == OpType.FullyConnected;
    }

    /** The multiplier and shift pairs a rewrite fixed, which replace the quantisation's; empty if none. */
    private static List<QuantisedScale> explicitScales(OperationInfo op) {
        HardwareDetails details = op.hardware();
        List<Integer> shifts = details.explicitScalingShift();
        List<Integer> multipliers = details.explicitScalingMultiplier();
        if (shifts.size() != multipliers.size()) {
            throw new SchedulingException("operation " + op.name() + " has " + shifts.size()
                    + " explicit scaling shifts but " + multipliers.size() + " multipliers");
        }
        List<QuantisedScale> scales = new ArrayList<>();
        for (int i = 0; i < shifts.size(); i++) {
            // The record's multiplier is a 32-bit unsigned field.
            scales.add(new QuantisedScale(Integer.toUnsignedLong(multipliers.get(i)), shifts.get(i)));
        }
        return scales;
    }

    /** Rounding away from zero needs the next multiplier up in the records. */
    private static boolean roundsAwayFromZero(OperationInfo op) {
        return op.hardware().rounding() == RoundingMode.AWAY_ZERO;
    }

    private static float scaleOf(Quant q) {
        return q == null || q.scales().isEmpty() || Double.isNaN(q.scale()) ? 1.0f : (float) q.scale();
    }
}
