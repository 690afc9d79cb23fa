package npuc.tflite;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;

/**
 * The options table an operator gets when its model gives none: Vela reads absent options as a table of
 * defaults and writes that table back, so a CPU operator without options comes out with an empty table of its
 * kind. Only tables without fields are made here, where "empty" and "all defaults" are the same value; an
 * operator whose table has fields keeps no options.
 */
final class DefaultBuiltinOptions {
    private static final Map<Integer, BuiltinOptions> BY_UNION_TYPE = defaults();

    private DefaultBuiltinOptions() {
    }

    /** The all-default options of {@code builtin}'s table, or null when it has none npuc can make. */
    static BuiltinOptions of(BuiltinOperator builtin) {
        if (builtin == null) {
            return null;
        }
        int unionType = unionTypeOf(builtin);
        return unionType <= 0 ? null : BY_UNION_TYPE.get(unionType);
    }

    /** The table named after the operator (CONV_2D: Conv2DOptions), compared without underscores or case. */
    private static int unionTypeOf(BuiltinOperator builtin) {
        String want = builtin.name().replace("_", "") + "OPTIONS";
        String[] names = npuc.schema.tflite.BuiltinOptions.names;
        for (int i = 1; i < names.length; i++) {
            if (names[i].toUpperCase(Locale.ROOT).equals(want)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<Integer, BuiltinOptions> defaults() {
        Map<Integer, BuiltinOptions> out = new HashMap<>();
        for (Class<?> c : BuiltinOptions.class.getPermittedSubclasses()) {
            if (!c.isRecord()) {
                continue;
            }
            BuiltinOptions made = allDefault(c);
            if (made != null) {
                out.put(made.unionType(), made);
            }
        }
        return out;
    }

    private static BuiltinOptions allDefault(Class<?> record) {
        if (record.getRecordComponents().length != 0) {
            return null;
        }
        try {
            return (BuiltinOptions) record.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
