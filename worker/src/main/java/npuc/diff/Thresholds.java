package npuc.diff;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much a figure may move before {@code npuc diff} calls it a change: per metric, relative
 * ({@code cycles=1%}) or absolute in the metric's unit ({@code sram=4}: 4 KiB). A metric not given moves
 * by nothing: the compiler is deterministic, so any change is news.
 */
public final class Thresholds {
    /** A threshold: a fraction of the baseline figure, or an amount in the metric's unit. */
    public record Threshold(boolean relative, double amount) {
        public boolean exceededBy(double baseline, double current) {
            double delta = Math.abs(current - baseline);
            double limit = relative ? amount * Math.abs(baseline) : amount;
            return delta > limit + 1e-12 * Math.max(Math.abs(baseline), 1);
        }

        @Override
        public String toString() {
            return relative ? String.format(Locale.ROOT, "%s%%", trim(amount * 100)) : trim(amount);
        }
    }

    private final Map<Metric, Threshold> byMetric;

    private Thresholds(Map<Metric, Threshold> byMetric) {
        this.byMetric = byMetric;
    }

    public static Thresholds none() {
        return of(Map.of());
    }

    /**
     * From {@code --threshold}'s pairs, e.g. {@code cycles -> 1%}, {@code sram -> 0}.
     *
     * @throws IllegalArgumentException naming an unknown metric or a value that is no amount
     */
    public static Thresholds of(Map<String, String> given) {
        Map<Metric, Threshold> map = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            map.put(m, new Threshold(false, 0));
        }
        given.forEach((name, value) -> map.put(Metric.named(name.trim()), parse(name, value.trim())));
        return new Thresholds(map);
    }

    private static Threshold parse(String name, String value) {
        boolean relative = value.endsWith("%");
        String number = relative ? value.substring(0, value.length() - 1) : value;
        double amount;
        try {
            amount = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold " + name + "=" + value + ": not a number or a percentage", e);
        }
        if (!(amount >= 0)) {
            throw new IllegalArgumentException("threshold " + name + "=" + value + ": must not be negative");
        }
        return new Threshold(relative, relative ? amount / 100 : amount);
    }

    public Threshold of(Metric metric) {
        return byMetric.get(metric);
    }

    /** {@code cycles=1%, time=0, ...} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        byMetric.forEach((m, t) -> s.append(s.length() == 0 ? "" : ", ").append(m.option()).append('=').append(t));
        return s.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
