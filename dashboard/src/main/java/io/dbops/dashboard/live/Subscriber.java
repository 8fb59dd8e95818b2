package io.dbops.dashboard.live;

import io.dbops.dashboard.auth.Principal;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One live client (a browser tab's EventSource): who it is, what it listens to, and its own queue,
 * drained by one pool thread at a time so a slow client never holds up the others. A client that
 * falls {@link #MAX_QUEUED} events behind is closed; its browser reconnects and reloads the state.
 */
public final class Subscriber {
    static final int MAX_QUEUED = 2_000;

    /** Where the events go (the SSE connection). */
    public interface Sink {
        void send(String event, String data) throws Exception;

        void close();
    }

    final Principal who;
    final Set<String> kinds;
    final String instance;
    final String run;
    private final Sink sink;
    private final ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closed;

    /** {@code kinds}: fleet, alarm, incident, run; {@code instance}/{@code run}: only that instance's or run's events (null: all visible). */
    public Subscriber(Principal who, Set<String> kinds, String instance, String run, Sink sink) {
        this.who = who;
        this.kinds = kinds;
        this.instance = instance;
        this.run = run;
        this.sink = sink;
    }

    boolean closed() {
        return closed;
    }

    void offer(String event, String data, Executor pool) {
        if (closed) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            close();
            return;
        }
        queue.add(new String[] {event, data});
        if (draining.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            String[] e;
            while ((e = queue.poll()) != null) {
                queued.decrementAndGet();
                try {
                    sink.send(e[0], e[1]);
                } catch (Exception ex) {
                    close();
                    return;
                }
            }
            draining.set(false);
            if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            queue.clear();
            sink.close();
        }
    }
}
