package npuc.frontend;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a caller wants to see of the front end as it runs: snapshots of the graph at the stages it asks for.
 * Snapshots are made only when asked, so a compile that shows nothing pays nothing.
 */
public interface FrontEndTrace {
    FrontEndTrace NONE = new FrontEndTrace() {
    };

    default boolean wants(GraphStage stage) {
        return false;
    }

    /** The graph at {@code stage}, one snapshot per subgraph; called only when {@link #wants} said so. */
    default void graph(GraphStage stage, List<GraphSnapshot> subgraphs) {
    }

    /** Whether {@link #passes} is wanted. */
    default boolean wantsPasses() {
        return false;
    }

    /** The passes the operations were packed into, before the NPU/CPU partition. */
    default void passes(List<FrontEndResult.PassInfo> passes) {
    }

    /** Takes the snapshot if wanted. */
    default void offer(GraphStage stage, Supplier<List<GraphSnapshot>> snapshot) {
        if (wants(stage)) {
            graph(stage, snapshot.get());
        }
    }
}
