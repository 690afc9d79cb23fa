package npuc.sweep;

import java.util.Objects;

/** One compile of a sweep: a model, a target and an arena size. */
public record SweepPoint(SweepModel model, SweepTarget target, long arenaSize) {
    public SweepPoint {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(target, "target");
    }

    public PointKey key() {
        return new PointKey(model.name(), target.device(), target.strategy(), arenaSize);
    }
}
