package npuc.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Immutable bytes of a constant buffer. Wraps a read-only view of the model file's bytes, so reading a
 * model does not copy its weights; equality is by content.
 */
public final class ConstantData {
    public static final ConstantData EMPTY = new ConstantData(ByteBuffer.allocate(0));

    private final ByteBuffer bytes;
    private int hash;

    private ConstantData(ByteBuffer bytes) {
        this.bytes = bytes.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Wraps the remaining bytes of {@code view} without copying; the caller must not change them later. */
    public static ConstantData wrap(ByteBuffer view) {
        return view.remaining() == 0 ? EMPTY : new ConstantData(view);
    }

    /** Copies {@code data}. */
    public static ConstantData copyOf(byte[] data) {
        return data.length == 0 ? EMPTY : new ConstantData(ByteBuffer.wrap(data.clone()));
    }

    public int size() {
        return bytes.remaining();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** A little-endian read-only view positioned at the first byte. */
    public ByteBuffer view() {
        return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public byte[] toArray() {
        byte[] out = new byte[size()];
        view().get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConstantData other && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = bytes.hashCode();
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "ConstantData[" + size() + " bytes]";
    }
}
