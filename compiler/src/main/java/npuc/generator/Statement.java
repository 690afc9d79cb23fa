package npuc.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of a model script: a chain of builder calls that adds one operator (or input, or constant) and
 * names its outputs. {@code parts} is true for operators with several outputs (SPLIT, SPLIT_V, UNPACK), whose
 * outputs are read as a list.
 */
public record Statement(List<Call> calls, boolean parts) {
    public Statement {
        calls = List.copyOf(calls);
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("a statement needs at least one call");
        }
    }

    public static Statement of(Call... calls) {
        return new Statement(List.of(calls), false);
    }

    /** The operator (or input or constant) call: the first that is not seed or from. */
    public Call operator() {
        return calls.stream().filter(c -> !c.method().equals("seed") && !c.method().equals("from")).findFirst()
                .orElseThrow();
    }

    public boolean isInput() {
        return operator().method().equals("input");
    }

    /** The tensors this statement reads. */
    public List<Ref> refs() {
        List<Ref> refs = new ArrayList<>();
        calls.forEach(c -> refs.addAll(c.refs()));
        return refs;
    }

    Statement mapRefs(java.util.function.UnaryOperator<Ref> map) {
        return new Statement(calls.stream().map(c -> c.mapRefs(map)).toList(), parts);
    }

    /** This statement with {@code call} appended. */
    public Statement with(Call call) {
        List<Call> more = new ArrayList<>(calls);
        more.add(Objects.requireNonNull(call, "call"));
        return new Statement(more, parts);
    }
}
