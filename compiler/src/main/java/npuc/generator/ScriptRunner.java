package npuc.generator;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import npuc.graph.Graph;
import npuc.tflite.ModelBuilder;
import npuc.tflite.ModelBuilder.Node;

/**
 * Runs a model script's statements on a {@link ModelBuilder}, one at a time, keeping the tensors each made. The
 * calls are the builder's public methods found by name and argument types, so a script means exactly what its
 * Java source ({@link JavaSource}) says.
 */
public final class ScriptRunner {
    private static final Map<String, Method> METHODS = new ConcurrentHashMap<>();

    private final ModelBuilder builder;
    private final List<List<Node>> made = new ArrayList<>();

    public ScriptRunner(ModelScript.Header header) {
        this.builder = ModelBuilder.of(header.type(), header.name());
    }

    /** The model of {@code script}. */
    public static Graph build(ModelScript script) {
        ScriptRunner runner = new ScriptRunner(script.header());
        script.statements().forEach(runner::apply);
        return runner.build(script.outputs());
    }

    /**
     * Adds one statement and returns the tensors it made.
     *
     * @throws IllegalArgumentException when the builder refuses it (shapes that do not fit, bad settings); the
     *     builder may then hold part of the statement, so a caller that goes on starts a new runner
     */
    public List<Node> apply(Statement statement) {
        Object target = builder;
        for (Call call : statement.calls()) {
            if (!(target instanceof ModelBuilder)) {
                throw new IllegalArgumentException("call " + call.method() + " follows a call that ended the chain");
            }
            target = invoke(call);
        }
        List<Node> nodes;
        if (target instanceof Node node) {
            nodes = List.of(node);
        } else {
            nodes = statement.parts() ? builder.nodes() : List.of(builder.node());
        }
        made.add(nodes);
        return nodes;
    }

    /** A tensor an earlier statement made. */
    public Node node(Ref ref) {
        List<Node> nodes = made.get(ref.statement());
        if (ref.part() >= nodes.size()) {
            throw new IllegalArgumentException("statement " + ref.statement() + " made " + nodes.size()
                    + " tensors, not " + (ref.part() + 1));
        }
        return nodes.get(ref.part());
    }

    public int statementCount() {
        return made.size();
    }

    public List<Node> made(int statement) {
        return made.get(statement);
    }

    /** The model with these outputs. */
    public Graph build(List<Ref> outputs) {
        builder.output(outputs.stream().map(this::node).toArray(Node[]::new));
        return builder.build();
    }

    private Object invoke(Call call) {
        Object[] args = call.args().stream().map(this::argument).toArray();
        Method method = method(call);
        try {
            return method.invoke(builder, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                throw new IllegalArgumentException(cause.getMessage(), cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("ModelBuilder." + call.method() + " is not public", e);
        }
    }

    private Object argument(Object a) {
        if (a instanceof Ref r) {
            return node(r);
        }
        if (a instanceof Ref[] rs) {
            Node[] nodes = new Node[rs.length];
            for (int i = 0; i < rs.length; i++) {
                nodes[i] = node(rs[i]);
            }
            return nodes;
        }
        return a;
    }

    /** The public ModelBuilder method of this name whose parameters take these arguments. */
    static Method method(Call call) {
        StringBuilder key = new StringBuilder(call.method());
        for (Object a : call.args()) {
            key.append(',').append(a.getClass().getName());
        }
        return METHODS.computeIfAbsent(key.toString(), k -> find(call));
    }

    private static Method find(Call call) {
        for (Method m : ModelBuilder.class.getMethods()) {
            if (!m.getName().equals(call.method()) || m.getParameterCount() != call.args().size()) {
                continue;
            }
            Class<?>[] params = m.getParameterTypes();
            boolean fits = true;
            for (int i = 0; i < params.length && fits; i++) {
                fits = fits(params[i], call.args().get(i));
            }
            if (fits) {
                return m;
            }
        }
        throw new IllegalArgumentException("ModelBuilder has no method " + call.method() + " taking "
                + call.args().stream().map(a -> a.getClass().getSimpleName()).toList());
    }

    private static boolean fits(Class<?> param, Object arg) {
        if (arg instanceof Integer) {
            return param == int.class;
        }
        if (arg instanceof Long) {
            return param == long.class;
        }
        if (arg instanceof Float) {
            return param == float.class;
        }
        if (arg instanceof Boolean) {
            return param == boolean.class;
        }
        if (arg instanceof Ref) {
            return param == Node.class;
        }
        if (arg instanceof Ref[]) {
            return param == Node[].class;
        }
        return param.isInstance(arg);
    }
}
