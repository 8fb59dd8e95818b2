package io.dbops.cli;

/**
 * Phase times of one command on stderr when {@code DBOPS_TIMING=1}: milliseconds since the
 * launch ({@code DBOPS_TIMING_START}, epoch ms, else the first mark) and since the previous mark, to see where a short command's time goes without a profiler.
 */
final class Timing {
    private static final Timing OFF = new Timing(false);
    private final boolean on;
    private long last;

    private Timing(boolean on) {
        this.on = on;
        if (on) {
            String launched = System.getenv("DBOPS_TIMING_START");
            last = launched != null ? Long.parseLong(launched) : System.currentTimeMillis();
            mark("main");
        }
    }

    static Timing fromEnv() {
        return "1".equals(System.getenv("DBOPS_TIMING")) ? new Timing(true) : OFF;
    }

    void mark(String phase) {
        if (!on) {
            return;
        }
        long now = System.currentTimeMillis();
        System.err.printf("timing: %-10s +%5d ms%n", phase, now - last);
        last = now;
    }
}
