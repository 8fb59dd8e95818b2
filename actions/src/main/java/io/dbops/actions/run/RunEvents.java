package io.dbops.actions.run;

import io.dbops.events.ActionEvent;
import io.dbops.events.ActionEventType;
import io.dbops.events.RunState;
import java.sql.SQLException;
import java.util.List;

/**
 * A run's events: each is stored in the run's log (gap-free sequence) and then handed to the
 * publisher for {@code dbops.actions.events} (key = run id). Secret values are masked before either.
 * The run log is an outbox: an event is marked published once the broker acknowledged it, and
 * {@link #relay} publishes again what a crash left unacknowledged (at least once; consumers
 * dedupe by run id and seq).
 */
public final class RunEvents {
    /** Sends an event and calls {@code acked} once the broker has it. */
    public interface Publisher {
        void publish(ActionEvent event, Runnable acked);
    }

    private final RunStore store;
    private final Publisher publisher;
    private final List<String> secrets;
    private final java.util.concurrent.ConcurrentLinkedQueue<java.util.Map.Entry<String, Long>> acked =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    public RunEvents(RunStore store, Publisher publisher, List<String> secrets) {
        this.store = store;
        this.publisher = publisher;
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /**
     * Records the acknowledgements received since the last call, then publishes again the events
     * older than {@code grace} that are still unacknowledged; returns how many it published again.
     */
    public int relay(java.time.Duration grace) throws SQLException {
        List<java.util.Map.Entry<String, Long>> done = new java.util.ArrayList<>();
        for (var e = acked.poll(); e != null; e = acked.poll()) {
            done.add(e);
        }
        store.markPublished(done);
        List<RunStore.LogRow> rows = store.unpublished(java.time.Instant.now().minus(grace), 1000);
        java.util.Map<String, Run> runs = new java.util.HashMap<>();
        for (RunStore.LogRow row : rows) {
            Run run = runs.computeIfAbsent(row.runId(), id -> {
                try {
                    return store.run(id).orElse(null);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (run != null) {
                send(run, row);
            }
        }
        return rows.size();
    }

    /** Runs {@link #relay} every {@code every} on a daemon thread. */
    public void startRelay(java.time.Duration every) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(every.toMillis());
                    relay(java.time.Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(RunEvents.class).warn("event relay: {}", e.toString());
                }
            }
        }, "action-event-relay");
        t.setDaemon(true);
        t.start();
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
        send(run, store.append(run.id(), type, index, step, stream, state, mask(message)));
    }

    private void send(Run run, RunStore.LogRow row) {
        publisher.publish(new ActionEvent(ActionEvent.SCHEMA, row.time(), run.id(), row.seq(), row.type(), run.playbook(), run.requestId(),
                run.incidentId(), row.state(), row.step(), row.stepIndex(), row.stream(), row.message()),
                () -> acked.add(java.util.Map.entry(run.id(), row.seq())));
    }
}
