package npuc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/**
 * A stable name for one kind of internal error, so that a farm groups its failures: the pipeline stage that
 * was running, the TFLite operator type the error is about, the exception type and the npuc class it was
 * thrown from. Line numbers and tensor names are left out on purpose: the same bug met in two models, or in
 * two builds, gets the same signature.
 *
 * <p>Printed as {@code stage/OPERATOR/ExceptionType@CodeSite}, e.g.
 * {@code codegen/RESIZE_BILINEAR/IllegalArgumentException@ArenaPlacement}.
 *
 * @param stage         the pipeline stage ({@code frontend}, {@code scheduler}, {@code allocation},
 *                      {@code constants}, {@code codegen}, {@code report}, {@code writer}), or the package of
 *                      the code site when the error met no stage boundary
 * @param operatorType  the TFLite operator the message names (through a tensor it reads or writes), or
 *                      {@value #NO_OPERATOR} when it names none
 * @param exceptionType the simple name of the exception's class
 * @param codeSite      the simple name of the outermost npuc class of the frame that threw
 */
public record FailureSignature(String stage, String operatorType, String exceptionType, String codeSite) {

    /** The operator type of an error whose message names no tensor or operator of the model. */
    public static final String NO_OPERATOR = "-";

    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    public FailureSignature {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(operatorType, "operatorType");
        Objects.requireNonNull(exceptionType, "exceptionType");
        Objects.requireNonNull(codeSite, "codeSite");
    }

    /** The signature of {@code error} met in {@code stage} while compiling {@code model} (which may be null). */
    public static FailureSignature of(String stage, Throwable error, Graph model) {
        return new FailureSignature(stage, operatorType(error.getMessage(), model), error.getClass().getSimpleName(),
                codeSite(error));
    }

    /**
     * The signature of an error met outside any stage boundary (reading a model, writing a report): its stage is
     * the package of the code site, its operator unknown.
     */
    public static FailureSignature of(Throwable error) {
        if (error instanceof InternalCompilerError internal) {
            return internal.signature();
        }
        StackTraceElement frame = npucFrame(error);
        String stage = "unknown";
        if (frame != null) {
            String className = frame.getClassName();
            int lastDot = className.lastIndexOf('.');
            String pkg = lastDot < 0 ? "" : className.substring(0, lastDot);
            stage = pkg.startsWith("npuc.") ? pkg.substring("npuc.".length()) : pkg.isEmpty() ? "npuc" : pkg;
        }
        return of(stage, error, null);
    }

    @Override
    public String toString() {
        return stage + "/" + operatorType + "/" + exceptionType + "@" + codeSite;
    }

    /**
     * The operator type behind the first name in quotes in {@code message} that is a tensor of the model: the
     * operator that writes it, else the first that reads it. A tensor the rewrites derived from a model tensor
     * ("conv/BiasAdd_avgpooled" from "conv/BiasAdd") is found by the longest model tensor name it begins with.
     */
    static String operatorType(String message, Graph model) {
        if (message == null || model == null) {
            return NO_OPERATOR;
        }
        List<String> names = new ArrayList<>();
        Matcher m = QUOTED.matcher(message);
        while (m.find()) {
            names.add(m.group(1));
        }
        for (boolean exact : new boolean[] {true, false}) {
            for (String name : names) {
                String type = operatorOf(name, model, exact);
                if (type != null) {
                    return type;
                }
            }
        }
        return NO_OPERATOR;
    }

    private static String operatorOf(String name, Graph model, boolean exact) {
        String bestType = null;
        int bestLength = 0;
        for (Subgraph sg : model.subgraphs()) {
            List<Tensor> tensors = sg.tensors();
            for (int t = 0; t < tensors.size(); t++) {
                String tensorName = tensors.get(t).name();
                if (tensorName == null || tensorName.isEmpty()) {
                    continue;
                }
                boolean matches = exact ? tensorName.equals(name) : name.startsWith(tensorName);
                if (!matches || tensorName.length() <= bestLength) {
                    continue;
                }
                String type = touching(model, sg, t);
                if (type != null) {
                    bestType = type;
                    bestLength = tensorName.length();
                }
            }
        }
        return bestType;
    }

    /** The type of the operator writing tensor {@code t}, else of the first reading it. */
    private static String touching(Graph model, Subgraph sg, int t) {
        String reader = null;
        for (Operator op : sg.operators()) {
            if (op.outputs().contains(t)) {
                return model.operatorCode(op).displayName();
            }
            if (reader == null && op.inputs().contains(t)) {
                reader = model.operatorCode(op).displayName();
            }
        }
        return reader;
    }

    private static String codeSite(Throwable error) {
        StackTraceElement frame = npucFrame(error);
        if (frame == null) {
            StackTraceElement[] trace = error.getStackTrace();
            return trace.length == 0 ? "unknown" : simpleName(trace[0].getClassName());
        }
        return simpleName(frame.getClassName());
    }

    /** The topmost frame in npuc's own code: where npuc threw, or called the library that did. */
    private static StackTraceElement npucFrame(Throwable error) {
        for (StackTraceElement frame : error.getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("npuc.") && !c.equals(FailureSignature.class.getName())) {
                return frame;
            }
        }
        return null;
    }

    private static String simpleName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        return nested > 0 ? simple.substring(0, nested) : simple;
    }
}
