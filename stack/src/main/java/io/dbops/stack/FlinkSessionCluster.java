package io.dbops.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A multi-process Flink session cluster on this machine: a JobManager and
 * {@value FlinkNode#TASK_MANAGERS} TaskManagers, each its own JVM from the Maven class path, the
 * way a team runs a standalone cluster on its hosts. Jobs are submitted to {@link #restUrl()}.
 * Task managers can be killed (kill -9) and restarted to prove recovery.
 */
public final class FlinkSessionCluster implements AutoCloseable {
    private final List<FlinkNode> nodes;

    private FlinkSessionCluster(List<FlinkNode> nodes) {
        this.nodes = nodes;
    }

    /** Starts the JobManager and the TaskManagers together and waits until every TaskManager has registered. */
    public static FlinkSessionCluster start(StackConfig config) throws Exception {
        FlinkSessionCluster c = new FlinkSessionCluster(FlinkNode.cluster(config));
        ExecutorService pool = Executors.newFixedThreadPool(c.nodes.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            for (FlinkNode n : c.nodes) {
                started.add(pool.submit(() -> {
                    n.start();
                    return null;
                }));
            }
            for (Future<?> f : started) {
                try {
                    f.get(150, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    c.close();
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return c;
    }

    public String restUrl() {
        return nodes.get(0).restUrl();
    }

    /** Task managers the JobManager knows now. */
    public int registeredTaskManagers() {
        return nodes.get(0).registeredTaskManagers();
    }

    /** The TaskManager (1-based) running the most tasks now. */
    public int busiestTaskManager() throws Exception {
        int[] used = nodes.get(0).slotsInUse();
        int best = 1;
        for (int i = 2; i < used.length; i++) {
            if (used[i] > used[best]) {
                best = i;
            }
        }
        return best;
    }

    /** kill -9 of TaskManager {@code i} (1-based); returns its pid. */
    public long killTaskManager(int i) {
        FlinkNode tm = nodes.get(i);
        long pid = tm.pid().orElseThrow();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return pid;
    }

    /** Starts TaskManager {@code i} again and waits until it registered. */
    public void restartTaskManager(int i) throws Exception {
        nodes.get(i).start();
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
    }
}
