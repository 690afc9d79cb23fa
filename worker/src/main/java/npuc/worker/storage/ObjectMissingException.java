package npuc.worker.storage;

/** The bucket or key does not exist. Never retried: asking again will not make it appear. */
public final class ObjectMissingException extends Exception {
    public ObjectMissingException(S3Location location) {
        super("no such object: " + location);
    }
}
