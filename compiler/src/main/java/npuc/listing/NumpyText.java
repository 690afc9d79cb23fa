package npuc.listing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * numpy's str() of float32 scalars and of 1-D arrays (its default print options: 8 digits of precision in
 * "maxprec" mode, 75 columns, more than 1000 elements summarised), which Vela's quantization listing prints.
 */
final class NumpyText {
    private static final int PRECISION = 8;
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private NumpyText() {
    }

    /** str(np.float32(v)): the shortest digits that read back to the same float32. */
    static String float32(float v) {
        if (Float.isNaN(v)) {
            return "nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = shortest(v);
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) {
            String p = d.toPlainString();
            return p.contains(".") ? p : p + ".0";
        }
        return scientific(d, -1, false);
    }

    private static BigDecimal shortest(float v) {
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits <= 9; digits++) {
            BigDecimal c = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (c.floatValue() == v) {
                return c.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(9)).stripTrailingZeros();
    }

    /** Scientific digits as numpy writes them: {@code d.ddde-05}, at least {@code minDigits} after the point. */
    private static String scientific(BigDecimal d, int minDigits, boolean keepPoint) {
        String digits = d.unscaledValue().abs().toString();
        int exponent = d.precision() - d.scale() - 1;
        StringBuilder frac = new StringBuilder(digits.substring(1));
        while (frac.length() < minDigits) {
            frac.append('0');
        }
        StringBuilder s = new StringBuilder();
        if (d.signum() < 0) {
            s.append('-');
        }
        s.append(digits.charAt(0)).append('.');
        s.append(frac.length() == 0 && !keepPoint ? "0" : frac);
        s.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        s.append(abs < 10 ? "0" : "").append(abs);
        return s.toString();
    }

    /** str() of a float32 array. */
    static String floatArray(List<Float> values) {
        List<Float> shown = shown(values);
        List<String> words = new ArrayList<>();
        boolean exp = useScientific(shown);
        if (exp) {
            // Every element gets as many digits as the longest shortest form (at most 8 after the point); the
            // digits beyond an element's own shortest form are those of its exact value, as numpy's dragon4 gives.
            int precision = 0;
            for (float v : shown) {
                precision = Math.max(precision, Math.min(PRECISION, Math.max(0, shortest(v).precision() - 1)));
            }
            for (float v : shown) {
                BigDecimal d = shortest(v);
                if (d.precision() - 1 != precision) {
                    d = new BigDecimal(v).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
                }
                words.add(scientific(d, precision, true));
            }
        } else {
            List<String> plain = new ArrayList<>();
            int padLeft = 0;
            int padRight = 0;
            for (float v : shown) {
                String p = positional(v);
                plain.add(p);
                int dot = p.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                padRight = Math.max(padRight, p.length() - dot - 1);
            }
            for (String p : plain) {
                int dot = p.indexOf('.');
                words.add(" ".repeat(padLeft - dot) + p + " ".repeat(padRight - (p.length() - dot - 1)));
            }
        }
        return layout(words, values.size());
    }

    /** str() of an int array. */
    static String intArray(List<Long> values) {
        List<Long> shown = shown(values);
        int width = 0;
        for (long v : shown) {
            width = Math.max(width, Long.toString(v).length());
        }
        List<String> words = new ArrayList<>();
        for (long v : shown) {
            String t = Long.toString(v);
            words.add(" ".repeat(width - t.length()) + t);
        }
        return layout(words, values.size());
    }

    private static <T> List<T> shown(List<T> values) {
        if (values.size() <= THRESHOLD) {
            return values;
        }
        List<T> edge = new ArrayList<>(values.subList(0, EDGE_ITEMS));
        edge.addAll(values.subList(values.size() - EDGE_ITEMS, values.size()));
        return edge;
    }

    private static boolean useScientific(List<Float> values) {
        double max = 0;
        double minNonZero = Double.MAX_VALUE;
        for (float v : values) {
            double a = Math.abs(v);
            if (Float.isFinite(v) && a != 0) {
                max = Math.max(max, a);
                minNonZero = Math.min(minNonZero, a);
            }
        }
        if (max == 0) {
            return false;
        }
        return max >= 1e8 || minNonZero < 1e-4 || max / minNonZero > 1e3;
    }

    /** Positional digits: the shortest float32 digits, at most 8 after the point, trailing zeros trimmed. */
    private static String positional(float v) {
        BigDecimal d = shortest(v);
        if (d.scale() > PRECISION) {
            d = new BigDecimal(v).setScale(PRECISION, RoundingMode.HALF_EVEN).stripTrailingZeros();
        }
        String p = d.abs().compareTo(BigDecimal.ZERO) == 0 ? "0" : d.toPlainString();
        if (!p.contains(".")) {
            p = p + ".";
        }
        return p;
    }

    /** numpy's line wrapping: words joined by spaces in brackets, continuation lines indented by one. */
    private static String layout(List<String> words, int size) {
        List<String> all = new ArrayList<>(words);
        if (size > THRESHOLD) {
            all.add(EDGE_ITEMS, "...");
        }
        StringBuilder s = new StringBuilder();
        String line = " ";
        int elementWidth = LINE_WIDTH - 1;
        for (int i = 0; i < all.size(); i++) {
            String word = all.get(i);
            if (line.length() + word.length() > elementWidth && line.length() > 1) {
                s.append(line.stripTrailing()).append('\n');
                line = " ";
            }
            line += word;
            if (i < all.size() - 1) {
                line += " ";
            }
        }
        s.append(line);
        return "[" + s.substring(1) + "]";
    }
}
