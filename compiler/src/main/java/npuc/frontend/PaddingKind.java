package npuc.frontend;

/** Padding of convolutions and pools: TFLite's SAME and VALID, and explicit (top, left, bottom, right) amounts. */
public enum PaddingKind {
    SAME, VALID, EXPLICIT
}
