package npuc.arch;

/**
 * What a region of the NPU's shared buffer (SHRAM) holds during a block: IFM data of a given width (for
 * convolution-like or elementwise operations) or accumulators of a given width. Each kind has its own
 * alignment rules and, per accelerator, its own bank allocation granule ({@link Accelerator#shramGranule}).
 *
 * <p>Sizing rule the block-config search uses: depth is first rounded up to {@link #preAlign()}, then
 * depth × bytes is rounded up to {@link #postAlign()}. IFM rows are aligned after widening, accumulators
 * before.
 */
public enum ShramElement {
    IFM8(8, 1, 8),
    IFM16(16, 1, 8),
    IFM8_ELEMENTWISE(8, 1, 8),
    IFM16_ELEMENTWISE(16, 1, 8),
    IFM32(32, 1, 8),
    ACC16(16, 8, 1),
    ACC32(32, 8, 1),
    ACC40(40, 8, 1);

    private final int bits;
    private final int preAlign;
    private final int postAlign;

    ShramElement(int bits, int preAlign, int postAlign) {
        this.bits = bits;
        this.preAlign = preAlign;
        this.postAlign = postAlign;
    }

    public int bits() {
        return bits;
    }

    /** Bytes per element as the SHRAM stores it (40-bit accumulators take 5). */
    public int bytes() {
        return bits / 8;
    }

    /** Depth rounding applied before converting to bytes. */
    public int preAlign() {
        return preAlign;
    }

    /** Byte rounding applied to depth × bytes. */
    public int postAlign() {
        return postAlign;
    }

    public boolean isAccumulator() {
        return this == ACC16 || this == ACC32 || this == ACC40;
    }
}
