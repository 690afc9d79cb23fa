package npuc.frontend;

/** A model the front end cannot lower for the NPU, with the operator it is about in the message. */
public final class FrontEndException extends RuntimeException {
    public FrontEndException(String message) {
        super(message);
    }
}
