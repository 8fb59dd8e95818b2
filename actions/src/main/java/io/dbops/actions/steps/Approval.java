package io.dbops.actions.steps;

import io.dbops.actions.run.AwaitApproval;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;

/**
 * The {@code approval} step type: the run pauses here (its lease released) until a DBA approves
 * it (dashboard, API or {@code ./dbops runs approve RUN}) or rejects it. One approval per run.
 */
public class Approval implements Step {
    private final String question;

    public Approval(String question) {
        this.question = question;
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
        if (ctx.run().approvedBy() == null) {
            throw new AwaitApproval(question);
        }
        ctx.out("approved by " + ctx.run().approvedBy() + " at " + ctx.run().approvedAt());
    }
}
