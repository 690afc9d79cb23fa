package npuc;

import java.util.Optional;

/**
 * A request to end one compile early, made from any thread: its deadline passed, or the work went to someone
 * else. The compile notices at its next checkpoint, between stages and inside the long searches (stripe and
 * cascade search, fast-storage placement, arena allocation), and ends with {@link CompileCancelledException};
 * nothing is interrupted, so no half-built state escapes. A compile without one never stops early.
 *
 * <p>The searches find the cancellation of the compile running on their thread: {@link Compiler} binds it for
 * the duration of the compile. Work a compile hands to another thread, or shares through a cache with other
 * compiles, must not carry one compile's cancellation into another.
 */
public final class Cancellation {
    private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

    private volatile String reason;

    /** Cancels the compile; the first reason given is the one reported. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Ends the compile here if it has been cancelled. */
    public void check() {
        String why = reason;
        if (why != null) {
            throw new CompileCancelledException(why);
        }
    }

    /** A checkpoint inside a long search: ends the compile running on this thread if it has been cancelled. */
    public static void checkpoint() {
        Cancellation current = CURRENT.get();
        if (current != null) {
            current.check();
        }
    }

    /** Makes this the cancellation the searches on this thread check, until the scope is closed. */
    Scope bind() {
        Cancellation previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The span of a compile during which its cancellation is bound to the thread. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
