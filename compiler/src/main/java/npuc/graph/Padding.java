package npuc.graph;

/** Padding scheme of convolutions and pooling, with TFLite schema codes. */
public enum Padding {
    SAME, VALID;

    public int code() {
        return ordinal();
    }

    public static Padding fromCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
