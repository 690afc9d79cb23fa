package npuc.tflite;

/** The compiled model cannot be written as an optimised model; the message says why, in one line. */
public final class OptimisedModelException extends RuntimeException {
    public OptimisedModelException(String message) {
        super(message);
    }
}
