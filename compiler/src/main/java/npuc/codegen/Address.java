package npuc.codegen;

/**
 * Where something is in the NPU's memory: a region (the base-pointer index the command stream addresses through)
 * and a byte offset within it.
 */
public record Address(int region, long offset) {
    /** Region of the model's constant data (weights, constant feature maps, lookup tables). */
    public static final int PERMANENT = 0;
    /** Region of the tensor arena. */
    public static final int SCRATCH = 1;
    /** Region of the fast-storage arena, when it is separate from the tensor arena. */
    public static final int SCRATCH_FAST = 2;
    /** Region of memory-to-memory transfers into the NPU's internal SHRAM (lookup tables). */
    public static final int SHRAM = (1 << 8) | 3;

    public Address plus(long bytes) {
        return new Address(region, offset + bytes);
    }
}
