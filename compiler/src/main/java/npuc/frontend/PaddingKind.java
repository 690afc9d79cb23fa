package npuc.frontend;

/** Padding of convolutions and pools: TFLite's SAME and VALID, and explicit (top, left, bottom, right) amounts. */
public enum PaddingKind {
    SAME, VALID, EXPLICIT,
    /** The explicit values only say which sides to pad, with edge values (resize bilinear's tiles). */
    TILE
}
