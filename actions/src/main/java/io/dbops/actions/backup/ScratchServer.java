package io.dbops.actions.backup;

import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.steps.ShellStep;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throwaway MariaDB server on this host for restore checks: its own data folder, port, socket
 * and server id, started detached (it outlives a crashed action service, and a resumed run finds
 * it again through its PID file), stopped and deleted at the end.
 */
final class ScratchServer {
    private final Path dir;

    ScratchServer(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path data() {
        return dir.resolve("data");
    }

    Path socket() {
        return dir.resolve("mariadbd.sock");
    }

    /** The running server's PID, if its PID file names a live process. */
    Optional<ProcessHandle> running() throws IOException {
        Path pid = dir.resolve("mariadbd.pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** An empty data folder with the system tables (for loading a logical dump). */
    void install(StepContext ctx) throws Exception {
        Files.createDirectories(data());
        ShellStep.run(ctx, List.of("mariadb-install-db", "--no-defaults", "--user=root", "--datadir=" + data(), "--skip-test-db",
                "--auth-root-authentication-method=socket"), null, Map.of(), Duration.ofMinutes(5));
    }

    /** Starts mariadbd detached on {@code port} and waits until it accepts connections. */
    void start(StepContext ctx, int port, int serverId) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder("mariadbd", "--no-defaults", "--user=root", "--datadir=" + data(), "--port=" + port,
                "--socket=" + socket(), "--pid-file=" + dir.resolve("mariadbd.pid"), "--tmpdir=" + dir.resolve("tmp"),
                "--bind-address=127.0.0.1", "--skip-name-resolve", "--server-id=" + serverId, "--log-bin=binlog",
                "--gtid-domain-id=0", "--innodb-buffer-pool-size=64M", "--read-only=OFF")
                .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.log").toFile());
        pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (running().isPresent()) {
                    ctx.out("scratch server up on 127.0.0.1:" + port + " (" + data() + ")");
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw StepFailure.transientFailure("the scratch server did not start within 60 s; see " + dir.resolve("mariadbd.log"), null);
    }

    /** Runs SQL through the socket as the operating-system root (the scratch's only account before a dump is loaded). */
    void sql(StepContext ctx, Path input, String statement) throws Exception {
        List<String> cmd = statement == null
                ? List.of("mariadb", "--no-defaults", "--user=root", "--socket=" + socket())
                : List.of("mariadb", "--no-defaults", "--user=root", "--socket=" + socket(), "-e", statement);
        ShellStep.run(ctx, cmd, null, Map.of(), Duration.ofHours(5), input);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 30 s) and deletes its folder. */
    void destroy(StepContext ctx) throws Exception {
        Optional<ProcessHandle> p = running();
        if (p.isPresent()) {
            p.get().destroy();
            try {
                p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                p.get().destroyForcibly();
            }
        }
        Files2.deleteTree(dir);
        ctx.out("scratch server stopped and removed");
    }
}
