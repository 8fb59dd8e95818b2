package io.dbops.actions.run;

import java.time.Duration;

/**
 * One step of a playbook. A step must be idempotent: a run that crashed while the step was running
 * executes it again on resume, so it checks the state it is about to change before changing it.
 * Steps that only look ({@link #readOnly()}) also run in a dry run, so its plan names real targets.
 */
public interface Step {
    String name();

    /** One line saying what the step does with the run's parameters and facts (the dry-run plan, the log). */
    String describe(StepContext ctx);

    default Duration timeout() {
        return Duration.ofSeconds(60);
    }

    default RetryPolicy retry() {
        return RetryPolicy.NONE;
    }

    default boolean readOnly() {
        return false;
    }

    /**
     * What undoes this step if a later step fails, or null. It is registered (recorded on the step)
     * before the step executes, and derived again from parameters and facts when a resumed run needs it.
     */
    default Compensation compensation(StepContext ctx) {
        return null;
    }

    void execute(StepContext ctx) throws Exception;
}
