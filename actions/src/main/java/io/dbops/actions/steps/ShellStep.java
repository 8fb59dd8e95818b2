package io.dbops.actions.steps;

import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code shell} step type: runs a process (no shell in between: the command is an argument
 * list), streams each stdout and stderr line to the run's log as it comes, and kills the process
 * tree when the time limit passes. A non-zero exit is a failure naming the exit code.
 */
public final class ShellStep {
    private ShellStep() {
    }

    /** Runs {@code command}; returns its exit code when it is 0, throws otherwise. */
    public static int run(StepContext ctx, List<String> command, Path workDir, Map<String, String> env, Duration timeout)
            throws Exception {
        return run(ctx, command, workDir, env, timeout, null);
    }

    /** Like {@link #run(StepContext, List, Path, Map, Duration)}, with the process reading {@code input} on stdin. */
    public static int run(StepContext ctx, List<String> command, Path workDir, Map<String, String> env, Duration timeout, Path input)
            throws Exception {
        return run(ctx, command, workDir, env, timeout, input, line -> line);
    }

    /** The same, each stdout line rewritten by {@code format} before it reaches the log (null drops it). */
    public static int run(StepContext ctx, List<String> command, Path workDir, Map<String, String> env, Duration timeout, Path input,
                          java.util.function.UnaryOperator<String> format) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (input != null) {
            pb.redirectInput(input.toFile());
        }
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        Thread out = pump(p.getInputStream(), line -> {
            String shown = format.apply(line);
            if (shown != null) {
                ctx.out(shown);
            }
        });
        Thread err = pump(p.getErrorStream(), ctx::err);
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        if (!done) {
            kill(p);
            throw StepFailure.transientFailure(command.get(0) + " did not finish within " + timeout.toSeconds() + " s: killed", null);
        }
        out.join(2000);
        err.join(2000);
        if (p.exitValue() != 0) {
            throw StepFailure.transientFailure(command.get(0) + " exited with " + p.exitValue(), null);
        }
        return 0;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static Thread pump(InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.accept(line);
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        }, "shell-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
