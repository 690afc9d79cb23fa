package npuc.worker;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import npuc.Cancellation;

/**
 * One job being worked on. Its outcome future never completes exceptionally: every failure of the job becomes
 * a result, every fault of the store a deferral. Cancelling (the partition went to another worker, the worker
 * hands the job back or stops) skips targets not started yet and cancels the compiles running; the outcome of
 * a cancelled run is never published.
 */
public final class JobRun {
    private final CompletableFuture<JobOutcome> outcome;
    private final Set<Cancellation> compiles = ConcurrentHashMap.newKeySet();
    private volatile String cancelled;

    JobRun(CompletableFuture<JobOutcome> outcome) {
        this.outcome = outcome;
    }

    static JobRun finished(JobOutcome outcome) {
        return new JobRun(CompletableFuture.completedFuture(outcome));
    }

    public CompletableFuture<JobOutcome> outcome() {
        return outcome;
    }

    public boolean isDone() {
        return outcome.isDone();
    }

    /** The outcome once the run is done; null before. */
    JobOutcome outcomeNow() {
        return outcome.getNow(null);
    }

    public void cancel(String reason) {
        cancelled = reason;
        compiles.forEach(c -> c.cancel(reason));
    }

    public boolean isCancelled() {
        return cancelled != null;
    }

    /** A cancellation for one compile of this job, cancelled with the job (at once if it already is). */
    Cancellation compileStarted() {
        Cancellation compile = new Cancellation();
        compiles.add(compile);
        String reason = cancelled;
        if (reason != null) {
            compile.cancel(reason);
        }
        return compile;
    }

    void compileEnded(Cancellation compile) {
        compiles.remove(compile);
    }
}
