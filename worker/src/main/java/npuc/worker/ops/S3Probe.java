package npuc.worker.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.StorageException;

/** Asks the object store, on each run, whether a bucket answers; readiness reads the latest answer. */
public final class S3Probe implements Runnable {
    /**
     * The latest answers.
     *
     * @param lastError empty when the latest attempt succeeded, else why it failed
     */
    public record Result(String bucket, Optional<Instant> lastAttempt, Optional<Instant> lastSuccess, String lastError) {
        public Result {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(lastAttempt, "lastAttempt");
            Objects.requireNonNull(lastSuccess, "lastSuccess");
            Objects.requireNonNull(lastError, "lastError");
        }
    }

    private final ObjectStorage storage;
    private final String bucket;
    private final Clock clock;
    private volatile Result result;

    public S3Probe(ObjectStorage storage, String bucket, Clock clock) {
        this.storage = storage;
        this.bucket = bucket;
        this.clock = clock;
        this.result = new Result(bucket, Optional.empty(), Optional.empty(), "");
    }

    @Override
    public void run() {
        Instant attempt = clock.instant();
        try {
            storage.checkBucket(bucket);
            result = new Result(bucket, Optional.of(attempt), Optional.of(clock.instant()), "");
        } catch (StorageException | RuntimeException e) {
            // A probe never throws: the scheduler would stop calling it.
            result = new Result(bucket, Optional.of(attempt), result.lastSuccess(),
                e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    public Result result() {
        return result;
    }
}
