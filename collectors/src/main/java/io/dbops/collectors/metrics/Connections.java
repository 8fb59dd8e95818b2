package io.dbops.collectors.metrics;

import java.util.function.Consumer;

/**
 * A poller's two connections to one server: one for full polls, one for liveness checks, so that
 * a slow poll never delays liveness. Each is opened on first use; one that fails is aborted and
 * opened again next time; {@link #close} aborts both, which makes a call blocked on either return.
 */
final class Connections<C> {
    /** Opens a connection. */
    interface Opener<C> {
        C open() throws Exception;
    }

    /** Works with a connection. */
    interface Use<C, R> {
        R apply(C connection) throws Exception;
    }

    private final Opener<C> opener;
    private final Consumer<C> abort;
    private final Object liveLock = new Object();
    private C poll;
    private C live;

    Connections(Opener<C> opener, Consumer<C> abort) {
        this.opener = opener;
        this.abort = abort;
    }

    /** Uses the liveness connection; one check at a time. */
    <R> R live(Use<C, R> use) throws Exception {
        synchronized (liveLock) {
            C c;
            synchronized (this) {
                if (live == null) {
                    live = opener.open();
                }
                c = live;
            }
            try {
                return use.apply(c);
            } catch (Exception e) {
                drop(c);
                throw e;
            }
        }
    }

    /** Uses the poll connection; the call runs outside any lock, so {@link #close} can abort it. */
    <R> R poll(Use<C, R> use) throws Exception {
        C c;
        synchronized (this) {
            if (poll == null) {
                poll = opener.open();
            }
            c = poll;
        }
        try {
            return use.apply(c);
        } catch (Exception e) {
            drop(c);
            throw e;
        }
    }

    private void drop(C c) {
        synchronized (this) {
            if (poll == c) {
                poll = null;
            }
            if (live == c) {
                live = null;
            }
        }
        quietly(c);
    }

    private void quietly(C c) {
        if (c != null) {
            try {
                abort.accept(c);
            } catch (RuntimeException ignored) {
                // the connection is being thrown away either way
            }
        }
    }

    void close() {
        C p;
        C l;
        synchronized (this) {
            p = poll;
            l = live;
            poll = null;
            live = null;
        }
        quietly(p);
        quietly(l);
    }
}
