package npuc.frontend;

/**
 * The fixed-point arithmetic of the softmax exp table (gemmlowp's, as the TFLite reference kernel uses it):
 * each 8-bit input difference to the row maximum maps to exp() in Q5.26 on 32 bits.
 */
final class SoftmaxTables {
    private SoftmaxTables() {
    }

    static long[] expTable(double beta, double inputScale) {
        int integerBits = 5;
        int totalSignedBits = 31;
        double realBeta = Math.min(beta * inputScale * (1L << (31 - integerBits)), (double) ((1L << 31) - 1));
        long[] q = quantiseScale(realBeta);
        long scale = q[0];
        long shift = 31 - q[1];
        double diffMin = -1.0 * Math.floor(1.0 * ((1L << integerBits) - 1) * (1L << (totalSignedBits - integerBits))
                / (double) (1L << shift));
        long[] lut = new long[256];
        for (int x = 0; x < 256; x++) {
            long inputDiff = x - 255;
            if (inputDiff >= diffMin) {
                long rescaled = saturatingRoundingMul32(inputDiff * (1L << shift), scale);
                lut[x] = expOnNegativeValues(rescaled);
            }
        }
        return lut;
    }

    /** {significand in Q31, shift} with scale = significand * 2^-shift; {0, 16} when the shift is out of range. */
    static long[] quantiseScale(double scale) {
        if (scale == 0) {
            return new long[]{0, 16};
        }
        int exponent = Math.getExponent(scale) + 1;
        double significand = scale / Math.pow(2, exponent);
        long q31 = roundAwayZero(significand * (1L << 31));
        long shift = 31 - exponent;
        if (shift < 0 || shift >= 64) {
            return new long[]{0, 16};
        }
        return new long[]{q31, shift};
    }

    static long roundAwayZero(double x) {
        return (long) (Math.signum(x) * Math.floor(Math.abs(x) + 0.5));
    }

    static long saturatingRoundingMul32(long a, long b) {
        return saturatingRoundingMul(a, b, 32);
    }

    /**
     * The reference kernels' saturating rounding doubling high multiply of two {@code bits}-wide values: the
     * one overflowing case saturates, the rest round half away from zero.
     */
    static long saturatingRoundingMul(long a, long b, int bits) {
        long min = -(1L << (bits - 1));
        if (a == b && a == min) {
            return -min - 1;
        }
        long divider = 1L << (bits - 1);
        long ab = a * b;
        if (ab >= 0) {
            return Math.floorDiv(ab + (1L << (bits - 2)), divider);
        }
        long abPlusNudge = ab + (1 - (1L << (bits - 2)));
        long result = Math.floorDiv(abPlusNudge, divider);
        // The reference truncates where a floor division rounds down.
        if (result * divider < abPlusNudge) {
            result += 1;
        }
        return result;
    }

    static long roundingDivideByPot(long x, long exponent) {
        long mask = (1L << exponent) - 1;
        long remainder = x & mask;
        long threshold = mask >> 1;
        if (x < 0) {
            threshold += 1;
        }
        long result = x >> exponent;
        if (remainder > threshold) {
            result += 1;
        }
        return result;
    }

    private static long saturatingRoundingMultiplyByPot(long x, long exponent) {
        long threshold = (1L << (31 - exponent)) - 1;
        if (x > threshold) {
            return Integer.MAX_VALUE;
        } else if (x < -threshold) {
            return Integer.MIN_VALUE;
        }
        long shifted = x * (1L << exponent);
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, shifted));
    }

    private static long rescale(int src, int dst, long x) {
        int exponent = src - dst;
        return exponent < 0 ? roundingDivideByPot(x, -exponent) : saturatingRoundingMultiplyByPot(x, exponent);
    }

    private static long expOnIntervalQuarter(long a) {
        int offset = 28;
        long constantTerm = 1895147668;
        long oneThird = 715827883;
        long x = a + (1L << offset);
        long x2 = saturatingRoundingMul32(x, x);
        long x3 = saturatingRoundingMul32(x2, x);
        long x4 = saturatingRoundingMul32(x2, x2);
        long x4Over4 = roundingDivideByPot(x4, 2);
        long poly = roundingDivideByPot(saturatingRoundingMul32(x4Over4 + x3, oneThird) + x2, 1);
        return (int) (constantTerm + saturatingRoundingMul32(constantTerm, x + poly));
    }

    static long expOnNegativeValues(long a) {
        long oneQuarter = 16777216;
        long mask = 16777215;
        long aModQuarterMinusQuarter = (int) ((a & mask) - oneQuarter);
        long result = expOnIntervalQuarter(rescale(5, 0, aModQuarterMinusQuarter));
        long remainder = (int) (aModQuarterMinusQuarter - a);
        long[][] steps = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308}, {2, 39332535},
                {3, 720401}, {4, 242}};
        for (long[] step : steps) {
            long shift = 26 + step[0];
            if ((remainder & (1L << shift)) != 0) {
                result = saturatingRoundingMul32(result, step[1]);
            }
        }
        return a == 0 ? Integer.MAX_VALUE : result;
    }

    /**
     * A 512-entry int16 interpolation table of {@code fn} over [min, max] in Q15, as TFLite's int16 table generator
     * makes it: each sample biased by half the error of linear interpolation at its step's midpoint, stored as
     * (slope << 16) + base in 32 bits.
     */
    static long[] interpolatedTable16(java.util.function.DoubleUnaryOperator fn, double min, double max) {
        int num = 513;
        double step = (max - min) / (num - 1);
        double half = step / 2;
        long[] samples = new long[num];
        for (int i = 0; i < num - 1; i++) {
            long sample = roundAwayZero(fn.applyAsDouble(min + i * step) * 32768.0);
            long interpolated = roundAwayZero((fn.applyAsDouble(min + (i + 1) * step) * 32768.0 + sample) / 2.0);
            long mid = roundAwayZero(fn.applyAsDouble(min + i * step + half) * 32768.0);
            long bias = roundAwayZero((interpolated - mid) / 2.0);
            samples[i] = Math.min(Math.max(sample - bias, Short.MIN_VALUE), Short.MAX_VALUE);
        }
        samples[num - 1] = Math.min(Math.max(roundAwayZero(fn.applyAsDouble(max) * 32768.0), Short.MIN_VALUE),
                Short.MAX_VALUE);
        long[] table = new long[num - 1];
        for (int i = 0; i < num - 1; i++) {
            table[i] = (((samples[i + 1] - samples[i]) << 16) + samples[i]) & 0xFFFFFFFFL;
        }
        return table;
    }
}
