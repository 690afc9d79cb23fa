package npuc.graph;

/**
 * An entry of the model's operator-code table. {@code builtinCode} is the larger of the schema's old
 * (byte) and new (int) code fields, as TFLite resolves them; {@code customCode} is null for builtins.
 */
public record OperatorCode(int builtinCode, String customCode, int version) {

    /** The builtin operator, or null when the code is newer than npuc knows. */
    public BuiltinOperator builtin() {
        return BuiltinOperator.fromCode(builtinCode);
    }

    public boolean isCustom() {
        return builtinCode == BuiltinOperator.CUSTOM.code();
    }

    /** The name TFLite tools print: the builtin name, the custom code for custom operators. */
    public String displayName() {
        if (isCustom()) {
            return customCode == null ? "CUSTOM" : customCode;
        }
        BuiltinOperator op = builtin();
        return op == null ? "BUILTIN_" + builtinCode : op.name();
    }
}
