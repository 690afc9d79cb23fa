package npuc;

/**
 * A compile ended early because its {@link Cancellation} was cancelled. Neither the input's fault nor a bug:
 * the caller that cancelled decides what it means (a target over its deadline, work handed back).
 */
public final class CompileCancelledException extends RuntimeException {
    public CompileCancelledException(String reason) {
        super(reason);
    }

    /** Why the compile was cancelled, as given to {@link Cancellation#cancel}. */
    public String reason() {
        return getMessage();
    }
}
