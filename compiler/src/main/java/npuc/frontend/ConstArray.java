package npuc.frontend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import npuc.graph.DataType;

/**
 * The values of a constant tensor: element type, shape and little-endian bytes, as the model stores them.
 * Immutable; the rewrites that reorder weights (transposes, padding) return new arrays.
 */
public final class ConstArray {
    private final DataType type;
    private final int[] shape;
    private final byte[] data;
    /** Cached {@link #contentHash()}, 0 until asked; a race only computes it twice. */
    private int contentHash;

    private ConstArray(DataType type, int[] shape, byte[] data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data}, which the caller hands over and must not change. */
    static ConstArray wrap(DataType type, int[] shape, byte[] data) {
        return new ConstArray(type, shape.clone(), data);
    }

    public static ConstArray of(DataType type, int[] shape, long... values) {
        int size = type.bytes();
        ByteBuffer b = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            put(b, type, v);
        }
        return new ConstArray(type, shape.clone(), b.array());
    }

    /** {@code count} copies of one value. */
    public static ConstArray filled(DataType type, int[] shape, long value) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        long[] values = new long[(int) n];
        Arrays.fill(values, value);
        return of(type, shape, values);
    }

    private static void put(ByteBuffer b, DataType type, long v) {
        switch (type.bytes()) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            case 8 -> b.putLong(v);
            default -> throw new IllegalArgumentException("no integer storage for " + type);
        }
    }

    public DataType type() {
        return type;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of the values: element size times element count, as Vela's {@code values.itemsize * values.size}. */
    public long byteSize() {
        return size() * type.bytes();
    }

    /** Element {@code i} in row-major order, sign- or zero-extended as the type says. */
    public long get(long i) {
        return valueAt((int) (i * type.bytes()));
    }

    /** The element whose bytes start at {@code at}. */
    private long valueAt(int at) {
        return switch (type) {
            case UINT8 -> data[at] & 0xFFL;
            case INT8, BOOL -> data[at];
            case INT16 -> (short) littleEndian(at, 2);
            case UINT16 -> littleEndian(at, 2);
            case INT32 -> (int) littleEndian(at, 4);
            case UINT32 -> littleEndian(at, 4);
            case FLOAT32 -> (long) Float.intBitsToFloat((int) littleEndian(at, 4));
            default -> littleEndian(at, 8);
        };
    }

    /** The unsigned little-endian number in the {@code width} bytes from {@code at}. */
    private long littleEndian(int at, int width) {
        long v = 0;
        for (int k = width - 1; k >= 0; k--) {
            v = (v << 8) | (data[at + k] & 0xFFL);
        }
        return v;
    }

    /** Element {@code i} as a double: floating types keep their fraction. */
    public double getDouble(long i) {
        int at = (int) (i * type.bytes());
        return switch (type) {
            case FLOAT32 -> Float.intBitsToFloat((int) littleEndian(at, 4));
            case FLOAT64 -> Double.longBitsToDouble(littleEndian(at, 8));
            default -> valueAt(at);
        };
    }

    public long[] toLongArray() {
        long[] out = new long[(int) size()];
        int size = type.bytes();
        if (type == DataType.INT8) {
            for (int i = 0; i < out.length; i++) {
                out[i] = data[i];
            }
        } else if (type == DataType.UINT8) {
            for (int i = 0; i < out.length; i++) {
                out[i] = data[i] & 0xFFL;
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = valueAt(i * size);
            }
        }
        return out;
    }

    /** A copy of the raw little-endian bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    /** The same values under another shape with the same element count. */
    public ConstArray reshape(int... newShape) {
        return new ConstArray(type, newShape.clone(), data);
    }

    /** The values with their axes permuted: output axis {@code i} is input axis {@code perm[i]}. */
    public ConstArray transpose(int... perm) {
        int rank = shape.length;
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
        }
        int[] inStrides = strides(shape);
        int size = type.bytes();
        byte[] out = new byte[data.length];
        int[] idx = new int[rank];
        long n = size();
        for (long o = 0; o < n; o++) {
            long in = 0;
            for (int i = 0; i < rank; i++) {
                in += (long) idx[i] * inStrides[perm[i]];
            }
            System.arraycopy(data, (int) (in * size), out, (int) (o * size), size);
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new ConstArray(type, outShape, out);
    }

    /** Zero-extends ({@code fill}-extends) axis {@code axis} by {@code before} and {@code after} entries. */
    public ConstArray pad(int axis, int before, int after, long fill) {
        int[] outShape = shape.clone();
        outShape[axis] += before + after;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int size = type.bytes();
        ConstArray filler = filled(type, new int[]{(int) inner}, fill);
        byte[] fillRow = filler.data;
        byte[] out = new byte[(int) (outer * outShape[axis] * inner * size)];
        int rowBytes = (int) (inner * size);
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (int i = 0; i < before; i++, pos += rowBytes) {
                System.arraycopy(fillRow, 0, out, pos, rowBytes);
            }
            int from = (int) (o * shape[axis] * rowBytes);
            System.arraycopy(data, from, out, pos, shape[axis] * rowBytes);
            pos += shape[axis] * rowBytes;
            for (int i = 0; i < after; i++, pos += rowBytes) {
                System.arraycopy(fillRow, 0, out, pos, rowBytes);
            }
        }
        return new ConstArray(type, outShape, out);
    }

    /** The slice {@code [from, to)} of the last axis. */
    public ConstArray sliceLastAxis(int from, int to) {
        int last = shape[shape.length - 1];
        int width = to - from;
        long rows = size() / last;
        int size = type.bytes();
        byte[] out = new byte[(int) (rows * width * size)];
        for (long r = 0; r < rows; r++) {
            System.arraycopy(data, (int) ((r * last + from) * size), out, (int) (r * width * size), width * size);
        }
        int[] outShape = shape.clone();
        outShape[shape.length - 1] = width;
        return new ConstArray(type, outShape, out);
    }

    private static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * A hash of the type, shape and values, for caches that share work between equal constants. Equality of
     * ConstArray itself stays identity: tensors holding equal values are still different tensors.
     */
    public int contentHash() {
        int h = contentHash;
        if (h == 0) {
            h = (Arrays.hashCode(data) * 31 + Arrays.hashCode(shape)) * 31 + type.ordinal();
            contentHash = h;
        }
        return h;
    }

    /** Whether {@code other} has the same type, shape and values. */
    public boolean sameContent(ConstArray other) {
        return this == other || (other != null && type == other.type && Arrays.equals(shape, other.shape)
                && contentHash() == other.contentHash() && Arrays.equals(data, other.data));
    }

    @Override
    public String toString() {
        return type.name().toLowerCase() + Arrays.toString(shape);
    }
}
