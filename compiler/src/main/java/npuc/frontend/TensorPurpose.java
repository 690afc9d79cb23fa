package npuc.frontend;

/** What a tensor holds, which decides where it is stored and how it is laid out. */
public enum TensorPurpose {
    UNKNOWN, FEATURE_MAP, WEIGHTS, SCRATCH, LUT, FAST_STORAGE
}
