package npuc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import npuc.arch.Accelerator;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.graph.Graph;
import npuc.perf.PerformanceCache;
import npuc.schedule.WeightEncodingCache;
import npuc.search.SearchSpaces;

/**
 * The work compiles share: what does not depend on a target's arena size or strategy is made once per model
 * and accelerator and reused by every compile that passes the same session. That is the front end's result
 * (per model and accelerator), weight volumes and encoded weights (per weights, encoding geometry, block depth
 * and depth slicing), block-config searches, per-operation cycle costs, and the FastestFit search's candidate
 * schedules ({@link SearchSpaces}, per model object and target without its arena size).
 *
 * <pre>{@code
 * CompileSession session = CompileSession.create();            // one per job, sweep or worker
 * for (Target target : targets) {
 *     CompileResult r = Compiler.compile(name, model, target, options, session);
 * }
 * Map<String, CompileSession.Statistics> hits = session.statistics();
 * }</pre>
 *
 * Everything is keyed by content (the model's values, the weights' values, the questions asked), never by
 * object, so two parses of one model share too. A session is safe for any number of concurrent compiles and
 * bounded: each kind of work has a share of the byte limit and its least useful entries are evicted beyond it
 * (an evicted entry is made again when next asked for). Results are the same with or without a session, and
 * with any limit.
 */
public final class CompileSession {
    /** The limit of {@link #create()}. */
    public static final long DEFAULT_BYTES = 256L << 20;

    /** Names of the kinds of shared work, as {@link #statistics()} and the worker's metrics give them. */
    public static final String FRONT_END = "front_end";
    public static final String WEIGHT_VOLUME = "weight_volume";
    public static final String ENCODED_WEIGHTS = "encoded_weights";
    public static final String BLOCK_CONFIG = "block_config";
    public static final String CYCLE_COST = "cycle_cost";

    /** Bytes of a front-end result beyond its constants, per operation. */
    private static final int BYTES_PER_OPERATION = 2048;

    private final Cache<FrontEndKey, FrontEndResult> frontEnds;
    private final WeightEncodingCache weights;
    private final PerformanceCache performance;
    private final SearchSpaces searchSpaces;

    /** A model (compared by content) and what its front end depends on. */
    private record FrontEndKey(Graph model, Accelerator accelerator, boolean forceSymmetricIntWeights) {
    }

    /**
     * How one kind of shared work has been used: lookups answered from the session, lookups that made the work,
     * entries evicted to stay within the limit, and the bytes it holds now (estimated).
     */
    public record Statistics(long hits, long misses, long evictions, long bytes) {
        /** Nothing counted. */
        public static final Statistics NONE = new Statistics(0, 0, 0, 0);

        static Statistics of(CacheStats s, long bytes) {
            return new Statistics(s.hitCount(), s.missCount(), s.evictionCount(), bytes);
        }

        /** The counts and bytes of both. */
        public Statistics plus(Statistics o) {
            return new Statistics(hits + o.hits, misses + o.misses, evictions + o.evictions, bytes + o.bytes);
        }

        /** The counts of a session no longer held: nothing of it is in memory. */
        public Statistics withoutBytes() {
            return new Statistics(hits, misses, evictions, 0);
        }
    }

    private CompileSession(long maxBytes, SearchSpaces spaces) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("a compile session's limit must be positive, not " + maxBytes);
        }
        // Encoded weights are the costliest to make and the largest; the front end is next.
        frontEnds = Caffeine.newBuilder().maximumWeight(Math.max(1, maxBytes / 4))
                .weigher((FrontEndKey k, FrontEndResult r) -> weight(r)).recordStats().build();
        performance = new PerformanceCache(maxBytes / 16);
        if (spaces == null) {
            weights = new WeightEncodingCache(maxBytes / 16 * 11);
            searchSpaces = new SearchSpaces(weights);
        } else {
            weights = spaces.weights();
            searchSpaces = spaces;
        }
    }

    /** A session whose encoded weights and search spaces are those of {@code spaces}. */
    static CompileSession sharing(SearchSpaces spaces) {
        return new CompileSession(DEFAULT_BYTES, spaces);
    }

    /** A session holding up to {@link #DEFAULT_BYTES}. */
    public static CompileSession create() {
        return new CompileSession(DEFAULT_BYTES, null);
    }

    /** A session holding up to about {@code maxBytes} of shared work. */
    public static CompileSession withLimit(long maxBytes) {
        return new CompileSession(maxBytes, null);
    }

    /** The statistics of each kind of shared work, by the names above. */
    public Map<String, Statistics> statistics() {
        Map<String, Statistics> out = new LinkedHashMap<>();
        out.put(FRONT_END, Statistics.of(frontEnds.stats(),
                frontEnds.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L)));
        out.put(WEIGHT_VOLUME, Statistics.of(weights.volumeStatistics(), weights.volumeBytes()));
        out.put(ENCODED_WEIGHTS, Statistics.of(weights.encodingStatistics(), weights.encodingBytes()));
        out.put(BLOCK_CONFIG, Statistics.of(performance.blockConfigStatistics(), performance.blockConfigBytes()));
        out.put(CYCLE_COST, Statistics.of(performance.cycleCostStatistics(), performance.cycleCostBytes()));
        return out;
    }

    FrontEndResult frontEnd(Graph model, Accelerator accelerator, boolean forceSymmetricIntWeights,
            Supplier<FrontEndResult> run) {
        return frontEnds.get(new FrontEndKey(model, accelerator, forceSymmetricIntWeights), k -> run.get());
    }

    WeightEncodingCache weights() {
        return weights;
    }

    PerformanceCache performance() {
        return performance;
    }

    SearchSpaces searchSpaces() {
        return searchSpaces;
    }

    /** Estimated bytes of a front-end result: its constants and a share per operation. */
    private static int weight(FrontEndResult r) {
        long bytes = 0;
        java.util.Set<TensorInfo> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (SubgraphPlan sg : r.subgraphs()) {
            for (PassInfo pass : sg.passes()) {
                for (OperationInfo op : pass.ops()) {
                    bytes += BYTES_PER_OPERATION;
                    for (TensorInfo t : op.inputs()) {
                        if (t != null && t.values() != null && seen.add(t)) {
                            bytes += t.values().byteSize();
                        }
                    }
                }
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
