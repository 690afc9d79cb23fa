package npuc.sweep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import npuc.BadInputException;
import npuc.Cancellation;
import npuc.FailureSignature;
import npuc.worker.ModelBytes;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.TargetCompiler;
import npuc.worker.TargetOutcome;

/**
 * Runs a sweep in this JVM: the worker's compiler on a pool of threads, no broker, no object store (but
 * to read models named by s3:// URIs). A model is read once, when its first point starts, and dropped when
 * its last ends; points are taken in plan order, model by model, so the compiler's per-model work (the
 * parsed model, encoded weights) is shared by all of a model's targets and sizes while it is warm.
 */
public final class LocalSweep {
    private final TargetCompiler compiler;
    private final int threads;
    private final Supplier<ObjectStorage> storage;
    private final String npucVersion;

    public LocalSweep(TargetCompiler compiler, int threads, Supplier<ObjectStorage> storage, String npucVersion) {
        this.compiler = compiler;
        this.threads = threads;
        this.storage = storage;
        this.npucVersion = npucVersion;
    }

    /** A model read (or failing to be read) once for all its points, until its last point is done. */
    private static final class LoadedModel {
        private final AtomicInteger remaining;
        private ModelBytes bytes;
        private String failure;

        LoadedModel(int points) {
            remaining = new AtomicInteger(points);
        }

        synchronized ModelBytes get(SweepModel model, Supplier<ObjectStorage> storage) throws BadInputException {
            if (bytes == null && failure == null) {
                try {
                    bytes = ModelSource.read(model, storage);
                } catch (BadInputException e) {
                    failure = e.getMessage();
                }
            }
            if (failure != null) {
                throw new BadInputException(failure);
            }
            return bytes;
        }

        synchronized void release() {
            if (remaining.decrementAndGet() == 0) {
                bytes = null;
            }
        }
    }

    /** Compiles every point, telling the listener of each; returns when all are done. */
    public void run(SweepPlan plan, List<SweepPoint> points, SweepListener listener) throws InterruptedException {
        Map<String, LoadedModel> models = new HashMap<>();
        for (SweepPoint p : points) {
            models.computeIfAbsent(p.model().name(), n -> new LoadedModel(0)).remaining.incrementAndGet();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "sweep-compile");
            t.setDaemon(true);
            return t;
        });
        try {
            for (SweepPoint point : points) {
                LoadedModel model = models.get(point.model().name());
                pool.execute(() -> {
                    listener.started(point);
                    try {
                        compile(plan, point, model, listener);
                    } finally {
                        model.release();
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // Waiting; an interrupt (Ctrl-C) ends the sweep with what is done so far kept.
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void compile(SweepPlan plan, SweepPoint point, LoadedModel loaded, SweepListener listener) {
        ModelBytes model;
        try {
            model = loaded.get(point.model(), storage);
        } catch (BadInputException e) {
            listener.finished(failed(plan, point, point.model().sha256().orElse(""), e.getMessage(), "", 0),
                Optional.empty());
            return;
        }
        long start = System.nanoTime();
        String error;
        String signature = "";
        try {
            TargetOutcome outcome = compiler.compile(model, plan.spec(point), new Cancellation());
            PointResult result = new PointResult(point.key(), model.sha256(), plan.optionsText(), PointStatus.OK, "", "",
                outcome.summaryMetrics(), millisSince(start), npucVersion);
            listener.finished(result, outcome.perLayerCsv());
            return;
        } catch (BadInputException e) {
            error = e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            // Worded and signed as the worker words and signs it, so that a local and a farm sweep agree.
            FailureSignature s = FailureSignature.of(e);
            signature = s.toString();
            error = PointStatus.INTERNAL_ERROR + " [" + s + "]: " + e.getMessage();
        } catch (OutOfMemoryError e) {
            error = PointStatus.OUT_OF_MEMORY + model.name() + " for " + SweepPlan.targetName(point);
        }
        listener.finished(failed(plan, point, model.sha256(), error, signature, millisSince(start)), Optional.empty());
    }

    private PointResult failed(SweepPlan plan, SweepPoint point, String sha, String error, String signature,
            long millis) {
        return new PointResult(point.key(), sha, plan.optionsText(), PointStatus.of(error), error, signature, Map.of(),
            millis, npucVersion);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
