package npuc.arch;

/** A width × height × depth extent in elements, the unit the NPU's micro-blocks and OFM blocks are sized in. */
public record Block(int width, int height, int depth) {
    public Block {
        if (width < 0 || height < 0 || depth < 0) {
            throw new IllegalArgumentException("negative block extent " + width + "x" + height + "x" + depth);
        }
    }

    public long elements() {
        return (long) width * height * depth;
    }

    public long elementsWh() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + depth;
    }
}
