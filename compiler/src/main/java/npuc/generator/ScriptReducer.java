package npuc.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import npuc.graph.Quantization;
import npuc.tflite.ModelBuilder.Node;

/**
 * Shrinks a model script while a property still holds of it (a difference from the reference, an internal error):
 * first it cuts the model after one operator, then it takes out operators one at a time, each taken-out operator's
 * outputs becoming model inputs of the same shape, type and quantization, so what the remaining operators read
 * is unchanged. Operators nothing reaches an output from are dropped. It stops at a script none of whose
 * reductions keeps the property, or when {@code budget} candidates have been tried.
 */
public final class ScriptReducer {
    private final Predicate<ModelScript> property;
    private int budget;

    private ScriptReducer(Predicate<ModelScript> property, int budget) {
        this.property = property;
        this.budget = budget;
    }

    /** The smallest script found for which {@code property} holds; {@code script} itself if none is smaller. */
    public static ModelScript reduce(ModelScript script, Predicate<ModelScript> property, int budget) {
        return new ScriptReducer(property, budget).run(script);
    }

    private ModelScript run(ModelScript script) {
        ModelScript best = script;
        // Cut after one operator: the earliest that keeps the property.
        for (int k = 0; k < best.statements().size() && budget > 0; k++) {
            if (best.statements().get(k).isInput()) {
                continue;
            }
            ModelScript cut = live(new ModelScript(best.header(), best.statements(), List.of(Ref.of(k))));
            if (cut != null && cut.statements().size() < best.statements().size() && holds(cut)) {
                best = cut;
                break;
            }
        }
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            for (int i = best.statements().size() - 1; i >= 0 && budget > 0; i--) {
                ModelScript candidate = without(best, i);
                if (candidate != null && holds(candidate)) {
                    best = candidate;
                    progress = true;
                    i = Math.min(i, best.statements().size());
                }
            }
            for (int o = 0; o < best.outputs().size() && best.outputs().size() > 1 && budget > 0; o++) {
                List<Ref> outputs = new ArrayList<>(best.outputs());
                outputs.remove(o);
                ModelScript candidate = live(new ModelScript(best.header(), best.statements(), outputs));
                if (candidate != null && holds(candidate)) {
                    best = candidate;
                    progress = true;
                    o--;
                }
            }
        }
        return best;
    }

    private boolean holds(ModelScript candidate) {
        budget--;
        try {
            candidate.build();
        } catch (RuntimeException e) {
            return false;
        }
        try {
            return property.test(candidate);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code script} without statement {@code i}: the tensors it made that later statements read become model
     * inputs. Null when one of them has no per-tensor quantization to give an input, or nothing would be left.
     */
    static ModelScript without(ModelScript script, int i) {
        ScriptRunner runner = new ScriptRunner(script.header());
        try {
            for (Statement s : script.statements().subList(0, i + 1)) {
                runner.apply(s);
            }
        } catch (RuntimeException e) {
            return null;
        }
        Statement removed = script.statements().get(i);
        Set<Ref> read = new HashSet<>();
        for (Statement s : script.statements().subList(i + 1, script.statements().size())) {
            s.refs().stream().filter(r -> r.statement() == i).forEach(read::add);
        }
        if (removed.isInput() && !read.isEmpty()) {
            return null;
        }
        List<Statement> statements = new ArrayList<>();
        Map<Ref, Ref> moved = new HashMap<>();
        for (int j = 0; j < script.statements().size(); j++) {
            if (j == i) {
                for (Ref r : read.stream().sorted((a, b) -> Integer.compare(a.part(), b.part())).toList()) {
                    Statement input = inputLike(runner.node(r));
                    if (input == null) {
                        return null;
                    }
                    moved.put(r, Ref.of(statements.size()));
                    statements.add(input);
                }
                continue;
            }
            int index = statements.size();
            int old = j;
            Statement s = script.statements().get(j).mapRefs(r -> moved.getOrDefault(r, r));
            statements.add(s);
            int parts = j < i ? runner.made(j).size() : 8;
            for (int p = 0; p < parts; p++) {
                moved.putIfAbsent(new Ref(old, p), new Ref(index, p));
            }
        }
        List<Ref> outputs = new ArrayList<>();
        for (Ref r : script.outputs()) {
            if (r.statement() != i) {
                outputs.add(moved.getOrDefault(r, r));
            }
        }
        if (outputs.isEmpty()) {
            return null;
        }
        return live(new ModelScript(script.header(), statements, outputs));
    }

    /** An input statement giving a tensor like {@code node}: its shape, type and per-tensor quantization. */
    private static Statement inputLike(Node node) {
        Quantization q = node.quantization();
        if (q == null || q.scale().size() != 1 || q.zeroPoint().size() != 1) {
            return null;
        }
        Statement s = Statement.of(Call.of("input", (Object) node.shape().stream().mapToInt(Integer::intValue)
                .toArray()));
        s = s.with(Call.of("inputType", node.dataType()));
        return s.with(Call.of("quantization", q.scale().get(0), q.zeroPoint().get(0)));
    }

    /** {@code script} with only the statements an output depends on, renumbered; null if no operator is left. */
    static ModelScript live(ModelScript script) {
        Set<Integer> needed = new HashSet<>();
        List<Integer> work = new ArrayList<>();
        script.outputs().forEach(r -> work.add(r.statement()));
        while (!work.isEmpty()) {
            int s = work.remove(work.size() - 1);
            if (needed.add(s)) {
                script.statements().get(s).refs().forEach(r -> work.add(r.statement()));
            }
        }
        Map<Integer, Integer> index = new HashMap<>();
        List<Statement> statements = new ArrayList<>();
        for (int j = 0; j < script.statements().size(); j++) {
            if (needed.contains(j)) {
                index.put(j, statements.size());
                statements.add(script.statements().get(j).mapRefs(r -> new Ref(index.get(r.statement()), r.part())));
            }
        }
        List<Ref> outputs = new ArrayList<>();
        for (Ref r : script.outputs()) {
            Ref mapped = new Ref(index.get(r.statement()), r.part());
            if (!outputs.contains(mapped) && !statements.get(mapped.statement()).isInput()) {
                outputs.add(mapped);
            }
        }
        if (outputs.isEmpty()) {
            return null;
        }
        return new ModelScript(script.header(), statements, outputs);
    }
}
