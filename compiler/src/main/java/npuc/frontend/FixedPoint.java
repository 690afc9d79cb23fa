package npuc.frontend;

/**
 * The integer arithmetic of TFLite's reference kernels that lookup tables must reproduce bit for bit:
 * rounding doubling multiplies, saturating shifts and quantized multipliers (Q31 significand with a shift).
 */
final class FixedPoint {
    private FixedPoint() {
    }

    /** x times a quantized multiplier (significand, shift) from {@link SoftmaxTables#quantiseScale}, rounded. */
    static long multiplyByQuantizedMultiplier(long x, long significand, long shift) {
        long s = 31 - shift;
        long left = s > 0 ? s : 0;
        long right = s < 0 ? -s : 0;
        long mul = SoftmaxTables.saturatingRoundingMul32(x * (1L << left), significand);
        return SoftmaxTables.roundingDivideByPot(mul, right);
    }

    /** The quantized multiplier of an elementwise multiply's rescale: ifm scale x ifm2 scale / ofm scale. */
    static long[] elementwiseMulScale(double inputScale, double input2Scale, double outputScale) {
        return SoftmaxTables.quantiseScale(inputScale * input2Scale / outputScale);
    }

    static long saturatingRoundingMul16(long a, long b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        long divider = 1L << 15;
        long ab = a * b;
        if (ab >= 0) {
            return Math.floorDiv(ab + (1L << 14), divider);
        }
        long abPlusNudge = ab + (1 - (1L << 14));
        long result = Math.floorDiv(abPlusNudge, divider);
        // The reference truncates where a floor division rounds down.
        if (result * divider < abPlusNudge) {
            result += 1;
        }
        return result;
    }

    static long saturatingMul16(long a, long b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        long ab = a * b;
        long divider = 1L << 15;
        long result = Math.floorDiv(ab, divider);
        if (ab < 0 && result * divider < ab) {
            result += 1;
        }
        return result;
    }

    static long shiftLeft16(long a, long offset) {
        long shifted = a * (1L << offset);
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, shifted));
    }

    static long downscaleMultiplierInt32ToInt16(long a) {
        long rounding = 1L << 15;
        if (a >= Integer.MAX_VALUE - rounding) {
            return Short.MAX_VALUE;
        }
        return (short) ((a + rounding) >> 16);
    }
}
