package npuc.diff;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import npuc.sweep.PointKey;
import npuc.sweep.PointResult;

/**
 * One point of two sweeps compared.
 *
 * @param key the point as the current sweep names it (the baseline's when only it has the point)
 * @param changes the figures that moved beyond their threshold
 * @param statusChange how the status changed ("OK -> DOES_NOT_FIT"); empty when it did not
 * @param layers the operators whose cycles changed, where both sides kept per-layer tables
 */
public record PointDiff(PointKey key, Optional<PointResult> baseline, Optional<PointResult> current, Kind kind,
        List<Change> changes, String statusChange, List<LayerDiff.LayerChange> layers) {

    public enum Kind {
        REGRESSION, IMPROVEMENT, UNCHANGED, ONLY_IN_BASELINE, ONLY_IN_CURRENT;

        /** As the reports head it: "regression", "only in baseline". */
        public String words() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** A figure that moved beyond its threshold; {@code regression} when it moved the worse way. */
    public record Change(Metric metric, double baseline, double current, boolean regression) {
        public double delta() {
            return current - baseline;
        }

        /** {@code cycles +3.20% (1000 -> 1032)} */
        @Override
        public String toString() {
            String relative = baseline == 0 ? "" : String.format(java.util.Locale.ROOT, " %+.2f%%", 100 * delta() / baseline);
            return metric.option() + relative + " (" + number(baseline) + " -> " + number(current) + " " + metric.unit() + ")";
        }
    }

    public PointDiff {
        Objects.requireNonNull(key, "key");
        changes = List.copyOf(changes);
        layers = List.copyOf(layers);
    }

    /** What changed, in one line. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        if (!statusChange.isEmpty()) {
            s.append(statusChange);
            current.filter(c -> !c.error().isEmpty()).ifPresent(c -> s.append(": ").append(c.error()));
        }
        for (Change c : changes) {
            s.append(s.length() == 0 ? "" : "; ").append(c);
        }
        return s.toString();
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
