package io.dbops.flinkjobs;

/** A daemon thread that runs {@code load} every {@code everyMs} until interrupted: how operators keep metadata fresh without a restart. */
public final class Refresher {
    private Refresher() {
    }

    public static Thread start(String name, long everyMs, Runnable load) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(everyMs);
                } catch (InterruptedException e) {
                    return;
                }
                load.run();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
