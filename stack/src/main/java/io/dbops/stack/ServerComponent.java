package io.dbops.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One server process of the local stack: how to prepare its folder on first start, the command
 * that runs it in the foreground, a cheap readiness probe and a real health check.
 */
abstract class ServerComponent {
    /**
     * Every JVM the stack starts keeps its heap in 2 MB pages when the kernel offers them (transparent huge pages, the
     * default "madvise" mode here): on the virtual machines this runs on, each first touch of a 4 KB page is a costly
     * fault, and the slow-SQL job's replay used 15-20% less CPU per event with them.
     */
    static final List<String> HUGE_PAGES = hugePages();

    /** The flag, or nothing where the kernel has transparent huge pages off (the JVM would print a warning on stdout). */
    private static List<String> hugePages() {
        try {
            String mode = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            return mode.contains("[never]") ? List.of() : List.of("-XX:+UseTransparentHugePages");
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }

    protected final StackConfig config;
    protected final String name;
    protected final ManagedProcess process;

    ServerComponent(StackConfig config, String name) {
        this.config = config;
        this.name = name;
        this.process = new ManagedProcess(config, name);
    }

    String name() {
        return name;
    }

    int port() {
        return config.port(name);
    }

    List<Integer> ports() {
        return List.of(port());
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    Path dir() {
        return config.dir(name);
    }

    boolean isRunning() {
        return process.isRunning();
    }

    OptionalLong pid() {
        return process.pid();
    }

    /** Idempotent first-time setup: folders, config files, data directory. */
    abstract void prepare() throws Exception;

    /** The server in the foreground; its output goes to the component's log. */
    abstract List<String> command();

    Map<String, String> environment() {
        return Map.of();
    }

    /** Cheap probe: does it answer yet. */
    abstract boolean ready();

    /** Full check, with what was seen. */
    abstract Health health();

    Duration startTimeout() {
        return Duration.ofSeconds(60);
    }

    /** Prepares, launches and waits until the server answers, failing with its log's tail when it dies. */
    void start() throws Exception {
        Files.createDirectories(dir());
        prepare();
        process.start(command(), environment());
        long deadline = System.nanoTime() + startTimeout().toNanos();
        while (!ready()) {
            if (!process.aliveSinceStart()) {
                throw new StackException(name + " exited during start-up; last lines of " + process.logFile() + ":\n"
                        + tail(process.logFile(), 15));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(name + " did not answer on " + address() + " within " + startTimeout().toSeconds()
                        + " s; see " + process.logFile());
            }
            Thread.sleep(100);
        }
    }

    boolean stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
