package npuc.graph;

/** Fused activation functions, with TFLite schema codes. */
public enum Activation {
    NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT;

    public int code() {
        return ordinal();
    }

    public static Activation fromCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
