package npuc.perf;

/** How the NPU resamples an IFM while reading it: not at all, nearest-neighbour 2x, or transpose-convolution 2x. */
public enum Resampling {
    NONE, NEAREST, TRANSPOSE;

    /** IFM elements are read this many times more sparsely than the OFM is produced. */
    public int upscale() {
        return this == NONE ? 1 : 2;
    }

    /** Nearest-neighbour upscaling needs one extra IFM row and column at the border. */
    public int nearestExtra() {
        return this == NEAREST ? 1 : 0;
    }
}
