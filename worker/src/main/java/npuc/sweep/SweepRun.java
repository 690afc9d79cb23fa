package npuc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sweep from plan to outputs: the points an earlier run left in the folder are kept, the rest run (here
 * or on the farm), each result is journaled as it comes, and at the end {@code sweep.csv},
 * {@code sweep.json} and {@code report.html} are written over every point the folder holds.
 */
public final class SweepRun {
    /** Where the points run: in this JVM or on the farm. */
    public interface Runner {
        /** Runs the points; returns those that got no result (a farm's timeout). */
        List<SweepPoint> run(SweepPlan plan, List<SweepPoint> points, SweepListener listener) throws Exception;
    }

    /**
     * @param results every point of the folder, the plan's first
     * @param kept points an earlier run had finished
     * @param missing points that got no result
     */
    public record Outcome(List<PointResult> results, int planned, int kept, List<SweepPoint> missing, Duration elapsed) {
        public long count(PointStatus status) {
            return results.stream().filter(r -> r.status() == status).count();
        }

        /** Every point answered, and each compiled or cleanly did not fit. */
        public boolean clean() {
            return missing.isEmpty() && results.stream().allMatch(r -> r.status().isClean());
        }
    }

    /** Makes the progress display for the number of points to run. */
    public interface ProgressFactory {
        SweepProgress start(int points);
    }

    private SweepRun() {
    }

    public static Outcome run(SweepPlan plan, SweepFolder folder, Runner runner, ProgressFactory progress,
            String title, String npucVersion) throws Exception {
        List<SweepPoint> all = plan.points();
        List<SweepPoint> todo = new ArrayList<>();
        for (SweepPoint p : all) {
            if (!folder.isDone(p, plan)) {
                todo.add(p);
            }
        }
        long start = System.nanoTime();
        List<SweepPoint> missing;
        try (SweepProgress bar = progress.start(todo.size())) {
            missing = todo.isEmpty() ? List.of() : runner.run(plan, todo, new SweepListener() {
                @Override
                public void started(SweepPoint point) {
                    bar.started();
                }

                @Override
                public void finished(PointResult result, Optional<String> perLayerCsv) {
                    try {
                        folder.record(result, perLayerCsv);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write to " + folder.dir() + ": " + e.getMessage(), e);
                    }
                    bar.finished(result.status());
                }
            });
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<PointResult> results = folder.results(all);
        folder.rewrite(results);
        SweepJson.write(folder.dir().resolve(SweepJson.FILE_NAME), npucVersion, results);
        SweepReport.write(folder.dir().resolve(SweepReport.FILE_NAME), title, npucVersion, results);
        return new Outcome(results, all.size(), all.size() - todo.size(), missing, elapsed);
    }

    /** The local runner as a {@link Runner}: every point gets a result. */
    public static Runner local(LocalSweep sweep) {
        return (plan, points, listener) -> {
            sweep.run(plan, points, listener);
            return List.of();
        };
    }
}
