package npuc.weights;

import java.util.Arrays;

/**
 * Appends bit fields to a growing byte array. The weight decoder reads every field least significant bit
 * first, starting at bit 0 of byte 0, so fields are written in that order too. Fields gather in a 64-bit
 * accumulator and leave it four bytes at a time.
 */
final class BitWriter {
    private byte[] bytes;
    /** Bytes flushed from the accumulator. */
    private int length;
    private long pending;
    private int pendingBits;

    BitWriter(int expectedBytes) {
        bytes = new byte[Math.max(16, expectedBytes)];
    }

    /** Bits written so far. */
    long position() {
        return ((long) length << 3) + pendingBits;
    }

    /** Writes the {@code width} (at most 32) low bits of {@code value}, least significant first. */
    void put(int width, int value) {
        pending |= (value & ((1L << width) - 1)) << pendingBits;
        pendingBits += width;
        if (pendingBits >= 32) {
            if (length + 4 > bytes.length) {
                grow(4);
            }
            int word = (int) pending;
            bytes[length] = (byte) word;
            bytes[length + 1] = (byte) (word >>> 8);
            bytes[length + 2] = (byte) (word >>> 16);
            bytes[length + 3] = (byte) (word >>> 24);
            length += 4;
            pending >>>= 32;
            pendingBits -= 32;
        }
    }

    /** Appends whole bytes; the position must be byte aligned. */
    void putBytes(byte[] b) {
        flushWholeBytes();
        if (pendingBits != 0) {
            throw new IllegalStateException("bytes appended at bit " + position());
        }
        if (length + b.length > bytes.length) {
            grow(b.length);
        }
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    /** Appends zero bytes up to a multiple of {@code alignment} bytes; the position must be byte aligned. */
    void padBytes(int alignment) {
        flushWholeBytes();
        int remainder = length % alignment;
        if (remainder > 0) {
            putBytes(new byte[alignment - remainder]);
        }
    }

    private void flushWholeBytes() {
        while (pendingBits >= 8) {
            if (length + 1 > bytes.length) {
                grow(1);
            }
            bytes[length++] = (byte) pending;
            pending >>>= 8;
            pendingBits -= 8;
        }
    }

    private void grow(int atLeast) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + atLeast));
    }

    /** The written bytes; the last one is padded with zero bits when the position is not byte aligned. */
    byte[] toByteArray() {
        flushWholeBytes();
        byte[] out = Arrays.copyOf(bytes, length + (pendingBits > 0 ? 1 : 0));
        if (pendingBits > 0) {
            out[length] = (byte) pending;
        }
        return out;
    }
}
