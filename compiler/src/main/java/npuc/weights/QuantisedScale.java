package npuc.weights;

/**
 * A rescale factor in the form the NPU applies it: {@code multiplier / 2^shift}, with a 32-bit unsigned
 * multiplier and a 6-bit shift.
 */
public record QuantisedScale(long multiplier, int shift) {
    /** What a scale outside the representable range becomes: no output at all. */
    public static final QuantisedScale ZERO = new QuantisedScale(0, 16);

    /**
     * The scale as a Q31 significand (rounded half away from zero) and the shift that places it; scales too
     * small or too large for a 6-bit shift become {@link #ZERO}.
     */
    public static QuantisedScale of(double scale) {
        if (scale == 0.0 || Double.isNaN(scale) || Double.isInfinite(scale)) {
            // frexp gives exponent 0 for zero; NaN and infinities have no representable shift.
            return scale == 0.0 ? new QuantisedScale(0, 31) : ZERO;
        }
        int exponent = Math.getExponent(scale) + 1;
        double significand = scale / Math.scalb(1.0, exponent);
        if (Math.getExponent(scale) < Double.MIN_EXPONENT) {
            // Subnormal: normalise through a power of two so the significand lands in [0.5, 1).
            double normal = scale * Math.scalb(1.0, 64);
            exponent = Math.getExponent(normal) + 1 - 64;
            significand = normal / Math.scalb(1.0, Math.getExponent(normal) + 1);
        }
        long q31 = roundAwayFromZero(significand * (1L << 31));
        int shift = 31 - exponent;
        if (shift < 0 || shift >= 64) {
            return ZERO;
        }
        return new QuantisedScale(q31, shift);
    }

    /**
     * The reduced-precision form used for 16-bit IFMs with 64-bit biases: a 16-bit multiplier (saturating at
     * 32767) and a shift 16 smaller.
     */
    public static QuantisedScale reduced(double scale) {
        QuantisedScale full = of(scale);
        long multiplier = full.multiplier < (32767L << 16) ? (full.multiplier + (1L << 15)) >> 16 : 32767;
        return new QuantisedScale(multiplier, full.shift - 16);
    }

    private static long roundAwayFromZero(double value) {
        double r = value < 0 ? -0.5 : 0.5;
        double t = value + r;
        return (long) (t < 0 ? Math.ceil(t) : Math.floor(t));
    }

    /** The same multiplier one step further from zero, for operations that round away from zero. */
    public QuantisedScale roundedAwayFromZero() {
        return new QuantisedScale(multiplier + 1, shift);
    }
}
