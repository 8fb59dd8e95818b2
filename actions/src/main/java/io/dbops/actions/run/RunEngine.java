package io.dbops.actions.run;

import io.dbops.actions.Fleet;
import io.dbops.events.RunState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes runs durably. A worker takes the lease of a runnable run, and executes its playbook
 * from the first step not yet succeeded: steps completed before a crash are never executed again,
 * the one that was running is executed again (steps are idempotent). Each step is recorded before
 * and after it runs, with its output and the facts it decided; its compensation is registered
 * before it runs. A failed step (after its retries) runs the registered compensations of the
 * completed steps in reverse order. A dry run executes only the read-only steps and prints the
 * plan of the others.
 */
public final class RunEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);

    private final RunStore store;
    private final RunEvents events;
    private final Map<String, Playbook> playbooks;
    private final Fleet fleet;
    private final String owner;
    private final Duration lease;
    private final ExecutorService stepThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "action-step");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "action-lease");
        t.setDaemon(true);
        return t;
    });

    public RunEngine(RunStore store, RunEvents events, Map<String, Playbook> playbooks, Fleet fleet, String owner, Duration lease) {
        this.store = store;
        this.events = events;
        this.playbooks = playbooks;
        this.fleet = fleet;
        this.owner = owner;
        this.lease = lease;
    }

    /**
     * Claims and executes one runnable run; false when there was none. Interrupted (the service
     * stopping), it abandons the run as a crash would: the step in flight stays running, the lease
     * is released, and the run resumes at that step on the next worker.
     */
    public boolean runOne() throws SQLException, InterruptedException {
        var claimed = store.claim(owner, lease);
        if (claimed.isEmpty()) {
            return false;
        }
        Run run = claimed.get();
        ScheduledFuture<?> renewal = leases.scheduleAtFixedRate(() -> {
            try {
                store.renew(run.id(), owner, lease);
            } catch (SQLException e) {
                LOG.warn("cannot renew the lease of {}: {}", run.id(), e.getMessage());
            }
        }, lease.toMillis() / 3, lease.toMillis() / 3, TimeUnit.MILLISECONDS);
        try {
            execute(run);
        } finally {
            renewal.cancel(false);
            store.release(run.id(), owner);
        }
        return true;
    }

    private void execute(Run run) throws SQLException, InterruptedException {
        Playbook playbook = playbooks.get(run.playbook());
        if (playbook == null) {
            finish(run, RunState.FAILED, "unknown playbook '" + run.playbook() + "' (known: " + String.join(", ", playbooks.keySet()) + ")");
            return;
        }
        List<StepRecord> records = store.steps(run.id());
        boolean resumed = !records.isEmpty();
        if (run.state() == RunState.PENDING && !resumed) {
            store.setState(run.id(), RunState.RUNNING, null);
            events.run(run, RunState.RUNNING, (run.dryRun() ? "dry run of " : "running ") + playbook.name() + " for "
                    + (run.target() != null ? run.target() : run.cluster()) + " (requested by " + run.requestedBy() + ")");
        } else {
            store.setState(run.id(), RunState.RUNNING, null);
            events.run(run, RunState.RUNNING, "resumed by " + owner + " at step "
                    + firstIncomplete(records, playbook.steps().size()) + " of " + playbook.steps().size());
        }
        Map<String, String> facts = new java.util.LinkedHashMap<>(run.facts()); // the claim read the run as saved
        List<Step> steps = playbook.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            StepRecord rec = i < records.size() ? records.get(i) : null;
            if (rec != null && (rec.state() == RunState.SUCCEEDED || rec.state() == RunState.SKIPPED)) {
                continue;
            }
            int index = i;
            StringBuilder output = new StringBuilder();
            StepContext ctx = new StepContext(run, facts, fleet, (stream, line) -> {
                output.append(line).append('\n');
                try {
                    events.line(run, index, step.name(), stream, line);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot record the log: " + e.getMessage(), e);
                }
            });
            if (run.dryRun() && !step.readOnly()) {
                String plan = "plan: " + step.describe(ctx);
                events.line(run, i, step.name(), "stdout", plan);
                store.stepFinished(run.id(), i, step.name(), RunState.SKIPPED, plan, null, null);
                events.step(run, i, step.name(), RunState.SKIPPED, "dry run: not executed");
                continue;
            }
            if (!stepDelay.isZero()) {
                Thread.sleep(stepDelay.toMillis());
            }
            Compensation comp = step.compensation(ctx);
            store.stepStarting(run.id(), i, step.name(), comp == null ? null : comp.description());
            events.step(run, i, step.name(), RunState.RUNNING, step.describe(ctx));
            Attempt result = attempt(run, i, step, ctx);
            String error = result.error();
            if (result.awaitingApproval()) {
                store.stepFinished(run.id(), i, step.name(), RunState.AWAITING_APPROVAL, output.toString(), null, ctx.facts());
                store.setState(run.id(), RunState.AWAITING_APPROVAL, "waiting for approval at step " + step.name());
                events.run(run, RunState.AWAITING_APPROVAL, "waiting for a DBA's approval: ./dbops runs approve " + run.id());
                return;
            }
            if (error != null) {
                store.stepFinished(run.id(), i, step.name(), RunState.FAILED, output.toString(), events.mask(error), ctx.facts());
                events.step(run, i, step.name(), RunState.FAILED, error);
                boolean compensated = compensate(run, steps, i, ctx);
                finish(run, compensated ? RunState.COMPENSATED : RunState.FAILED, "step " + step.name() + " failed: " + error);
                return;
            }
            facts = ctx.facts();
            store.stepFinished(run.id(), i, step.name(), RunState.SUCCEEDED, output.toString(), null, facts);
            events.step(run, i, step.name(), RunState.SUCCEEDED, null);
        }
        finish(run, RunState.SUCCEEDED, run.dryRun() ? "dry run: nothing was changed" : null);
    }

    /** How a step ended: done (no error), waiting for an approval, or failed with its error. */
    private record Attempt(boolean awaitingApproval, String error) {
        static final Attempt DONE = new Attempt(false, null);
        static final Attempt AWAITING = new Attempt(true, null);

        static Attempt failed(String error) {
            return new Attempt(false, error);
        }
    }

    /** Executes a step with its timeout and retries. */
    private Attempt attempt(Run run, int index, Step step, StepContext ctx) throws SQLException, InterruptedException {
        RetryPolicy retry = step.retry();
        String error = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (attempt > 1) {
                events.line(run, index, step.name(), "stderr", "attempt " + attempt + " of " + retry.maxAttempts() + " after: " + error);
                Thread.sleep(retry.backoff().toMillis());
            }
            Future<?> f = stepThreads.submit(() -> {
                step.execute(ctx);
                return null;
            });
            try {
                f.get(step.timeout().toMillis(), TimeUnit.MILLISECONDS);
                return Attempt.DONE;
            } catch (TimeoutException e) {
                f.cancel(true);
                error = "timed out after " + step.timeout().toSeconds() + " s";
            } catch (InterruptedException e) {
                f.cancel(true);
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AwaitApproval) {
                    return Attempt.AWAITING;
                }
                error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                if (cause instanceof StepFailure sf && !sf.retryable()) {
                    return Attempt.failed(error + " (not retried)");
                }
            }
        }
        return Attempt.failed(error);
    }

    /** Runs the compensations of the completed steps before {@code failed}, newest first; true when at least one ran and all succeeded. */
    private boolean compensate(Run run, List<Step> steps, int failed, StepContext ctx) throws SQLException {
        boolean any = false;
        boolean ok = true;
        for (int i = failed - 1; i >= 0; i--) {
            Compensation comp = steps.get(i).compensation(ctx);
            if (comp == null) {
                continue;
            }
            any = true;
            events.step(run, i, steps.get(i).name(), RunState.COMPENSATING, comp.description());
            try {
                comp.action().run(ctx);
                events.step(run, i, steps.get(i).name(), RunState.COMPENSATED, null);
            } catch (Exception e) {
                ok = false;
                events.line(run, i, steps.get(i).name(), "stderr", "compensation failed: " + e.getMessage());
            }
        }
        return any && ok;
    }

    private void finish(Run run, RunState state, String message) throws SQLException {
        store.setState(run.id(), state, message);
        events.run(run, state, message);
        Playbook playbook = playbooks.get(run.playbook());
        if (state == RunState.SUCCEEDED && !run.dryRun() && playbook != null && playbook.changesTopology() && run.cluster() != null) {
            onTopologyChanged.accept(run);
        }
    }

    private java.util.function.Consumer<Run> onTopologyChanged = r -> { };
    private Duration stepDelay = Duration.ZERO;

    /** Slow motion for drills and demos: a pause before each step, so people (and crash tests) can follow a run. */
    public void stepDelay(Duration delay) {
        this.stepDelay = delay;
    }

    /** Called after a run that changed a cluster's roles succeeded (the service sets the anti-flap block there). */
    public void onTopologyChanged(java.util.function.Consumer<Run> callback) {
        this.onTopologyChanged = callback;
    }

    private static int firstIncomplete(List<StepRecord> records, int steps) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).state() != RunState.SUCCEEDED && records.get(i).state() != RunState.SKIPPED) {
                return i;
            }
        }
        return Math.min(records.size(), steps);
    }

    @Override
    public void close() {
        stepThreads.shutdownNow();
        leases.shutdownNow();
    }
}
