package io.dbops.actions.run;

import java.time.Duration;

/**
 * How often a failed step is tried again. {@code neverRetried} says, for the log and the docs, what
 * must not be retried; a step signals such a failure by throwing {@link StepFailure#fatal}.
 */
public record RetryPolicy(int maxAttempts, Duration backoff, String neverRetried) {
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, "everything: a failure ends the step");

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    public static RetryPolicy attempts(int maxAttempts, Duration backoff, String neverRetried) {
        return new RetryPolicy(maxAttempts, backoff, neverRetried);
    }
}
