package npuc.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One model × target × strategy across arena sizes: the curve a person reads to size a device's SRAM.
 * Points that do not fit have no time; the smallest arena that fits, and the knee, the smallest arena whose
 * inference time is within {@link #KNEE_TOLERANCE} of the best time at any size.
 *
 * @param points ascending arena size
 */
public record Curve(String model, String target, String strategy, List<PointResult> points) {
    /** Within 5% of the best time counts as good as the best. */
    public static final double KNEE_TOLERANCE = 0.05;

    public static final String INFERENCE_TIME = "inference_time";
    public static final String SRAM_USED = "sram_memory_used";

    public Curve {
        Objects.requireNonNull(model, "model");
        points = points.stream().sorted(Comparator.comparingLong(p -> p.key().arenaSize())).toList();
    }

    /** The curves of a sweep's results, by model, target and strategy in the order the results first name them. */
    public static List<Curve> of(List<PointResult> results) {
        java.util.Map<List<String>, List<PointResult>> byCurve = new java.util.LinkedHashMap<>();
        for (PointResult r : results) {
            byCurve.computeIfAbsent(List.of(r.key().model(), r.key().target(), r.key().strategy()), k -> new ArrayList<>())
                .add(r);
        }
        List<Curve> curves = new ArrayList<>();
        byCurve.forEach((k, points) -> curves.add(new Curve(k.get(0), k.get(1), k.get(2), points)));
        return curves;
    }

    public long count(PointStatus status) {
        return points.stream().filter(p -> p.status() == status).count();
    }

    private List<PointResult> timed() {
        return points.stream().filter(p -> p.status() == PointStatus.OK && p.metric(INFERENCE_TIME).isPresent()).toList();
    }

    /** The smallest arena size at which the model compiled. */
    public OptionalLong smallestFit() {
        return timed().stream().mapToLong(p -> p.key().arenaSize()).min();
    }

    /** The best inference time in seconds over every size that compiled. */
    public OptionalDouble bestTime() {
        return timed().stream().mapToDouble(p -> p.metric(INFERENCE_TIME).getAsDouble()).min();
    }

    /** The smallest arena size whose time is within 5% of the best. */
    public java.util.Optional<PointResult> knee() {
        OptionalDouble best = bestTime();
        if (best.isEmpty()) {
            return java.util.Optional.empty();
        }
        double limit = best.getAsDouble() * (1 + KNEE_TOLERANCE);
        return timed().stream().filter(p -> p.metric(INFERENCE_TIME).getAsDouble() <= limit).findFirst();
    }
}
