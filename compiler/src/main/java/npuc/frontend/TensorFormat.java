package npuc.frontend;

/** Memory layout of a tensor: plain NHWC, or the NPU's brick format NHCWB16 (16 channels per brick). */
public enum TensorFormat {
    NHWC, NHCWB16, WEIGHTS_COMPRESSED
}
