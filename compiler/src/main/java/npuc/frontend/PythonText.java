package npuc.frontend;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders values the way Vela's messages show them: Python's str() of lists, floats and booleans, and
 * numpy's str() of arrays. The constraint messages are part of the CLI output, so the rendering must be
 * Python's, not Java's ({@code [1, 2]}, {@code 1e-05}, {@code True}, {@code [ 1 10  3]}).
 */
final class PythonText {
    /** numpy's default line width for printing arrays. */
    private static final int NUMPY_LINE_WIDTH = 75;

    private PythonText() {
    }

    /** A Python list of ints, as str(list) prints it. */
    static String list(List<? extends Number> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values.get(i));
        }
        return sb.append(']').toString();
    }

    /** A shape, or None when there is no tensor. */
    static String shape(Operand tensor) {
        return tensor == null ? "None" : list(tensor.shape());
    }

    static String bool(boolean value) {
        return value ? "True" : "False";
    }

    /** Python's repr of a float (a double): the shortest digits that read back to the same value. */
    static String pythonFloat(double value) {
        return shortest(value, false);
    }

    /** numpy's str of a float32 scalar: the shortest digits that read back to the same float32. */
    static String float32(float value) {
        return shortest(value, true);
    }

    private static String shortest(double value, boolean single) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal digits = null;
        for (int precision = 1; precision <= 17; precision++) {
            String s = String.format("%." + (precision - 1) + "e", value);
            boolean same = single ? Float.parseFloat(s) == (float) value : Double.parseDouble(s) == value;
            if (same) {
                digits = new BigDecimal(s);
                break;
            }
        }
        if (digits == null) {
            digits = new BigDecimal(value);
        }
        digits = digits.stripTrailingZeros();
        int exponent = digits.precision() - digits.scale() - 1;
        if (exponent >= -5 + 1 && exponent < 16) {
            // Python prints positionally for 1e-4 <= |x| < 1e16, with at least one decimal.
            String plain = digits.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String unscaled = digits.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder();
        if (digits.signum() < 0) {
            sb.append('-');
        }
        sb.append(unscaled.charAt(0));
        if (unscaled.length() > 1) {
            sb.append('.').append(unscaled, 1, unscaled.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        sb.append(abs < 10 ? "0" + abs : Integer.toString(abs));
        return sb.toString();
    }

    /**
     * numpy's str of an integer array of this shape: a 0-d array prints as its value; otherwise every element
     * is right-aligned to the widest, rows are bracketed and long rows wrap at numpy's line width.
     */
    static String array(long[] values, List<Integer> shape) {
        if (values == null) {
            return "None";
        }
        if (shape.isEmpty()) {
            return values.length == 0 ? "[]" : Long.toString(values[0]);
        }
        int width = 0;
        for (long v : values) {
            width = Math.max(width, Long.toString(v).length());
        }
        StringBuilder out = new StringBuilder();
        format(out, values, shape, 0, 0, width, " ");
        return out.toString();
    }

    /** Formats the sub-array at {@code offset} of dimension {@code axis}; returns the elements it covers. */
    private static int format(StringBuilder out, long[] values, List<Integer> shape, int axis, int offset,
                              int width, String indent) {
        int count = shape.get(axis);
        if (axis == shape.size() - 1) {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder(indent);
            int elementWidth = NUMPY_LINE_WIDTH - 1 - (indent.length() - 1);
            for (int i = 0; i < count; i++) {
                String word = pad(offset + i < values.length ? values[offset + i] : 0, width);
                if (line.length() + word.length() > elementWidth && line.length() > indent.length()) {
                    lines.add(line.toString().stripTrailing());
                    line = new StringBuilder(indent);
                }
                line.append(word);
                if (i < count - 1) {
                    line.append(' ');
                }
            }
            lines.add(line.toString());
            String body = String.join("\n", lines);
            out.append('[').append(body.substring(indent.length())).append(']');
            return count;
        }
        int stride = 1;
        for (int a = axis + 1; a < shape.size(); a++) {
            stride *= shape.get(a);
        }
        out.append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                // numpy separates rows by a newline per remaining axis, indented under the opening bracket.
                out.append("\n".repeat(shape.size() - axis - 1)).append(indent);
            }
            format(out, values, shape, axis + 1, offset + i * stride, width, indent + " ");
        }
        out.append(']');
        return count * stride;
    }

    private static String pad(long value, int width) {
        String s = Long.toString(value);
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    /** numpy's str of float32 values: a scalar for one value, else a bracketed, space-separated list. */
    static String float32Values(List<Float> values) {
        if (values.size() == 1) {
            return float32(values.get(0));
        }
        List<String> words = new ArrayList<>();
        for (float v : values) {
            words.add(float32(v));
        }
        return "[" + String.join(" ", words) + "]";
    }

    /** Python's ", ".join of names. */
    static String join(List<String> parts) {
        return String.join(", ", parts);
    }
}
