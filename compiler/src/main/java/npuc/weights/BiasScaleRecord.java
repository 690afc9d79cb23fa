package npuc.weights;

/**
 * The 10-byte record the NPU reads per output channel before a core's weights: a 40-bit two's-complement
 * bias, a 32-bit unsigned scale multiplier and a 6-bit shift, little-endian and packed in that order.
 */
public final class BiasScaleRecord {
    public static final int BYTES = 10;
    public static final long MIN_BIAS = -(1L << 39);
    public static final long MAX_BIAS = (1L << 39) - 1;

    private BiasScaleRecord() {
    }

    /** Writes the record for one channel at {@code offset} of {@code out}. */
    public static void write(long bias, QuantisedScale scale, byte[] out, int offset) throws WeightEncodingException {
        if (bias < MIN_BIAS || bias > MAX_BIAS) {
            throw new WeightEncodingException("bias " + bias + " does not fit the NPU's 40 bits");
        }
        if (scale.multiplier() < 0 || scale.multiplier() >= (1L << 32)) {
            throw new WeightEncodingException("scale multiplier " + scale.multiplier() + " does not fit 32 bits");
        }
        if (scale.shift() < 0 || scale.shift() >= 64) {
            throw new WeightEncodingException("scale shift " + scale.shift() + " does not fit 6 bits");
        }
        for (int i = 0; i < 5; i++) {
            out[offset + i] = (byte) (bias >> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[offset + 5 + i] = (byte) (scale.multiplier() >> (8 * i));
        }
        out[offset + 9] = (byte) (scale.shift() & 0x3f);
    }

    /** The record as a new array. */
    public static byte[] of(long bias, QuantisedScale scale) throws WeightEncodingException {
        byte[] out = new byte[BYTES];
        write(bias, scale, out, 0);
        return out;
    }
}
