package npuc.weights;

import java.util.Arrays;

/**
 * Appends bit fields to a growing byte array. The weight decoder reads every field least significant bit
 * first, starting at bit 0 of byte 0, so fields are written in that order too.
 */
final class BitWriter {
    private byte[] bytes;
    private long position;

    BitWriter(int expectedBytes) {
        bytes = new byte[Math.max(16, expectedBytes)];
    }

    /** Bits written so far. */
    long position() {
        return position;
    }

    /** Writes the {@code width} low bits of {@code value}, least significant first. */
    void put(int width, int value) {
        for (int i = 0; i < width; i++) {
            putBit((value >>> i) & 1);
        }
    }

    private void putBit(int bit) {
        int index = (int) (position >>> 3);
        if (index >= bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        if (bit != 0) {
            bytes[index] |= (byte) (1 << (position & 7));
        }
        position++;
    }

    /** The written bytes; the last one is padded with zero bits when the position is not byte aligned. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) ((position + 7) >>> 3));
    }
}
