package npuc.tflite;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;

/**
 * The options table an operator gets when its model gives none: Vela reads absent options as every field at its
 * default and writes that table back, so a CPU operator without options comes out with an empty table of its
 * kind. Only tables whose fields all default to zero are made here (those npuc models as records of numbers,
 * flags and enums); for any other the operator keeps no options.
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
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            Object v = zero(t);
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        try {
            Constructor<?> ctor = record.getDeclaredConstructor(types);
            return (BuiltinOptions) ctor.newInstance(values.toArray());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A field's schema default of zero, or null for a type whose zero npuc cannot name. */
    private static Object zero(Class<?> t) {
        if (t == int.class) {
            return 0;
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == float.class) {
            return 0f;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            for (Object c : constants) {
                try {
                    if (((Number) t.getMethod("code").invoke(c)).intValue() == 0) {
                        return c;
                    }
                } catch (ReflectiveOperationException e) {
                    return null;
                }
            }
            return null;
        }
        return null;
    }
}
