package npuc.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.graph.BuiltinOperator;

/**
 * The front end's operator constraint tables as values, for the supported-operators report: which TFLite
 * operators can run on the NPU, the constraints every one of them must meet (and the operators exempt from
 * each), and each operator's own constraints, semantic ones first, as the checks run them.
 */
public final class ConstraintTables {
    private ConstraintTables() {
    }

    /** A generic constraint: its description and the TFLite names of the operators it does not apply to, sorted. */
    public record Generic(String description, List<String> exempt) {
        public Generic {
            exempt = List.copyOf(exempt);
        }
    }

    /** The TFLite operators the NPU can run, sorted by name. */
    public static List<BuiltinOperator> supportedOperators() {
        return SupportedOperators.SUPPORTED_TYPES.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** The generic constraints: the semantic checks, then the supported-operator checks. */
    public static List<Generic> generic() {
        List<Generic> list = new ArrayList<>();
        add(list, SemanticConstraints.GENERIC, SemanticConstraints.GENERIC_EXCLUSIONS);
        add(list, SupportedOperators.GENERIC, SupportedOperators.GENERIC_EXCEPTIONS);
        return list;
    }

    /** The descriptions of the constraints {@code op} has of its own, semantic ones first; empty for none. */
    public static List<String> specific(BuiltinOperator op) {
        List<String> list = new ArrayList<>();
        SemanticConstraints.SPECIFIC.getOrDefault(op, List.of()).forEach(c -> list.add(c.description()));
        SupportedOperators.SPECIFIC.getOrDefault(op, List.of()).forEach(c -> list.add(c.description()));
        return list;
    }

    private static void add(List<Generic> list, List<Constraint> constraints,
            Map<BuiltinOperator, Set<Constraint>> exemptions) {
        for (Constraint c : constraints) {
            List<String> exempt = exemptions.entrySet().stream().filter(e -> e.getValue().contains(c))
                    .map(e -> e.getKey().name()).sorted().toList();
            list.add(new Generic(c.description(), exempt));
        }
    }
}
