package npuc;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndTrace;
import npuc.frontend.GraphSnapshot;
import npuc.frontend.GraphStage;

/**
 * What one compile shows of itself beyond its result, for Vela's verbose outputs: the graph at the front-end
 * stages asked for, and how long scheduling took. One trace belongs to one compile.
 */
public final class CompileTrace implements FrontEndTrace {
    private final Set<GraphStage> wanted;
    private final Map<GraphStage, List<GraphSnapshot>> graphs = new EnumMap<>(GraphStage.class);
    private final boolean wantsPasses;
    private List<FrontEndResult.PassInfo> passes = List.of();
    private long schedulingNanos;

    /** A trace of the graphs at {@code wanted}, and of the packed passes when {@code passes}. */
    public CompileTrace(Set<GraphStage> wanted, boolean passes) {
        this.wanted = wanted.isEmpty() ? EnumSet.noneOf(GraphStage.class) : EnumSet.copyOf(wanted);
        this.wantsPasses = passes;
    }

    /** A trace that records no graphs. */
    public static CompileTrace none() {
        return new CompileTrace(Set.of(), false);
    }

    /** Whether the front end must run for this trace: it records graphs or passes. */
    boolean recordsFrontEnd() {
        return wantsPasses || !wanted.isEmpty();
    }

    @Override
    public boolean wantsPasses() {
        return wantsPasses;
    }

    @Override
    public void passes(List<FrontEndResult.PassInfo> packed) {
        passes = List.copyOf(packed);
    }

    /** The passes as packed, before the partition; empty when not asked for. */
    public List<FrontEndResult.PassInfo> passes() {
        return passes;
    }

    @Override
    public boolean wants(GraphStage stage) {
        return wanted.contains(stage);
    }

    @Override
    public void graph(GraphStage stage, List<GraphSnapshot> subgraphs) {
        graphs.put(stage, List.copyOf(subgraphs));
    }

    /** The graph at a stage asked for, one snapshot per subgraph; empty when not asked for. */
    public List<GraphSnapshot> graph(GraphStage stage) {
        return graphs.getOrDefault(stage, List.of());
    }

    void scheduled(long nanos) {
        schedulingNanos = nanos;
    }

    /** Seconds spent scheduling and allocating the arena (what Vela's --timing calls scheduling). */
    public double schedulingSeconds() {
        return schedulingNanos / 1e9;
    }
}
