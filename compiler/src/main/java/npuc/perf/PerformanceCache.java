package npuc.perf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import npuc.arch.Accelerator;
import npuc.arch.SystemConfig;

/**
 * Block-config searches and per-operation cycle costs shared by compiles: both depend on the accelerator (and
 * the costs on the system config) and on the operation's shapes, never on the arena size or the strategy, so
 * the targets of a sweep ask the same questions again and again. Keyed by the questions' contents; safe for
 * concurrent compiles; bounded by entries' estimated bytes.
 */
public final class PerformanceCache {
    /** The limit of {@link #PerformanceCache()}. */
    public static final long DEFAULT_BYTES = 32L << 20;
    /** Estimated bytes of one entry: key and value records, shapes, map node. */
    private static final int ENTRY_BYTES = 512;

    private final Cache<BlockConfigKey, BlockConfig> blockConfigs;
    private final Cache<CostKey, CycleCost> cycleCosts;
    /** A number for each (accelerator, system config) costs were asked for, so cost keys compare it cheaply. */
    private final Map<CostContext, Integer> contexts = new ConcurrentHashMap<>();
    private final AtomicInteger nextContext = new AtomicInteger();

    private record BlockConfigKey(Accelerator accelerator, BlockConfigQuery query) {
    }

    private record CostContext(Accelerator accelerator, SystemConfig systemConfig) {
    }

    private record CostKey(int context, PerformanceQuery query) {
    }

    public PerformanceCache() {
        this(DEFAULT_BYTES);
    }

    /** A cache of up to about {@code maxBytes}, half for each kind. */
    public PerformanceCache(long maxBytes) {
        long entries = Math.max(1, maxBytes / 2 / ENTRY_BYTES);
        blockConfigs = Caffeine.newBuilder().maximumSize(entries).recordStats().build();
        cycleCosts = Caffeine.newBuilder().maximumSize(entries).recordStats().build();
    }

    /**
     * The block config {@code search} finds for {@code query} on {@code accelerator}; null (not kept) when none
     * fits.
     */
    BlockConfig blockConfig(Accelerator accelerator, BlockConfigQuery query,
            Function<BlockConfigQuery, BlockConfig> search) {
        BlockConfigKey key = new BlockConfigKey(accelerator, query);
        BlockConfig cached = blockConfigs.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        BlockConfig found = search.apply(query);
        if (found != null) {
            blockConfigs.put(key, found);
        }
        return found;
    }

    /** The number standing for costs on this accelerator and system. */
    int context(Accelerator accelerator, SystemConfig systemConfig) {
        return contexts.computeIfAbsent(new CostContext(accelerator, systemConfig), c -> nextContext.getAndIncrement());
    }

    CycleCost cycleCost(int context, PerformanceQuery query, Function<PerformanceQuery, CycleCost> cost) {
        return cycleCosts.get(new CostKey(context, query), k -> cost.apply(k.query()));
    }

    public CacheStats blockConfigStatistics() {
        return blockConfigs.stats();
    }

    public CacheStats cycleCostStatistics() {
        return cycleCosts.stats();
    }

    public long blockConfigBytes() {
        return blockConfigs.estimatedSize() * ENTRY_BYTES;
    }

    public long cycleCostBytes() {
        return cycleCosts.estimatedSize() * ENTRY_BYTES;
    }
}
