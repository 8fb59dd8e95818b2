package io.dbops.actions.steps;

import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import java.time.Duration;

/** The {@code wait_until} step type: polls a condition until it holds or the deadline passes. */
public final class WaitUntil {
    /** A condition that says why it does not hold yet (null when it holds). */
    @FunctionalInterface
    public interface Condition {
        String notYet(StepContext ctx) throws Exception;
    }

    private WaitUntil() {
    }

    public static void await(StepContext ctx, String what, Condition condition, Duration deadline, Duration poll) throws Exception {
        long end = System.currentTimeMillis() + deadline.toMillis();
        String last = null;
        while (true) {
            String why = condition.notYet(ctx);
            if (why == null) {
                ctx.out(what + ": done");
                return;
            }
            if (!why.equals(last)) {
                ctx.out(what + ": not yet (" + why + ")");
                last = why;
            }
            if (System.currentTimeMillis() + poll.toMillis() > end) {
                throw StepFailure.transientFailure(what + ": not done within " + deadline.toSeconds() + " s (" + why + ")", null);
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
