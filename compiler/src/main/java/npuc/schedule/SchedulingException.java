package npuc.schedule;

/** The scheduler cannot run an operation on the target (no block config fits, say). */
public final class SchedulingException extends RuntimeException {
    public SchedulingException(String message) {
        super(message);
    }
}
