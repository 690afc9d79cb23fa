package npuc.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The liveness and readiness rules, on plain values. */
class HealthTest {
    private static final Instant NOW = Instant.parse("2026-01-01T02:00:00Z");
    private static final Duration SILENCE = Duration.ofMinutes(2);
    private static final Duration PROBE_AGE = Duration.ofSeconds(30);

    private static LoopStatus running(boolean joined, int partitions) {
        return LoopStatus.of(true, false, joined, partitions, 0, Duration.ofMillis(150));
    }

    private static S3Probe.Result answered(Duration ago) {
        return new S3Probe.Result("artifacts", Optional.of(NOW.minus(ago)), Optional.of(NOW.minus(ago)), "");
    }

    private static Health ready(LoopStatus worker, S3Probe.Result probe) {
        return Health.readiness(worker, "npuc-workers", probe, NOW, SILENCE, PROBE_AGE);
    }

    @Test
    void aJoinedWorkerWhoseBucketAnsweredRecentlyIsReadyEvenWithoutPartitions() {
        Health health = ready(running(true, 0), answered(Duration.ofSeconds(5)));
        assertTrue(health.up(), health.toString());
        assertEquals("joined group npuc-workers with 0 partitions, 0 jobs in flight", health.checks().get(1).detail());
    }

    @Test
    void eachFailingConditionIsAReason() {
        assertEquals(List.of("kafka: the consumer has not joined group npuc-workers yet"),
            ready(running(false, 0), answered(Duration.ZERO)).reasons());
        assertEquals(List.of("s3: bucket artifacts last answered 31 s ago"),
            ready(running(true, 3), answered(Duration.ofSeconds(31))).reasons());
        S3Probe.Result failing = new S3Probe.Result("artifacts", Optional.of(NOW), Optional.of(NOW.minusSeconds(2)),
            "bucket artifacts: HTTP 403 (access denied)");
        assertEquals(List.of("s3: bucket artifacts: HTTP 403 (access denied)"), ready(running(true, 3), failing).reasons());
        S3Probe.Result never = new S3Probe.Result("artifacts", Optional.empty(), Optional.empty(), "");
        LoopStatus starting = LoopStatus.of(false, false, false, 0, 0, Duration.ZERO);
        assertEquals(List.of("worker: starting", "kafka: the consumer has not joined group npuc-workers yet",
            "s3: bucket artifacts not probed yet"), ready(starting, never).reasons());
    }

    @Test
    void aWorkerPausedBecauseTheStoreFailsJobsIsNotReadyAndSaysWhy() {
        LoopStatus paused = new LoopStatus(true, false, true, 3, 0, Duration.ofMillis(150),
            Optional.of("paused for 12 s, the object store fails jobs: GET s3://models/a.tflite: Connection refused"),
            2, 0);
        assertEquals(List.of("jobs: paused for 12 s, the object store fails jobs: GET s3://models/a.tflite: "
            + "Connection refused"), ready(paused, answered(Duration.ZERO)).reasons());
        assertTrue(Health.liveness(paused, SILENCE).up(), "a paused worker is alive: it resumes by itself");
    }

    @Test
    void aWorkerWhoseEveryCompileThreadIsHeldPastItsDeadlineIsNotAlive() {
        LoopStatus oneStuck = new LoopStatus(true, false, true, 3, 2, Duration.ofMillis(150), Optional.empty(), 2, 1);
        assertTrue(Health.liveness(oneStuck, SILENCE).up());
        assertEquals("1 of 2 compile threads held past their deadline",
            Health.liveness(oneStuck, SILENCE).checks().get(1).detail());
        LoopStatus allStuck = new LoopStatus(true, false, true, 3, 2, Duration.ofMillis(150), Optional.empty(), 2, 2);
        assertEquals(List.of("compile: all 2 compile threads are held by compiles past their deadline"),
            Health.liveness(allStuck, SILENCE).reasons());
    }

    @Test
    void livenessFollowsTheLoop() {
        assertTrue(Health.liveness(running(false, 0), SILENCE).up());
        assertTrue(Health.liveness(LoopStatus.of(false, false, false, 0, 0, Duration.ZERO), SILENCE).up(),
            "a worker still starting is alive");
        Health stuck = Health.liveness(LoopStatus.of(true, false, true, 2, 4, Duration.ofSeconds(121)), SILENCE);
        assertFalse(stuck.up());
        assertEquals(List.of("worker: the consume loop has not gone round for 121 s"), stuck.reasons());
        Health ended = Health.liveness(LoopStatus.of(true, true, false, 0, 0, Duration.ZERO), SILENCE);
        assertEquals(List.of("worker: the consume loop has ended"), ended.reasons());
    }
}
