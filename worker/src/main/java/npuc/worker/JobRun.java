package npuc.worker;

import java.util.concurrent.CompletableFuture;

/**
 * One job being worked on. Its report future never completes exceptionally: every failure becomes a result.
 * Cancelling (the partition went to another worker, or the worker hands the job back) skips targets not
 * started yet; the report of a cancelled run is never published.
 */
public final class JobRun {
    private final CompletableFuture<JobReport> report;
    private volatile boolean cancelled;

    JobRun(CompletableFuture<JobReport> report) {
        this.report = report;
    }

    static JobRun finished(JobReport report) {
        return new JobRun(CompletableFuture.completedFuture(report));
    }

    public CompletableFuture<JobReport> report() {
        return report;
    }

    public boolean isDone() {
        return report.isDone();
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
