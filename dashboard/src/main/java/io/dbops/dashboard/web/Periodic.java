package io.dbops.dashboard.web;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/** Background work repeated on a daemon thread; a failed round is logged and tried again at the next. */
public final class Periodic {
    private Periodic() {
    }

    /** Work that may throw. */
    public interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} every {@code periodMs} while {@code keepGoing} holds; returns the started thread. */
    public static Thread every(String name, long periodMs, BooleanSupplier keepGoing, Logger log, Work work) {
        Thread t = new Thread(() -> {
            while (keepGoing.getAsBoolean()) {
                try {
                    Thread.sleep(periodMs);
                    work.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    log.warn("{} failed (tried again): {}", name, e.toString());
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
