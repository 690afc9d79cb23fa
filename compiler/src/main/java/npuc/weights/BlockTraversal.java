package npuc.weights;

/**
 * The order in which the NPU walks a convolution's weights within an OFM block, which is also the order
 * they are stored in the weight stream.
 */
public enum BlockTraversal {
    /** IFM depth innermost: all of a kernel element's input channels, then the next element. */
    DEPTH_FIRST,
    /** Kernel elements innermost, a few input channels at a time: better for shallow IFMs. */
    PART_KERNEL_FIRST;

    /**
     * The traversal for an MxN convolution: part-kernel-first when the IFM is 8 channels deep or less, or
     * when it keeps the dot-product units at least as busy as depth-first does. Depth-first fills the units
     * with 32 (8-bit IFM) or 16 channels at once; part-kernel-first with 8 channels and 4 (8-bit) or 2
     * kernel elements.
     */
    public static BlockTraversal forConvolution(int kernelHeight, int kernelWidth, int ifmDepth, int ifmBits) {
        int kernelElements = kernelHeight * kernelWidth;
        double depthUtilisation = ifmDepth / (double) roundUp(ifmDepth, ifmBits == 8 ? 32 : 16);
        double partKernelUtilisation = (ifmDepth / (double) roundUp(ifmDepth, 8))
                * (kernelElements / (double) roundUp(kernelElements, ifmBits == 8 ? 4 : 2));
        return partKernelUtilisation >= depthUtilisation || ifmDepth <= 8 ? PART_KERNEL_FIRST : DEPTH_FIRST;
    }

    private static int roundUp(int value, int quantum) {
        return (value + quantum - 1) / quantum * quantum;
    }
}
