package npuc.worker;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import npuc.worker.ops.Health;
import npuc.worker.ops.HttpPortUnavailableException;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.OpsSettings;
import npuc.worker.ops.S3Probe;
import npuc.worker.ops.WorkerMetrics;
import npuc.worker.storage.ObjectStorage;

/**
 * A worker as deployed: the consume loop, its metrics, the S3 probe and the HTTP endpoints, started and
 * stopped together. The endpoints come up first, so a platform sees "not ready, starting" rather than a
 * refused connection while the consumer joins its group.
 */
public final class WorkerService implements AutoCloseable {
    private final OpsSettings ops;
    private final CompileWorker worker;
    private final WorkerMetrics metrics;
    private final S3Probe probe;
    private final Clock clock;
    private final ScheduledExecutorService probeScheduler;
    private final Optional<OpsHttpServer> http;

    public WorkerService(WorkerSettings settings, OpsSettings ops, TargetCompiler compiler, ObjectStorage storage) {
        this(settings, ops, compiler, storage, new WorkerMetrics(), Clock.systemUTC());
    }

    public WorkerService(WorkerSettings settings, OpsSettings ops, TargetCompiler compiler, ObjectStorage storage,
            WorkerMetrics metrics, Clock clock) {
        this.ops = ops;
        this.metrics = metrics;
        this.clock = clock;
        metrics.watch(storage);
        this.worker = new CompileWorker(settings, compiler, storage, metrics);
        this.probe = new S3Probe(storage, ops.probeBucket(), clock);
        this.probeScheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "npuc-s3-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.http = ops.httpPort() == OpsSettings.DISABLED
                ? Optional.empty()
                : Optional.of(OpsHttpServer.start(ops.bindAddress(), ops.httpPort(), this::liveness, this::readiness,
                    metrics));
        } catch (HttpPortUnavailableException e) {
            worker.close();
            throw e;
        }
        probeScheduler.scheduleWithFixedDelay(probe, 0, ops.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    public Health liveness() {
        return Health.liveness(worker.status(), ops.maxLoopSilence());
    }

    public Health readiness() {
        return Health.readiness(worker.status(), worker.settings().groupId(), probe.result(), clock.instant(),
            ops.maxLoopSilence(), ops.maxProbeAge());
    }

    /** The port the endpoints listen on; empty when they are disabled. */
    public OptionalInt httpPort() {
        return http.map(server -> OptionalInt.of(server.port())).orElse(OptionalInt.empty());
    }

    public CompileWorker worker() {
        return worker;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Runs the consume loop on this thread until the worker stops, then stops the rest. */
    public void run() {
        try {
            worker.run();
        } finally {
            stopSideServices();
        }
    }

    /** Runs the consume loop on a new thread. */
    public Thread start() {
        Thread thread = new Thread(this::run, "npuc-worker-" + worker.settings().workerId());
        thread.start();
        return thread;
    }

    private void stopSideServices() {
        probeScheduler.shutdownNow();
        http.ifPresent(OpsHttpServer::close);
    }

    /** Stops the worker (handing back unfinished jobs after the shutdown grace) and the endpoints. */
    @Override
    public void close() {
        worker.close();
        stopSideServices();
    }
}
