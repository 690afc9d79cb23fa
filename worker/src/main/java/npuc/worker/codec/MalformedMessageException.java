package npuc.worker.codec;

/** A job message that cannot be read: neither a known Avro schema nor JSON of a job, or a job that makes no sense. */
public final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
