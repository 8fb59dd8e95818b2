package io.dbops.actions.steps;

import io.dbops.actions.run.AwaitApproval;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;

/**
 * The {@code approval} step type: the run pauses here (its lease released) until a DBA approves
 * it (dashboard, API or {@code ./dbops runs approve RUN}) or rejects it. One approval per run.
 */
public final class Approval implements Step {
    private final String question;
    private final java.util.function.Predicate<StepContext> asked;

    public Approval(String question) {
        this(question, ctx -> true);
    }

    /** An approval asked only when {@code asked} holds for the run (e.g. a parameter); otherwise the step passes. */
    public Approval(String question, java.util.function.Predicate<StepContext> asked) {
        this.question = question;
        this.asked = asked;
    }

    @Override
    public String name() {
        return "approval";
    }

    @Override
    public String describe(StepContext ctx) {
        return "wait for a DBA to approve: " + question;
    }

    @Override
    public void execute(StepContext ctx) throws Exception {
        if (!asked.test(ctx)) {
            ctx.out("no approval asked for this run");
            return;
        }
        if (ctx.run().approvedBy() == null) {
            throw new AwaitApproval(question);
        }
        ctx.out("approved by " + ctx.run().approvedBy() + " at " + ctx.run().approvedAt());
    }
}
