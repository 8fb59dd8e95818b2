package io.dbops.actions.run;

/** A step's failure with a message for people; {@link #retryable()} false stops retries at once. */
public final class StepFailure extends Exception {
    private final boolean retryable;

    private StepFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure that trying again cannot fix (a wrong target, errant transactions, a refused precondition). */
    public static StepFailure fatal(String message) {
        return new StepFailure(message, false, null);
    }

    /** A failure that may pass (a connection refused, a lagging replica). */
    public static StepFailure transientFailure(String message, Throwable cause) {
        return new StepFailure(message, true, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
