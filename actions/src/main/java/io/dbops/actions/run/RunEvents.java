package io.dbops.actions.run;

import io.dbops.events.ActionEvent;
import io.dbops.events.ActionEventType;
import io.dbops.events.RunState;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run's events: each is stored in the run's log (gap-free sequence) and then handed to the
 * publisher for {@code dbops.actions.events} (key = run id). Secret values are masked before either.
 */
public final class RunEvents {
    private final RunStore store;
    private final Consumer<ActionEvent> publisher;
    private final List<String> secrets;

    public RunEvents(RunStore store, Consumer<ActionEvent> publisher, List<String> secrets) {
        this.store = store;
        this.publisher = publisher;
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    public void run(Run run, RunState state, String message) throws SQLException {
        emit(run, ActionEventType.RUN, null, null, null, state, message);
    }

    public void step(Run run, int index, String step, RunState state, String message) throws SQLException {
        emit(run, ActionEventType.STEP, index, step, null, state, message);
    }

    public void line(Run run, int index, String step, String stream, String message) throws SQLException {
        emit(run, ActionEventType.LOG, index, step, stream, null, message);
    }

    /** Replaces every known secret value in {@code text} with ****. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "****");
        }
        return out;
    }

    private void emit(Run run, ActionEventType type, Integer index, String step, String stream, RunState state, String message)
            throws SQLException {
        RunStore.LogRow row = store.append(run.id(), type, index, step, stream, state, mask(message));
        publisher.accept(new ActionEvent(ActionEvent.SCHEMA, row.time(), run.id(), row.seq(), type, run.playbook(), run.requestId(),
                run.incidentId(), state, step, index, stream, row.message()));
    }
}
