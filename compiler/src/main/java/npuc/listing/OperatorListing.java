package npuc.listing;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.frontend.GraphSnapshot;
import npuc.graph.Activation;
import npuc.graph.BuiltinOptions;
import npuc.graph.Padding;
import npuc.report.PythonFloat;

/**
 * Vela's {@code --verbose-operators}: the operators of each subgraph as read from the model (constants and
 * placeholders left out), each with its attributes as Vela holds them: the options it reads, by Vela's names,
 * then those it derives (strides, kernel size, dilation, channel multiplier).
 */
final class OperatorListing {
    private static final Set<String> LEFT_OUT = Set.of("Const", "Identity", "Placeholder");

    private OperatorListing() {
    }

    static String of(List<GraphSnapshot> subgraphs) {
        StringBuilder s = new StringBuilder();
        for (GraphSnapshot sg : subgraphs) {
            s.append("Operators of Subgraph ").append(sg.name()).append('\n');
            List<GraphSnapshot.Op> ops = sg.ops().stream().filter(o -> !LEFT_OUT.contains(o.type())).toList();
            if (ops.isEmpty()) {
                s.append("No Operators\n");
                continue;
            }
            int width = ops.stream().mapToInt(o -> o.type().length()).max().orElse(0);
            for (int i = 0; i < ops.size(); i++) {
                GraphSnapshot.Op op = ops.get(i);
                s.append(String.format("%3d: %-" + width + "s - %s - %s%n", i, op.type(), attributes(op), op.name()));
            }
        }
        return s.toString();
    }

    /** The attribute dictionary as Python prints it. */
    static String attributes(GraphSnapshot.Op op) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("attribute_read_error", "[]");
        Map<String, Object> options = options(op.options());
        for (String name : GraphSnapshot.velaAttributeNames(op.builtin())) {
            Object v = options.get(name);
            if (v != null) {
                attrs.put(name, python(v));
            }
        }
        if (attrs.containsKey("stride_w")) {
            attrs.put("strides", tuple(1, options.get("stride_h"), options.get("stride_w"), 1));
        }
        if (attrs.containsKey("filter_width")) {
            attrs.put("ksize", tuple(1, options.get("filter_height"), options.get("filter_width"), 1));
        }
        if (attrs.containsKey("dilation_w_factor")) {
            attrs.put("dilation", tuple(1, options.get("dilation_h_factor"), options.get("dilation_w_factor"), 1));
        }
        if (attrs.containsKey("depth_multiplier")) {
            attrs.put("channel_multiplier", attrs.get("depth_multiplier"));
        }
        if (op.builtin() == npuc.graph.BuiltinOperator.CONV_2D && op.inputs().size() > 1 && op.inputs().get(0) != null
                && op.inputs().get(1) != null && op.inputs().get(1).shape().size() == 4) {
            List<Integer> ifm = op.inputs().get(0).shape();
            int kernelDepth = op.inputs().get(1).shape().get(2);
            if (!ifm.isEmpty() && kernelDepth > 0) {
                attrs.put("num_conv_groups", String.valueOf(ifm.get(ifm.size() - 1) / kernelDepth));
            }
        }
        List<String> items = new ArrayList<>();
        attrs.forEach((k, v) -> items.add("'" + k + "': " + v));
        return "{" + String.join(", ", items) + "}";
    }

    /** The options' fields by Vela's attribute names (snake case; dilations are Vela's "..._factor"). */
    private static Map<String, Object> options(BuiltinOptions options) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (options == null || !options.getClass().isRecord()) {
            return m;
        }
        for (RecordComponent c : options.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(options);
                String name = snake(c.getName());
                if (name.equals("activation")) {
                    name = "fused_activation_function";
                } else if (name.equals("dilation_w") || name.equals("dilation_h")) {
                    name = name + "_factor";
                }
                m.put(name, v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + options, e);
            }
        }
        return m;
    }

    private static String snake(String camel) {
        StringBuilder s = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                s.append('_').append(Character.toLowerCase(ch));
            } else {
                s.append(ch);
            }
        }
        return s.toString();
    }

    private static String tuple(Object... values) {
        List<String> items = new ArrayList<>();
        for (Object v : values) {
            items.add(python(v));
        }
        return "(" + String.join(", ", items) + ")";
    }

    private static String python(Object v) {
        if (v instanceof Padding p) {
            return "<Padding." + p.name() + ": " + p.code() + ">";
        }
        if (v instanceof Activation a) {
            return switch (a) {
                case NONE -> "None";
                case RELU -> "Relu";
                case RELU6 -> "Relu6";
                case RELU_N1_TO_1 -> "ReluN1To1";
                case TANH -> "Tanh";
                case SIGN_BIT -> "SignBit";
            };
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Float f) {
            return PythonFloat.repr(f);
        }
        if (v instanceof Double d) {
            return PythonFloat.repr(d);
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(x -> items.add(python(x)));
            return items.size() == 1 ? "(" + items.get(0) + ",)" : "(" + String.join(", ", items) + ")";
        }
        if (v instanceof String str) {
            return PythonText.repr(str);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(v);
    }
}
