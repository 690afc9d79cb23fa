package npuc.frontend;

/**
 * How Vela's strided-convolution rewrite brings a stride wider than the hardware's (3) down: it resizes the
 * input width by {@code resizeFactor}, leaving a convolution of stride {@code optimisedStride}. The
 * supported-operator check accepts a stride whose optimised stride is at most 3.
 */
record ResizeFactor(int resizeFactor, int optimisedStride) {

    /** Strides the hardware runs, tried in this order when the width does not divide by the stride. */
    private static final int[] HARDWARE_STRIDES = {2, 3};

    static ResizeFactor of(int ifmWidth, int strideX) {
        int factor = strideX;
        if (ifmWidth % factor != 0) {
            // Look for a hardware stride s dividing the stride such that the width divides by stride / s;
            // failing that, no resize (factor 1) and the stride stays as it is.
            int chosen = 1;
            for (int s : HARDWARE_STRIDES) {
                if (factor % s == 0 && ifmWidth % (strideX / s) == 0) {
                    chosen = s;
                    break;
                }
            }
            int reduced = factor / chosen;
            factor = reduced != factor ? reduced : 1;
        }
        return new ResizeFactor(factor, strideX / factor);
    }
}
