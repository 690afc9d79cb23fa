package npuc.frontend;

/**
 * An activation fused into an operation: a relu family clamp, tanh, sigmoid, or a lookup table.
 * {@code min}/{@code max} are the clamp limits in the ofm's quantized domain when set (null: from the type).
 */
public record ActivationFunction(OpType type, Double min, Double max, ConstArray lut) {
    public static ActivationFunction of(OpType type) {
        return new ActivationFunction(type, null, null, null);
    }

    public static ActivationFunction lut(ConstArray table) {
        return new ActivationFunction(OpType.Lut, null, null, table);
    }

    public ActivationFunction withLimits(Double newMin, Double newMax) {
        return new ActivationFunction(type, newMin, newMax, lut);
    }
}
