package npuc.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import npuc.BadInputException;
import npuc.Cancellation;
import npuc.CompileCancelledException;
import npuc.FailureSignature;
import npuc.worker.ops.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Compiles one target on the compile pool within the target deadline. The deadline counts from the moment a
 * compile thread takes the target, not from when it was queued. At the deadline a time limiter ends the wait,
 * so the target fails with its reason and the job goes on, and the compile is cancelled: the compiler stops at
 * its next checkpoint and gives its thread back. A compile that never reaches a checkpoint keeps its thread;
 * {@link #stuck()} counts those, for liveness to report.
 */
final class DeadlineCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineCompiler.class);
    /** Time a cancelled compile has to reach a checkpoint before its thread counts as stuck. */
    static final Duration STUCK_AFTER_CANCEL = Duration.ofSeconds(60);

    /**
     * A compile's outcome, or the reason it failed, with the time it took; an internal error also its signature.
     */
    record Compiled(Optional<TargetOutcome> outcome, String failure, long millis, Optional<FailureSignature> signature) {
        static Compiled failed(String failure, long millis) {
            return new Compiled(Optional.empty(), failure, millis, Optional.empty());
        }
    }

    private final TargetCompiler compiler;
    private final Executor compilePool;
    private final ScheduledExecutorService watchdog;
    private final Duration deadline;
    private final TimeLimiter limiter;
    private final WorkerMetrics metrics;
    private final Duration stuckAfter;
    /** Start times of the compiles running now. */
    private final Map<Cancellation, Long> running = new ConcurrentHashMap<>();

    DeadlineCompiler(TargetCompiler compiler, Executor compilePool, ScheduledExecutorService watchdog,
            Duration deadline, WorkerMetrics metrics) {
        this(compiler, compilePool, watchdog, deadline, metrics, deadline.plus(STUCK_AFTER_CANCEL));
    }

    /** @param stuckAfter how long a compile runs before its thread counts as stuck */
    DeadlineCompiler(TargetCompiler compiler, Executor compilePool, ScheduledExecutorService watchdog,
            Duration deadline, WorkerMetrics metrics, Duration stuckAfter) {
        this.compiler = compiler;
        this.stuckAfter = stuckAfter;
        this.compilePool = compilePool;
        this.watchdog = watchdog;
        this.deadline = deadline;
        this.limiter = TimeLimiter.of("compile", TimeLimiterConfig.custom().timeoutDuration(deadline)
            .cancelRunningFuture(true).build());
        this.metrics = metrics;
    }

    /** Compiles {@code target} for {@code run}'s job; never completes exceptionally. */
    CompletableFuture<Compiled> compile(JobRun run, String jobId, ModelBytes model, TargetSpec target) {
        CompletableFuture<Compiled> result = new CompletableFuture<>();
        compilePool.execute(() -> {
            if (run.isCancelled()) {
                result.complete(Compiled.failed("cancelled", 0));
                return;
            }
            Cancellation cancellation = run.compileStarted();
            long start = System.nanoTime();
            running.put(cancellation, start);
            CompletableFuture<Compiled> compiling = new CompletableFuture<>();
            limiter.executeCompletionStage(watchdog, () -> compiling).whenComplete((compiled, error) -> {
                if (error == null) {
                    result.complete(compiled);
                } else if (unwrap(error) instanceof TimeoutException) {
                    cancellation.cancel("over the target deadline");
                    metrics.targetTimedOut();
                    result.complete(Compiled.failed("compiling " + model.name() + " for target " + target.name()
                        + " took longer than the target deadline of " + deadline.toSeconds() + " s", deadline.toMillis()));
                } else {
                    result.complete(Compiled.failed("internal error: " + unwrap(error), millisSince(start)));
                }
            });
            try (MDC.MDCCloseable job = MDC.putCloseable(LogKeys.JOB_ID, jobId);
                 MDC.MDCCloseable context = MDC.putCloseable(LogKeys.TARGET, target.name())) {
                Compiled compiled = compileOnce(model, target, cancellation, start);
                LOG.debug("target {} compiled in {} ms{}", target.name(), compiled.millis(),
                    compiled.outcome().isPresent() ? "" : ": " + compiled.failure());
                compiling.complete(compiled);
            } finally {
                running.remove(cancellation);
                run.compileEnded(cancellation);
            }
        });
        return result;
    }

    private Compiled compileOnce(ModelBytes model, TargetSpec target, Cancellation cancellation, long start) {
        Compiled compiled;
        try {
            compiled = new Compiled(Optional.of(compiler.compile(model, target, cancellation)), "", millisSince(start),
                Optional.empty());
        } catch (BadInputException e) {
            compiled = Compiled.failed(e.getMessage(), millisSince(start));
        } catch (CompileCancelledException e) {
            compiled = Compiled.failed("cancelled: " + e.reason(), millisSince(start));
        } catch (RuntimeException | StackOverflowError e) {
            // A compiler bug must cost one target, never the worker.
            FailureSignature signature = FailureSignature.of(e);
            LOG.error("compiling {} for target {} failed unexpectedly [{}]", model.name(), target.name(), signature, e);
            compiled = new Compiled(Optional.empty(), "internal compiler error [" + signature + "]: " + e.getMessage(),
                millisSince(start), Optional.of(signature));
        } catch (OutOfMemoryError e) {
            compiled = Compiled.failed("out of memory compiling " + model.name() + " for " + target.name(),
                millisSince(start));
        }
        metrics.compiled(target.accelerator(), target.memoryMode(), compiled.outcome().isPresent(),
            System.nanoTime() - start);
        return compiled;
    }

    /** Compiles still running well past their deadline: threads a compile that ignores cancellation holds. */
    int stuck() {
        long limit = stuckAfter.toNanos();
        long now = System.nanoTime();
        return (int) running.values().stream().filter(start -> now - start > limit).count();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
