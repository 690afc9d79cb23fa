package npuc.generator;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link ModelScript} as the Java that builds it with {@link npuc.tflite.ModelBuilder}: one local per
 * statement ({@code Node n3 = b.from(n2).conv2d(8, 3, 3).stride(2, 2).node();}), then the outputs and the build.
 */
final class JavaSource {
    private final ModelScript script;

    private JavaSource(ModelScript script) {
        this.script = script;
    }

    static String of(ModelScript script) {
        return new JavaSource(script).text();
    }

    private String text() {
        StringBuilder out = new StringBuilder();
        ModelScript.Header h = script.header();
        out.append("ModelBuilder b = ModelBuilder.of(DataType.").append(h.type().name()).append(", ")
                .append(quote(h.name())).append(");\n");
        for (int i = 0; i < script.statements().size(); i++) {
            Statement s = script.statements().get(i);
            boolean returnsNode = ScriptRunner.method(s.calls().get(s.calls().size() - 1)).getReturnType()
                    != npuc.tflite.ModelBuilder.class;
            out.append(s.parts() ? "List<Node> " : "Node ").append(variable(i)).append(" = b");
            for (Call c : s.calls()) {
                out.append('.').append(call(c));
            }
            if (!returnsNode) {
                out.append(s.parts() ? ".nodes()" : ".node()");
            }
            out.append(";\n");
        }
        List<String> outputs = new ArrayList<>();
        for (Ref r : script.outputs()) {
            outputs.add(refText(r));
        }
        out.append("return b.output(").append(String.join(", ", outputs)).append(").build();\n");
        return out.toString();
    }

    private String call(Call c) {
        Method m = ScriptRunner.method(c);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            boolean varargs = m.isVarArgs() && i == c.args().size() - 1;
            args.add(argument(c.args().get(i), varargs));
        }
        return c.method() + "(" + String.join(", ", args) + ")";
    }

    private String argument(Object a, boolean varargs) {
        if (a instanceof Ref r) {
            return refText(r);
        }
        if (a instanceof Ref[] rs) {
            List<String> refs = new ArrayList<>();
            for (Ref r : rs) {
                refs.add(refText(r));
            }
            return varargs ? String.join(", ", refs) : "new Node[] {" + String.join(", ", refs) + "}";
        }
        if (a instanceof int[] ints) {
            List<String> values = new ArrayList<>();
            for (int v : ints) {
                values.add(Integer.toString(v));
            }
            return varargs ? String.join(", ", values) : "new int[] {" + String.join(", ", values) + "}";
        }
        if (a instanceof float[] floats) {
            List<String> values = new ArrayList<>();
            for (float v : floats) {
                values.add(floatText(v));
            }
            return varargs ? String.join(", ", values) : "new float[] {" + String.join(", ", values) + "}";
        }
        if (a instanceof Float f) {
            return floatText(f);
        }
        if (a instanceof Long l) {
            return l + "L";
        }
        if (a instanceof String s) {
            return quote(s);
        }
        if (a instanceof Enum<?> e) {
            return e.getDeclaringClass().getSimpleName() + "." + e.name();
        }
        return String.valueOf(a);
    }

    /** A float literal that reads back as the same float. */
    private static String floatText(float v) {
        return Float.toString(v).toLowerCase(Locale.ROOT) + "f";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String variable(int statement) {
        return "n" + statement;
    }

    private String refText(Ref r) {
        return script.statements().get(r.statement()).parts() ? variable(r.statement()) + ".get(" + r.part() + ")"
                : variable(r.statement());
    }
}
