package npuc.worker.storage;

import java.util.Optional;

/**
 * The object store could not serve a request: unreachable, failing, refusing our credentials, or its circuit
 * breaker open after repeated failures. Not the job's fault; transient causes were retried before this.
 */
public final class StorageException extends Exception {
    private final String bucket;

    public StorageException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** A failed request to {@code bucket}, which a probe can ask again to learn when the store is back. */
    public StorageException(String message, String bucket, Throwable cause) {
        super(message, cause);
        this.bucket = bucket;
    }

    /** The bucket the failed request was for, when it was for one. */
    public Optional<String> bucket() {
        return Optional.ofNullable(bucket);
    }
}
