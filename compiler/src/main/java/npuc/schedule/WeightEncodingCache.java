package npuc.schedule;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import npuc.arch.Accelerator;
import npuc.frontend.ConstArray;
import npuc.weights.EncodedWeights;
import npuc.weights.EncodingParameters;
import npuc.weights.WeightEncodingException;
import npuc.weights.WeightVolume;

/**
 * Weight volumes and encoded weight buffers shared by compiles of the same weights, such as a sweep of one
 * model over memory sizes or targets: encoding is most of a compile's time, and its result depends only on the
 * weights, biases, scales and encoding parameters, never on the memory target. Keys are contents, not
 * objects: equal weights of different models or parses share their encodings, and accelerators whose
 * micro-blocks and core count agree (the 64-, 128- and 256-MAC Ethos-U55 and the 256-MAC Ethos-U65) share
 * theirs. Safe for concurrent compiles and bounded: the least useful entries are evicted once the bytes
 * held pass the limit, and an evicted entry is simply made again.
 */
public final class WeightEncodingCache {
    /** The limit of {@link #WeightEncodingCache()}. */
    public static final long DEFAULT_BYTES = 192L << 20;
    /** Bytes an entry costs beyond its arrays: keys, records, map nodes. */
    private static final int ENTRY_OVERHEAD = 256;

    private final Cache<VolumeKey, WeightVolume> volumes;
    private final Cache<EncodingKey, EncodedWeights> encodings;
    /** Buffers being made now, by key. */
    private final Map<EncodingKey, CompletableFuture<EncodedWeights>> making = new ConcurrentHashMap<>();

    /** The values of a weight tensor and the zero points subtracted from them. */
    private record VolumeKey(ConstArray values, List<Long> zeroPoints) {
        @Override
        public boolean equals(Object o) {
            return o instanceof VolumeKey k && k.zeroPoints.equals(zeroPoints) && k.values.sameContent(values);
        }

        @Override
        public int hashCode() {
            return values.contentHash() * 31 + zeroPoints.hashCode();
        }
    }

    /**
     * What decides an encoded buffer: the volume, what its scale records are made from (equal for equal
     * records) and the parameters, with the accelerator replaced by the first one of the same encoding geometry.
     */
    private record EncodingKey(WeightVolume volume, Object scales, EncodingParameters parameters) {
    }

    /** A cache that holds up to {@link #DEFAULT_BYTES}. */
    public WeightEncodingCache() {
        this(DEFAULT_BYTES);
    }

    /** A cache that holds up to about {@code maxBytes} of volumes and encoded buffers (each kind half of it). */
    public WeightEncodingCache(long maxBytes) {
        volumes = Caffeine.newBuilder().maximumWeight(Math.max(1, maxBytes / 2))
                .weigher((VolumeKey k, WeightVolume v) -> ENTRY_OVERHEAD + 2 * v.size())
                .recordStats().build();
        encodings = Caffeine.newBuilder().maximumWeight(Math.max(1, maxBytes / 2))
                .weigher((EncodingKey k, EncodedWeights e) -> ENTRY_OVERHEAD + e.bytes().size() + 48 * e.ranges().size())
                .recordStats().build();
    }

    /** The volume of {@code values} less {@code zeroPoints}, made by {@code make} on first request. */
    WeightVolume volume(ConstArray values, List<Long> zeroPoints, Callable<WeightVolume> make) {
        return volumes.get(new VolumeKey(values, List.copyOf(zeroPoints)), k -> call(make));
    }

    /**
     * The encoding of {@code volume} with scale records made from {@code scales} (any value with content
     * equality; null for a buffer without records) and parameters {@code p}, made by {@code make} on first
     * request.
     */
    EncodedWeights encode(WeightVolume volume, Object scales, EncodingParameters p, EncodingTask make)
            throws WeightEncodingException {
        EncodingKey key = new EncodingKey(volume, scales, canonical(p));
        EncodedWeights cached = encodings.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        // Made outside the cache's lock, which would stall other keys of the same bin for the whole encoding;
        // a thread that asks for a buffer another is making waits for that one instead of making it again.
        CompletableFuture<EncodedWeights> mine = new CompletableFuture<>();
        CompletableFuture<EncodedWeights> running = making.putIfAbsent(key, mine);
        if (running != null) {
            return awaited(running);
        }
        try {
            cached = encodings.getIfPresent(key);
            EncodedWeights made = cached != null ? cached : make.encode();
            encodings.asMap().putIfAbsent(key, made);
            mine.complete(made);
            return made;
        } catch (WeightEncodingException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            making.remove(key, mine);
        }
    }

    private static EncodedWeights awaited(CompletableFuture<EncodedWeights> running) throws WeightEncodingException {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WeightEncodingException w) {
                throw w;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Makes an encoded buffer. */
    @FunctionalInterface
    interface EncodingTask {
        EncodedWeights encode() throws WeightEncodingException;
    }

    private static EncodingParameters canonical(EncodingParameters p) {
        Accelerator a = p.accelerator();
        for (Accelerator candidate : Accelerator.values()) {
            if (candidate.cores() == a.cores() && candidate.ifmMicroBlock().depth() == a.ifmMicroBlock().depth()
                    && candidate.ofmMicroBlock().depth() == a.ofmMicroBlock().depth()) {
                return candidate == a ? p : new EncodingParameters(candidate, p.kind(), p.ifmBits(),
                        p.ofmBlockDepth(), p.depthSlices(), p.dilationX(), p.dilationY(), p.reversedKernel());
            }
        }
        return p;
    }

    private static <T> T call(Callable<T> make) {
        try {
            return make.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public CacheStats volumeStatistics() {
        return volumes.stats();
    }

    public CacheStats encodingStatistics() {
        return encodings.stats();
    }

    /** Estimated bytes of the volumes held. */
    public long volumeBytes() {
        return volumes.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Estimated bytes of the encoded buffers held. */
    public long encodingBytes() {
        return encodings.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
