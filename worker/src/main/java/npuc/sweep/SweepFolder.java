package npuc.sweep;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.SequenceWriter;

import npuc.BadInputException;

/**
 * A sweep's output folder. {@code sweep.csv} is also the sweep's journal: each point is appended as it
 * ends, so a sweep that is stopped keeps what it did, and a run with the same folder takes those points as
 * done. Per-layer tables go to {@code per-layer/<point>.csv}.
 */
public final class SweepFolder implements AutoCloseable {
    public static final String PER_LAYER_DIR = "per-layer";

    private final Path dir;
    private final Map<PointKey, PointResult> results = new LinkedHashMap<>();
    private final Writer journal;
    private final SequenceWriter rows;

    private SweepFolder(Path dir, List<PointResult> earlier) throws IOException {
        this.dir = dir;
        earlier.forEach(r -> results.put(r.key(), r));
        Path csv = dir.resolve(SweepCsv.FILE_NAME);
        // Rewritten in the current columns first, so that appended rows line up with the header.
        SweepCsv.write(csv, List.copyOf(results.values()));
        journal = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        rows = SweepCsv.writer(journal, false);
    }

    /** Opens (creating it if need be) an output folder, reading the points an earlier run finished. */
    public static SweepFolder open(Path dir) throws BadInputException, IOException {
        Files.createDirectories(dir);
        Path csv = dir.resolve(SweepCsv.FILE_NAME);
        List<PointResult> earlier = Files.exists(csv) ? SweepCsv.read(csv) : List.of();
        return new SweepFolder(dir, earlier);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Whether an earlier run finished this point as this plan would: the same model content (where it is
     * known before compiling), the same compiler options, and its per-layer table when the plan keeps them.
     */
    public synchronized boolean isDone(SweepPoint point, SweepPlan plan) {
        PointResult done = results.get(point.key());
        if (done == null || !done.options().equals(plan.optionsText())) {
            return false;
        }
        if (point.model().sha256().isPresent() && !point.model().sha256().get().equals(done.modelSha256())) {
            return false;
        }
        return !plan.perLayer() || done.status() != PointStatus.OK || Files.exists(perLayerFile(dir, point.key()));
    }

    /** Keeps a point's result: appended to the journal at once. */
    public synchronized void record(PointResult result, Optional<String> perLayerCsv) throws IOException {
        if (perLayerCsv.isPresent()) {
            Path file = perLayerFile(dir, result.key());
            Files.createDirectories(file.getParent());
            Files.writeString(file, perLayerCsv.get());
        }
        SweepCsv.write(rows, result);
        results.put(result.key(), result);
    }

    /** Every result, the plan's points first in plan order, then any other points the folder held. */
    public synchronized List<PointResult> results(List<SweepPoint> plan) {
        Map<PointKey, PointResult> ordered = new LinkedHashMap<>();
        for (SweepPoint p : plan) {
            PointResult r = results.get(p.key());
            if (r != null) {
                ordered.put(p.key(), r);
            }
        }
        List<PointResult> rest = new ArrayList<>();
        results.forEach((k, r) -> {
            if (!ordered.containsKey(k)) {
                rest.add(r);
            }
        });
        rest.sort((a, b) -> PointKey.ORDER.compare(a.key(), b.key()));
        List<PointResult> all = new ArrayList<>(ordered.values());
        all.addAll(rest);
        return all;
    }

    /** Rewrites {@code sweep.csv} in the given order, replacing the journal. */
    public synchronized void rewrite(List<PointResult> ordered) throws IOException {
        rows.close();
        journal.close();
        Path csv = dir.resolve(SweepCsv.FILE_NAME);
        Path next = dir.resolve(SweepCsv.FILE_NAME + ".new");
        SweepCsv.write(next, ordered);
        Files.move(next, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Where a point's per-layer table is kept in a sweep folder. */
    public static Path perLayerFile(Path dir, PointKey key) {
        return dir.resolve(PER_LAYER_DIR).resolve(key.fileName() + ".csv");
    }

    @Override
    public synchronized void close() throws IOException {
        rows.close();
        journal.close();
    }
}
