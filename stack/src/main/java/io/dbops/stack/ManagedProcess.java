package io.dbops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A long-running server process the stack started, tracked by a PID file. A PID only counts as
 * ours when that process's command line mentions the stack's work folder, so a stale PID file
 * whose number was reused by an unrelated process never makes {@code down} touch it.
 */
final class ManagedProcess {
    private final String name;
    private final Path pidFile;
    private final Path logFile;
    private final String ownerMark;
    private Process started;

    ManagedProcess(StackConfig config, String name) {
        this.name = name;
        this.pidFile = config.pidFile(name);
        this.logFile = config.logFile(name);
        this.ownerMark = config.workDir().toString();
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    /** PID of the running process if it is alive and ours. */
    OptionalLong pid() {
        if (!Files.exists(pidFile)) {
            return OptionalLong.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return isOurs(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    boolean isRunning() {
        return pid().isPresent();
    }

    /**
     * Starts the command in its own session (so it outlives the CLI and a Ctrl-C there), output
     * appended to the component's log, and records its PID.
     */
    long start(List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(logFile.getParent());
            List<String> full = new ArrayList<>();
            full.add("setsid");
            full.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            started = p;
            // setsid execs in place (the JVM's child is never a group leader), so this is the server's PID
            Files.writeString(pidFile, p.pid() + "\n", StandardCharsets.UTF_8);
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * Whether the process this object started is still alive. Unlike {@link #isRunning()} this does
     * not read /proc, whose command line still shows the JVM's spawn helper for a moment after start.
     */
    boolean aliveSinceStart() {
        return started != null && started.isAlive();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; removes the PID file. Returns whether it was running. */
    boolean stop(Duration grace) {
        OptionalLong pid = pid();
        if (pid.isEmpty()) {
            deletePidFile();
            return false;
        }
        ProcessHandle.of(pid.getAsLong()).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception timeout) {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported by the caller's port check
                }
            }
        });
        deletePidFile();
        return true;
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isOurs(long pid) {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            String cmd = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            return cmd.contains(ownerMark);
        } catch (IOException e) {
            return false;
        }
    }
}
