package npuc.serialise;

/**
 * One region of the NPU-constant area: where it starts, how many bytes it reserves (a multiple of 16) and what
 * is copied into it when the flash image is built.
 *
 * @param name     the tensor it was allocated for (for encoded weights, the weights tensor of the first
 *                 operation using them)
 * @param kind     what it holds
 * @param offset   its first byte in the area
 * @param reserved bytes it reserves, 16-byte rounded
 * @param contents the bytes placed at {@code offset}; shorter than {@code reserved} (or empty) where the rest
 *                 stays zero, as for the bias tensors whose records are inside the encoded weights
 */
public record NpuConstant(String name, Kind kind, long offset, long reserved, byte[] contents) {
    public NpuConstant {
        contents = contents.clone();
    }

    @Override
    public byte[] contents() {
        return contents.clone();
    }

    int contentLength() {
        return contents.length;
    }

    void copyInto(byte[] image) {
        System.arraycopy(contents, 0, image, (int) offset, contents.length);
    }

    /** What an NPU constant is. */
    public enum Kind {
        /** An operation's encoded weights with their bias/scale records. */
        ENCODED_WEIGHTS,
        /** A constant input of an NPU pass other than its weights: a bias, an elementwise operand. */
        CONSTANT_INPUT,
        /** A lookup table for an activation. */
        LUT
    }

    @Override
    public String toString() {
        return name + " (" + kind + ") at " + offset + "+" + reserved;
    }
}
