package npuc;

/**
 * A bug in npuc met while compiling: not the user's fault, and not an error the user can fix by changing the
 * input. It carries the {@link FailureSignature} that groups it with every other occurrence of the same bug,
 * and the original exception as its cause.
 */
public final class InternalCompilerError extends RuntimeException {
    private final FailureSignature signature;

    public InternalCompilerError(FailureSignature signature, Throwable cause) {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        this.signature = signature;
    }

    public FailureSignature signature() {
        return signature;
    }
}
