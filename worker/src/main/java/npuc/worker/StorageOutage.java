package npuc.worker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store failing jobs: from the first job it deferred until a probe finds it answering again. Meanwhile the
 * worker takes no jobs. The probe asks the bucket the failed request was for, once per backoff step (one
 * second, doubling, at most a minute); when it answers, jobs are taken again, and a circuit breaker the failures
 * opened is let through to try. A store that answers the probe but still fails jobs starts a new outage with
 * the backoff where it was; a job published with results resets it.
 */
final class StorageOutage {
    private static final Logger LOG = LoggerFactory.getLogger(StorageOutage.class);

    /** An outage as readiness reports it. */
    record State(String cause, long sinceNanos, long nextProbeNanos) {
        String describe(long now) {
            return "paused for " + Duration.ofNanos(now - sinceNanos).toSeconds() + " s, the object store fails jobs: "
                + cause + "; next probe in " + Math.max(0, Duration.ofNanos(nextProbeNanos - now).toSeconds()) + " s";
        }
    }

    private final ObjectStorage storage;
    private final String fallbackBucket;
    private final Executor probes;
    private final IntervalFunction backoff =
        IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
    private volatile State state;
    private String bucket;
    private int attempts;
    private CompletableFuture<Boolean> probe;

    /** @param fallbackBucket probed when the failure names no bucket */
    StorageOutage(ObjectStorage storage, String fallbackBucket, Executor probes) {
        this.storage = storage;
        this.fallbackBucket = fallbackBucket;
        this.probes = probes;
    }

    /** A job was deferred by this fault; starts an outage unless one is on. */
    void jobDeferred(StorageException fault) {
        if (state != null) {
            return;
        }
        attempts++;
        long now = System.nanoTime();
        bucket = fault.bucket().orElse(fallbackBucket);
        state = new State(fault.getMessage(), now, now + backoff.apply(attempts) * 1_000_000);
        LOG.warn("the object store failed a job ({}); taking no jobs until bucket {} answers", fault.getMessage(), bucket);
    }

    /** A job went out with results: the store works, the backoff starts over. */
    void jobPublished() {
        if (state == null) {
            attempts = 0;
        }
    }

    boolean active() {
        return state != null;
    }

    Optional<State> state() {
        return Optional.ofNullable(state);
    }

    /** Called each time round the loop: starts a probe when one is due, ends the outage when one succeeded. */
    void tick() {
        State current = state;
        if (current == null) {
            return;
        }
        if (probe != null) {
            if (!probe.isDone()) {
                return;
            }
            boolean answered = probe.join();
            probe = null;
            if (answered) {
                LOG.info("bucket {} answers again after {} s; taking jobs", bucket,
                    Duration.ofNanos(System.nanoTime() - current.sinceNanos()).toSeconds());
                if (storage.circuitState() == CircuitBreaker.State.OPEN) {
                    storage.circuitBreaker().transitionToHalfOpenState();
                }
                state = null;
                return;
            }
            long now = System.nanoTime();
            state = new State(current.cause(), current.sinceNanos(),
                now + backoff.apply(Math.min(++attempts, 30)) * 1_000_000);
            return;
        }
        if (System.nanoTime() - current.nextProbeNanos() >= 0) {
            String probed = bucket;
            probe = CompletableFuture.supplyAsync(() -> {
                try {
                    storage.checkBucket(probed);
                    return true;
                } catch (StorageException | RuntimeException e) {
                    LOG.debug("probing bucket {}: {}", probed, e.getMessage());
                    return false;
                }
            }, probes);
        }
    }
}
