package npuc.worker.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
     * Alive while the loop goes round and some compile thread can work: a worker whose loop has ended, or has
     * not gone round for {@code maxSilence} (stuck in a call that does not return), or whose every compile
     * thread is held by a compile that ignored its cancellation, should be restarted.
     */
    public static Health liveness(LoopStatus worker, Duration maxSilence) {
        return of(List.of(loop(worker, maxSilence), compiles(worker)));
    }

    private static Check compiles(LoopStatus worker) {
        if (worker.stuckCompiles() >= worker.compileThreads()) {
            return new Check("compile", false, "all " + worker.compileThreads()
                + " compile threads are held by compiles past their deadline");
        }
        return new Check("compile", true, worker.stuckCompiles() == 0 ? "no compile past its deadline"
            : worker.stuckCompiles() + " of " + worker.compileThreads() + " compile threads held past their deadline");
    }

    private static Check loop(LoopStatus worker, Duration maxSilence) {
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
     * workers than partitions some wait as standbys), the worker takes jobs (not paused because the store or
     * Kafka fails them) and the last S3 probe succeeded within {@code maxProbeAge}.
     */
    public static Health readiness(LoopStatus worker, String groupId, S3Probe.Result probe,
            Instant now, Duration maxSilence, Duration maxProbeAge) {
        // Unlike liveness, a worker still starting is not ready.
        Check loop = worker.started() || worker.stopped() ? loop(worker, maxSilence)
            : new Check("worker", false, "starting");
        Check consumer = worker.groupJoined()
            ? new Check("kafka", true, "joined group " + groupId + " with " + worker.assignedPartitions()
                + " partitions, " + worker.jobsInFlight() + " jobs in flight")
            : new Check("kafka", false, "the consumer has not joined group " + groupId + " yet");
        Check taking = worker.paused().map(why -> new Check("jobs", false, why))
            .orElse(new Check("jobs", true, "taking jobs"));
        return of(List.of(loop, consumer, taking, s3(probe, now, maxProbeAge)));
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
