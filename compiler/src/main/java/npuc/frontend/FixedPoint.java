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
        return SoftmaxTables.saturatingRoundingMul(a, b, 16);
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

    private static final long INT32_MIN = Integer.MIN_VALUE;
    private static final long INT32_MAX = Integer.MAX_VALUE;

    /** gemmlowp's saturating rounding multiply by 2^exponent of a 32-bit raw value. */
    static long saturatingRoundingMultiplyByPot(long x, int exponent) {
        if (exponent < 0) {
            return SoftmaxTables.roundingDivideByPot(x, -exponent);
        }
        long threshold = (1L << (31 - exponent)) - 1;
        if (x > threshold) {
            return INT32_MAX;
        }
        if (x < -threshold) {
            return INT32_MIN;
        }
        return x << exponent;
    }

    /** TFLite's MultiplyByQuantizedMultiplier (a left shift when {@code shift} is positive). */
    static long multiplyByQuantizedMultiplierTflite(long x, long multiplier, long shift) {
        long left = shift > 0 ? shift : 0;
        long right = shift > 0 ? 0 : -shift;
        return SoftmaxTables.roundingDivideByPot(SoftmaxTables.saturatingRoundingMul32(x * (1L << left), multiplier),
                right);
    }

    /**
     * 1/sqrt(value) in 32-bit fixed point by five Newton-Raphson steps in Q3.28, as TFLite's
     * GetInvSqrtQuantizedMultiplierExp computes it: {multiplier, shift} with the shift's sign reversed by
     * {@code reverseShift}.
     */
    static long[] invSqrtQuantizedMultiplierExp(long value, int reverseShift) {
        if (value <= 1) {
            return new long[]{INT32_MAX, 0};
        }
        long input = value;
        long shift = 11;
        while (input >= (1L << 29)) {
            input /= 4;
            shift++;
        }
        int maxLeftShiftBits = Integer.numberOfLeadingZeros((int) input) - 1;
        int pairs = maxLeftShiftBits / 2 - 1;
        shift -= pairs;
        input <<= 2 * pairs;
        long x3Input = input >> 1;
        long halfInput = saturatingRoundingMultiplyByPot(x3Input, -1);
        long halfThree = (1L << 28) + (1L << 27);
        long x = 1L << 28;
        for (int i = 0; i < 5; i++) {
            long x2 = SoftmaxTables.saturatingRoundingMul32(x, x);
            long x3 = saturatingRoundingMultiplyByPot(SoftmaxTables.saturatingRoundingMul32(x2, x), 6);
            long a = SoftmaxTables.saturatingRoundingMul32(halfThree, x);
            long b = SoftmaxTables.saturatingRoundingMul32(halfInput, x3);
            x = saturatingRoundingMultiplyByPot((int) (a - b), 3);
        }
        long halfSqrt2 = 1518500250L;
        x = SoftmaxTables.saturatingRoundingMul32(x, halfSqrt2);
        if (shift < 0) {
            x <<= -shift;
            shift = 0;
        }
        return new long[]{x, shift * reverseShift};
    }

    /** TFLite's int8 RSQRT of a zero-point-free input value, before the output rescale: 2^20 / sqrt(value). */
    static long referenceRsqrt(long value) {
        if (value == 0) {
            return 0;
        }
        long[] m = invSqrtQuantizedMultiplierExp(value, -1);
        return multiplyByQuantizedMultiplierTflite(1, m[0], m[1] + 20);
    }
}
