package npuc.arch;

/**
 * The classes of operation whose output stage throughput differs, indexing
 * {@link Accelerator#outputCyclesPerElement}. The performance model picks one per operation; the
 * throughput of each is a hardware figure per accelerator.
 */
public enum OutputCycleClass {
    /** Elementwise with 32-bit IFMs and a second IFM. */
    ELEMENTWISE_32BIT_BINARY,
    /** Elementwise with a 32-bit IFM and no second IFM. */
    ELEMENTWISE_32BIT_UNARY,
    /** Multiply with a 32-bit OFM. */
    MUL_32BIT_OUTPUT,
    /** Any other multiply, or a convolution-like operation accumulating in 40 bits. */
    MUL_OR_ACC40,
    /** Add or subtract without rescaling. */
    SIMPLE_ADD_SUB,
    /** Add or subtract with rescaling (the one Vela always assumes). */
    ADVANCED_ADD_SUB,
    /** Max pooling. */
    MAX_POOL,
    /** Everything else. */
    OTHER
}
