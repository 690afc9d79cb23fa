package npuc.search;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import npuc.alloc.ArenaAllocation;
import npuc.arch.Accelerator;
import npuc.arch.AxiPort;
import npuc.arch.SystemConfig;
import npuc.arch.Target;
import npuc.frontend.FrontEndException;
import npuc.frontend.FrontEndResult;
import npuc.graph.Graph;
import npuc.schedule.WeightEncodingCache;

/**
 * The candidate spaces of one sweep: one per model (the same {@link Graph} object), accelerator, system config,
 * memory mode and allocator settings, whatever the arena cache size, so the compiles of a sweep over arena sizes
 * make each schedule once. Safe for concurrent compiles; it holds every space it made, so its owner drops it with
 * the sweep.
 */
public final class SearchSpaces {
    private final WeightEncodingCache weights;
    private final Map<Key, CandidateSpace> spaces = new ConcurrentHashMap<>();

    /** The target without its arena cache size: the memory mode's name and ports. */
    private record Key(ModelIdentity model, Accelerator accelerator, SystemConfig system, String memoryMode,
                       AxiPort constPort, AxiPort arenaPort, AxiPort cachePort, ArenaAllocation.Settings settings,
                       boolean forceSymmetricIntWeights) {
    }

    /** A model compared by identity: hashing a whole model's buffers would cost more than it saves. */
    private record ModelIdentity(Graph graph) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ModelIdentity m && m.graph == graph;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(graph);
        }
    }

    public SearchSpaces(WeightEncodingCache weights) {
        this.weights = weights;
    }

    public SearchSpaces() {
        this(new WeightEncodingCache());
    }

    /** The encoded weights these spaces share, also with compiles of Vela's strategies. */
    public WeightEncodingCache weights() {
        return weights;
    }

    /**
     * The space of {@code model} on {@code target}'s accelerator, system config and memory mode; made with the front
     * end {@code frontEnd} gives on first request, which the compiles sharing the space then use.
     */
    public CandidateSpace of(Graph model, Target target, ArenaAllocation.Settings settings,
            boolean forceSymmetricIntWeights, FrontEndSource frontEnd) throws FrontEndException {
        var mode = target.memoryMode();
        Key key = new Key(new ModelIdentity(model), target.accelerator(), target.systemConfig(), mode.name(),
                mode.constPort(), mode.arenaPort(), mode.cachePort(), settings, forceSymmetricIntWeights);
        CandidateSpace space = spaces.get(key);
        if (space != null) {
            return space;
        }
        synchronized (this) {
            space = spaces.get(key);
            if (space == null) {
                space = CandidateSpace.of(frontEnd.run(), target, settings, weights);
                spaces.put(key, space);
            }
            return space;
        }
    }

    /** Runs the front end for a space's first compile. */
    @FunctionalInterface
    public interface FrontEndSource {
        FrontEndResult run() throws FrontEndException;
    }
}
