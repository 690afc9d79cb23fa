package npuc.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import npuc.graph.DataType;
import npuc.graph.Graph;

/**
 * A model as the {@link npuc.tflite.ModelBuilder} calls that build it: a straight-line program of statements,
 * each adding one operator (or input, or constant) and reading tensors of earlier statements by {@link Ref}, then
 * the model's outputs. Scripts are what the generator makes and the reducer shrinks; {@link #javaSource} prints
 * one as the Java a regression test keeps.
 */
public record ModelScript(Header header, List<Statement> statements, List<Ref> outputs) {

    /** The model's name and activation type (INT8, UINT8 or INT16). */
    public record Header(String name, DataType type) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    public ModelScript {
        Objects.requireNonNull(header, "header");
        statements = List.copyOf(statements);
        outputs = List.copyOf(outputs);
        for (int i = 0; i < statements.size(); i++) {
            for (Ref r : statements.get(i).refs()) {
                if (r.statement() >= i) {
                    throw new IllegalArgumentException("statement " + i + " reads " + r + ", not made before it");
                }
            }
        }
        for (Ref r : outputs) {
            if (r.statement() >= statements.size()) {
                throw new IllegalArgumentException("output " + r + " is not made by any statement");
            }
        }
    }

    public Graph build() {
        return ScriptRunner.build(this);
    }

    /** The builder calls as Java statements, in a method body that returns the model. */
    public String javaSource() {
        return JavaSource.of(this);
    }

    /** Statements that are not model inputs: the operators and constants. */
    public int operatorCount() {
        return (int) statements.stream().filter(s -> !s.isInput()).count();
    }

    /** The statements that read output {@code statement} made. */
    public List<Integer> readersOf(int statement) {
        List<Integer> readers = new ArrayList<>();
        for (int i = statement + 1; i < statements.size(); i++) {
            if (statements.get(i).refs().stream().anyMatch(r -> r.statement() == statement)) {
                readers.add(i);
            }
        }
        return readers;
    }
}
