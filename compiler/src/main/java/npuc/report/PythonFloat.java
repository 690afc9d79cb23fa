package npuc.report;

import java.math.BigDecimal;

/**
 * Formats doubles as Python's repr() does, so a summary CSV reads the same as Vela's: the shortest
 * digits that read back to the same double, positional between 1e-4 and 1e16, scientific outside; and as
 * Python's fixed-point formats do ("{:.2f}"), which round the double's exact value half to even.
 */
public final class PythonFloat {
    private PythonFloat() {
    }

    /** Python's {@code f"{v:.{digits}f}"} for a finite {@code v}: Java's %f rounds ties up, Python to even. */
    public static String fixed(double v, int digits) {
        return new BigDecimal(v).setScale(digits, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    public static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDigits(v);
        // Decimal exponent of the first significant digit.
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            return scientific(shortest, exponent);
        }
        String plain = shortest.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** The fewest significant digits (1 to 17) that parse back to exactly {@code v}. */
    private static BigDecimal shortestDigits(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == v) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new java.math.MathContext(17)).stripTrailingZeros();
    }

    private static String scientific(BigDecimal shortest, int exponent) {
        String digits = shortest.unscaledValue().abs().toString();
        StringBuilder s = new StringBuilder();
        if (shortest.signum() < 0) {
            s.append('-');
        }
        s.append(digits.charAt(0));
        if (digits.length() > 1) {
            s.append('.').append(digits, 1, digits.length());
        }
        s.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            s.append('0');
        }
        s.append(abs);
        return s.toString();
    }
}
