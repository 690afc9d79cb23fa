package npuc;

/**
 * An error the user's input caused: a malformed model, an unknown configuration, a model that does not
 * fit its target. Callers report the message on one line (the CLI exits 1, the worker publishes a
 * failed result); it is never a bug in npuc, so it carries no stack trace worth showing.
 */
public class BadInputException extends Exception {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
