package npuc.frontend;

import java.util.Collection;
import java.util.List;

import npuc.graph.BuiltinOperator;

/** Operator-type lists as Vela prints them in constraint descriptions: TFLite names, sorted, comma-separated. */
final class OperatorNames {
    private OperatorNames() {
    }

    /**
     * Vela's lists also hold its internal operator types (SHL, ReduceSum, ...), which have no TFLite name
     * and are left out of the printed list; the sets here hold only TFLite operators.
     */
    static String format(Collection<BuiltinOperator> ops) {
        List<String> names = ops.stream().map(BuiltinOperator::name).sorted().toList();
        return String.join(", ", names);
    }
}
