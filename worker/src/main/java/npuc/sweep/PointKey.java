package npuc.sweep;

import java.util.Comparator;
import java.util.Objects;

/**
 * What names a point of a sweep: the model, the device, the strategy and the arena size. Two sweeps'
 * points with one key are the same question asked of two compilers.
 *
 * @param target the device, {@code ACCEL:SYSTEM:MEMORY}
 */
public record PointKey(String model, String target, String strategy, long arenaSize) {
    public static final Comparator<PointKey> ORDER = Comparator.comparing(PointKey::model)
        .thenComparing(PointKey::target).thenComparing(PointKey::strategy).thenComparingLong(PointKey::arenaSize);

    public PointKey {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    public String toString() {
        return model + " " + target + " " + strategy + " " + ByteSize.format(arenaSize);
    }

    /** A name for the point's files, safe on every file system: letters, digits, {@code . _ -}. */
    public String fileName() {
        return (model + "__" + target.replace(':', '_') + "__" + strategy + "__" + arenaSize)
            .replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
