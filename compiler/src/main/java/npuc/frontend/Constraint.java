package npuc.frontend;

import java.util.Objects;

/**
 * One of Vela's operator constraints: the description Vela prints when an operator breaks it, and the
 * check. Descriptions are printed verbatim, including the continuation lines of multi-line ones, which keep
 * Vela's indentation of eight spaces.
 */
record Constraint(String description, Check check) {

    /** The outcome of a check: whether the operator passes, and the detail Vela prints under the description. */
    record Verdict(boolean valid, String extra) {
        Verdict {
            Objects.requireNonNull(extra, "extra");
        }

        static Verdict of(boolean valid, String extra) {
            return new Verdict(valid, extra);
        }
    }

    @FunctionalInterface
    interface Check {
        Verdict apply(CheckedOperator op);
    }

    Constraint {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(check, "check");
    }

    Verdict apply(CheckedOperator op) {
        return check.apply(op);
    }
}
