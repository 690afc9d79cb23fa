package npuc.worker.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import npuc.worker.CompileWorker;

/**
 * The answer of a health endpoint: up or not, and each check with what it saw. The rules live here as
 * functions of plain values, so they are decided (and tested) apart from the HTTP server and the clocks.
 */
public record Health(boolean up, List<Check> checks) {
    /** One condition of the answer. */
    public record Check(String name, boolean ok, String detail) {
    }

    public Health {
        checks = List.copyOf(checks);
    }

    private static Health of(List<Check> checks) {
        return new Health(checks.stream().allMatch(Check::ok), checks);
    }

    /** Why the answer is not up: "name: detail" of each failing check. */
    public List<String> reasons() {
        return checks.stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList();
    }

    /**
     * Alive while the loop goes round: a worker whose loop has ended, or has not gone round for
     * {@code maxSilence} (stuck in a call that does not return), should be restarted.
     */
    public static Health liveness(CompileWorker.Status worker, Duration maxSilence) {
        return of(List.of(loop(worker, maxSilence)));
    }

    private static Check loop(CompileWorker.Status worker, Duration maxSilence) {
        if (worker.stopped()) {
            return new Check("worker", false, "the consume loop has ended");
        }
        if (!worker.started()) {
            return new Check("worker", true, "starting");
        }
        if (worker.sinceLastLoop().compareTo(maxSilence) > 0) {
            return new Check("worker", false, "the consume loop has not gone round for "
                + worker.sinceLastLoop().toSeconds() + " s");
        }
        return new Check("worker", true, "running");
    }

    /**
     * Ready when the loop runs, the consumer has joined its group (an empty assignment counts: with more
     * workers than partitions some wait as standbys) and the last S3 probe succeeded within
     * {@code maxProbeAge}.
     */
    public static Health readiness(CompileWorker.Status worker, String groupId, S3Probe.Result probe,
            Instant now, Duration maxSilence, Duration maxProbeAge) {
        // Unlike liveness, a worker still starting is not ready.
        Check loop = worker.started() || worker.stopped() ? loop(worker, maxSilence)
            : new Check("worker", false, "starting");
        Check consumer = worker.groupJoined()
            ? new Check("kafka", true, "joined group " + groupId + " with " + worker.assignedPartitions()
                + " partitions, " + worker.jobsInFlight() + " jobs in flight")
            : new Check("kafka", false, "the consumer has not joined group " + groupId + " yet");
        return of(List.of(loop, consumer, s3(probe, now, maxProbeAge)));
    }

    private static Check s3(S3Probe.Result probe, Instant now, Duration maxProbeAge) {
        String bucket = "bucket " + probe.bucket();
        if (probe.lastAttempt().isEmpty()) {
            return new Check("s3", false, bucket + " not probed yet");
        }
        if (!probe.lastError().isEmpty()) {
            return new Check("s3", false, probe.lastError());
        }
        Instant success = probe.lastSuccess().orElseThrow();
        Duration age = Duration.between(success, now);
        if (age.compareTo(maxProbeAge) > 0) {
            return new Check("s3", false, bucket + " last answered " + age.toSeconds() + " s ago");
        }
        return new Check("s3", true, bucket + " answered " + age.toSeconds() + " s ago");
    }
}
