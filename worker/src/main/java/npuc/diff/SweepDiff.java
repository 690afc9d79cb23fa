package npuc.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import npuc.BadInputException;
import npuc.sweep.PointKey;
import npuc.sweep.PointResult;
import npuc.sweep.PointStatus;
import npuc.sweep.SweepCsv;
import npuc.sweep.SweepFolder;

/**
 * Two sweeps compared point by point, as a nightly regression reads them. Points are matched by model
 * (its SHA-256 where both sides know it, else its name), target, strategy and arena size. A matched point is
 * a regression when a figure moved the worse way beyond its threshold or its status got worse (a new
 * failure always is), an improvement when figures moved only the better way or it compiles where it did
 * not; points on one side only are listed as such.
 */
public record SweepDiff(Side baseline, Side current, Thresholds thresholds, List<PointDiff> points) {

    /** One sweep: where it was read from, its points, and the folder of its per-layer tables. */
    public record Side(Path source, List<PointResult> results, Path folder) {
        /**
         * A sweep output folder or its {@code sweep.csv}.
         *
         * @throws BadInputException when neither is there or the CSV is not a sweep's
         */
        public static Side read(Path path) throws BadInputException {
            Path csv = Files.isDirectory(path) ? path.resolve(SweepCsv.FILE_NAME) : path;
            if (!Files.isRegularFile(csv)) {
                throw new BadInputException(path + ": no sweep here (a sweep output folder or its "
                    + SweepCsv.FILE_NAME + ")");
            }
            Path folder = csv.toAbsolutePath().getParent();
            return new Side(path, SweepCsv.read(csv), folder);
        }

        Optional<Path> perLayer(PointKey key) {
            Path file = SweepFolder.perLayerFile(folder, key);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
    }

    public SweepDiff {
        points = List.copyOf(points);
    }

    /** Compares two sweeps; with {@code perLayer}, also the per-layer tables both sides kept. */
    public static SweepDiff compare(Side baseline, Side current, Thresholds thresholds, boolean perLayer)
            throws IOException {
        Map<List<Object>, PointResult> byHash = new HashMap<>();
        Map<List<Object>, PointResult> byName = new HashMap<>();
        for (PointResult b : baseline.results()) {
            if (!b.modelSha256().isEmpty()) {
                byHash.putIfAbsent(hashKey(b), b);
            }
            byName.putIfAbsent(nameKey(b.key()), b);
        }
        Map<PointResult, Boolean> matched = new java.util.IdentityHashMap<>();
        List<PointDiff> points = new ArrayList<>();
        for (PointResult c : current.results()) {
            PointResult b = c.modelSha256().isEmpty() ? null : byHash.get(hashKey(c));
            if (b == null || matched.containsKey(b)) {
                b = byName.get(nameKey(c.key()));
            }
            if (b == null || matched.containsKey(b)) {
                points.add(new PointDiff(c.key(), Optional.empty(), Optional.of(c), PointDiff.Kind.ONLY_IN_CURRENT,
                    List.of(), "", List.of()));
                continue;
            }
            matched.put(b, Boolean.TRUE);
            points.add(compare(b, c, thresholds, perLayer ? layers(baseline, b, current, c, thresholds) : List.of()));
        }
        for (PointResult b : baseline.results()) {
            if (!matched.containsKey(b)) {
                points.add(new PointDiff(b.key(), Optional.of(b), Optional.empty(), PointDiff.Kind.ONLY_IN_BASELINE,
                    List.of(), "", List.of()));
            }
        }
        return new SweepDiff(baseline, current, thresholds, points);
    }

    private static List<Object> hashKey(PointResult r) {
        return List.of(r.modelSha256(), r.key().target(), r.key().strategy(), r.key().arenaSize());
    }

    private static List<Object> nameKey(PointKey k) {
        return List.of(k.model(), k.target(), k.strategy(), k.arenaSize());
    }

    private static List<LayerDiff.LayerChange> layers(Side baseline, PointResult b, Side current, PointResult c,
            Thresholds thresholds) throws IOException {
        Optional<Path> before = baseline.perLayer(b.key());
        Optional<Path> after = current.perLayer(c.key());
        if (before.isEmpty() || after.isEmpty()) {
            return List.of();
        }
        return LayerDiff.compare(before.get(), after.get(), thresholds.of(Metric.CYCLES));
    }

    static PointDiff compare(PointResult b, PointResult c, Thresholds thresholds, List<LayerDiff.LayerChange> layers) {
        String statusChange = b.status() == c.status() ? "" : b.status() + " -> " + c.status();
        PointDiff.Kind kind = PointDiff.Kind.UNCHANGED;
        if (b.status() != c.status()) {
            kind = severity(c.status()) > severity(b.status()) ? PointDiff.Kind.REGRESSION : PointDiff.Kind.IMPROVEMENT;
        }
        List<PointDiff.Change> changes = new ArrayList<>();
        if (b.status() == PointStatus.OK && c.status() == PointStatus.OK) {
            for (Metric m : Metric.values()) {
                OptionalDouble before = m.of(b);
                OptionalDouble after = m.of(c);
                if (before.isEmpty() || after.isEmpty()) {
                    continue;
                }
                double x = before.getAsDouble();
                double y = after.getAsDouble();
                if (thresholds.of(m).exceededBy(x, y)) {
                    changes.add(new PointDiff.Change(m, x, y, m.higherIsWorse() == (y > x)));
                }
            }
            if (changes.stream().anyMatch(PointDiff.Change::regression)) {
                kind = PointDiff.Kind.REGRESSION;
            } else if (!changes.isEmpty()) {
                kind = PointDiff.Kind.IMPROVEMENT;
            }
        }
        return new PointDiff(c.key(), Optional.of(b), Optional.of(c), kind, changes, statusChange, layers);
    }

    /** Worse is higher: compiled, cleanly too small, refused, broke. */
    private static int severity(PointStatus s) {
        return switch (s) {
            case OK -> 0;
            case DOES_NOT_FIT -> 1;
            case FAILED -> 2;
            case ERROR -> 3;
        };
    }

    public List<PointDiff> of(PointDiff.Kind kind) {
        return points.stream().filter(p -> p.kind() == kind).toList();
    }

    /** Points by kind, in the kinds' order, for the reports. */
    public Map<PointDiff.Kind, List<PointDiff>> byKind() {
        Map<PointDiff.Kind, List<PointDiff>> map = new LinkedHashMap<>();
        for (PointDiff.Kind k : PointDiff.Kind.values()) {
            map.put(k, of(k));
        }
        return map;
    }

    public boolean hasRegressions() {
        return !of(PointDiff.Kind.REGRESSION).isEmpty();
    }

    /** {@code 195 points matched: 3 regressions, 1 improvements, 191 unchanged; 0 only in baseline, 0 only in current} */
    public String summary() {
        long matched = points.stream().filter(p -> p.baseline().isPresent() && p.current().isPresent()).count();
        return matched + " points matched: " + of(PointDiff.Kind.REGRESSION).size() + " regressions, "
            + of(PointDiff.Kind.IMPROVEMENT).size() + " improvements, " + of(PointDiff.Kind.UNCHANGED).size()
            + " unchanged; " + of(PointDiff.Kind.ONLY_IN_BASELINE).size() + " only in baseline, "
            + of(PointDiff.Kind.ONLY_IN_CURRENT).size() + " only in current";
    }
}
