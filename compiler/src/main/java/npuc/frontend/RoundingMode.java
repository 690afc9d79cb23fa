package npuc.frontend;

/** How an operation's output scaling rounds, when a rewrite fixed it rather than leaving the default. */
public enum RoundingMode {
    /** TensorFlow Lite's rounding: half away from zero after a doubling high multiply. */
    TFLITE,
    /** Towards zero. */
    TO_ZERO,
    /** Half up (towards positive infinity). */
    HALF_UP,
    /** Half away from zero. */
    AWAY_ZERO
}
