package npuc.frontend;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Quantization;

/**
 * A tensor as Vela's checks see it when it reads an operator: the file's tensor, except that constant
 * weights of convolutions and fully connected layers are seen transposed (and renamed with a
 * {@code _reshape} suffix) and their constant biases as 1-D, as Vela's reader clones them.
 *
 * @param shape        the shape the checks see
 * @param quantization null when Vela has none: absent in the file, or neither scale nor zero point given
 * @param data         the constant values, null when the buffer is empty (Vela's {@code values is None})
 * @param dataShape    the shape {@code data} is laid out in (the file's shape)
 * @param producer     what produces the tensor in Vela's graph
 */
record Operand(String name, List<Integer> shape, DataType type, Quantization quantization, ConstantData data,
               List<Integer> dataShape, boolean variable, Producer producer) {

    /** The operation Vela's graph has writing a tensor. */
    enum Producer {
        /** An operator of the subgraph. */
        OPERATOR,
        /** A subgraph input without data, or a variable tensor nothing writes. */
        PLACEHOLDER,
        /** Anything else nothing writes, whether or not it has data. */
        CONSTANT
    }

    Operand {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
        dataShape = List.copyOf(dataShape);
    }

    int rank() {
        return shape.size();
    }

    /** Dimension {@code i}, counting from the end when negative (Python indexing). */
    int dim(int i) {
        return shape.get(i < 0 ? shape.size() + i : i);
    }

    long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    boolean isConstant() {
        return data != null;
    }

    /** Integer type with a scale and a zero point (Vela's is_quantized). */
    boolean isQuantized() {
        return quantization != null && type.isInteger() && !quantization.scale().isEmpty()
                && !quantization.zeroPoint().isEmpty();
    }

    /** More than one scale, zero point, min or max (Vela's is_per_axis). */
    boolean isPerAxis() {
        return quantization != null && (quantization.scale().size() > 1 || quantization.zeroPoint().size() > 1
                || quantization.min().size() > 1 || quantization.max().size() > 1);
    }

    /** Same scale and zero point, both quantized (Vela's check_quantized_tens_scaling_equal). */
    boolean scalingEquals(Operand other) {
        return other != null && isQuantized() && other.isQuantized()
                && quantization.scale().equals(other.quantization.scale())
                && quantization.zeroPoint().equals(other.quantization.zeroPoint());
    }

    /** The constant values in file order, or null when not constant. Floating types are truncated. */
    long[] values() {
        if (data == null) {
            return null;
        }
        ByteBuffer b = data.view();
        int bytes = Math.max(1, type.bytes());
        long count = 1;
        for (int d : dataShape) {
            count *= d;
        }
        int n = (int) Math.min(count, b.remaining() / bytes);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case INT8 -> b.get();
                case UINT8, BOOL -> b.get() & 0xFF;
                case INT16 -> b.getShort();
                case UINT16 -> b.getShort() & 0xFFFF;
                case INT32 -> b.getInt();
                case UINT32 -> b.getInt() & 0xFFFFFFFFL;
                case INT64, UINT64 -> b.getLong();
                case FLOAT32 -> (long) b.getFloat();
                case FLOAT64 -> (long) b.getDouble();
                default -> {
                    b.position(b.position() + bytes);
                    yield 0;
                }
            };
        }
        return out;
    }

    /** numpy's str of the values, in the shape the checks see; "None" when not constant. */
    String valuesText() {
        return PythonText.array(values(), shape);
    }

    /** Vela's name for the data type ("int8", "uint8", "float32", "bool"). */
    static String typeName(DataType type) {
        return switch (type) {
            case BOOL -> "bool";
            case STRING -> "string";
            case RESOURCE -> "resource";
            case VARIANT -> "variant";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    String typeName() {
        return typeName(type);
    }
}
