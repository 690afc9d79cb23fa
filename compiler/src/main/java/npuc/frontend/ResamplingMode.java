package npuc.frontend;

/** How the hardware resamples an ifm while reading it. */
public enum ResamplingMode {
    NONE,
    /** Each element read twice along height and width (nearest-neighbour x2 upscaling). */
    NEAREST,
    /** Zeros inserted between elements, as a transpose convolution with stride 2 needs. */
    TRANSPOSE
}
