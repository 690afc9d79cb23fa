package npuc.worker.storage;

/** An object bigger than the caller accepts; a model over the worker's size limit. */
public final class ObjectTooLargeException extends Exception {
    public ObjectTooLargeException(S3Location location, long limit) {
        super(location + " is larger than the limit of " + limit + " bytes");
    }

    public ObjectTooLargeException(S3Location location, long size, long limit) {
        super(location + " is " + size + " bytes, over the limit of " + limit + " bytes");
    }
}
