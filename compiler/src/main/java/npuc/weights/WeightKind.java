package npuc.weights;

/** The NPU block types that read encoded weights; they differ in how weights are traversed. */
public enum WeightKind {
    /** MxN convolution: depth-first or part-kernel-first, whichever uses the MACs better. */
    CONVOLUTION,
    /** Depthwise convolution: one input channel per output channel, kernel elements padded to 4. */
    DEPTHWISE,
    /** Fully connected (and other 1x1 vector products): depth-first. */
    VECTOR_PRODUCT
}
