package npuc.worker.storage;

/**
 * The object store could not serve a request: unreachable, failing, refusing our credentials, or its circuit
 * breaker open after repeated failures. Not the job's fault; transient causes were retried before this.
 */
public final class StorageException extends Exception {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
