package npuc.sweep;

/** How a point of a sweep ended. */
public enum PointStatus {
    /** Compiled. */
    OK,
    /** The compiler said cleanly that the model needs more fast storage than the arena gives. */
    DOES_NOT_FIT,
    /** The model or target was refused with a reason a user can act on (unsupported, corrupt, bad config). */
    FAILED,
    /** The compiler broke: an internal error or out of memory. */
    ERROR;

    /** Whether the compiler did its job: an answer, or a clean refusal that the arena is too small. */
    public boolean isClean() {
        return this == OK || this == DOES_NOT_FIT;
    }

    /**
     * The status of a compile that ended with {@code error} (null: it compiled). The worker's results carry
     * a failure as its text, and a sweep run locally words its failures as the worker does, so both kinds
     * of run classify the same failure alike: the compiler's "does not fit: it needs N bytes" refusal (and the
     * FastestFit search's "does not fit an arena cache size of N bytes with any schedule"), the
     * worker's "internal compiler error" and "out of memory" wrappers, and the rest.
     */
    public static PointStatus of(String error) {
        if (error == null) {
            return OK;
        }
        if (error.contains(" does not fit: it needs ") || error.contains(" does not fit an arena cache size of ")) {
            return DOES_NOT_FIT;
        }
        if (error.startsWith(INTERNAL_ERROR) || error.startsWith(OUT_OF_MEMORY)) {
            return ERROR;
        }
        return FAILED;
    }

    /** How the worker words a compiler's unexpected exception (then its signature and message), and the sweep the same. */
    public static final String INTERNAL_ERROR = "internal compiler error";
    public static final String OUT_OF_MEMORY = "out of memory compiling ";
}
