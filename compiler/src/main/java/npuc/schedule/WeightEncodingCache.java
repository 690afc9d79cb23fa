package npuc.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import npuc.weights.EncodedWeights;
import npuc.weights.EncodingParameters;
import npuc.weights.QuantisedScale;
import npuc.weights.WeightEncoder;
import npuc.weights.WeightEncodingException;
import npuc.weights.WeightVolume;

/**
 * Encoded weight buffers shared by compiles of the same weights, such as a sweep of one model over memory sizes
 * or targets: encoding is most of a compile's time, and its result depends only on the weights, biases, scales
 * and encoding parameters, never on the memory target. Safe for concurrent compiles; it holds every buffer it
 * has made, so its owner drops it with the sweep.
 */
public final class WeightEncodingCache {
    /** Each distinct weight volume once, so keys compare volumes by a number rather than by their values. */
    private final Map<WeightVolume, Integer> volumeIds = new ConcurrentHashMap<>();
    private final AtomicInteger nextVolumeId = new AtomicInteger();
    private final Map<Key, EncodedWeights> encodings = new ConcurrentHashMap<>();

    private record Key(int volume, List<Long> biases, List<QuantisedScale> scales, EncodingParameters parameters) {
    }

    /** A number standing for the volume's values, equal for equal volumes. */
    int volumeId(WeightVolume volume) {
        return volumeIds.computeIfAbsent(volume, v -> nextVolumeId.getAndIncrement());
    }

    /** The encoding of the volume numbered {@code volumeId}, made on first request. */
    EncodedWeights encode(int volumeId, WeightVolume volume, long[] biases, List<QuantisedScale> scales,
            EncodingParameters p) throws WeightEncodingException {
        Key key = new Key(volumeId, biases == null ? null : Arrays.stream(biases).boxed().toList(),
                scales == null ? null : List.copyOf(scales), p);
        EncodedWeights cached = encodings.get(key);
        if (cached != null) {
            return cached;
        }
        EncodedWeights encoded = WeightEncoder.encode(volume, biases, scales, p);
        EncodedWeights raced = encodings.putIfAbsent(key, encoded);
        return raced != null ? raced : encoded;
    }
}
