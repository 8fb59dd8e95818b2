package io.dbops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the platform's own Java services (a collector, the action service, the dashboard), run in
 * its own JVM from the CLI's classpath with a config file the stack writes. It reports liveness by
 * rewriting a health file after every round of work; a file older than {@link #STALE} means the
 * service is stuck. A service whose main class is not on the classpath does not exist yet and is
 * not started.
 */
final class PlatformService extends ServerComponent {
    static final Duration STALE = Duration.ofSeconds(15);
    private final String mainClass;
    private final String config;
    private String extra = "";
    private final Integer port;
    private long startedAt;

    PlatformService(StackConfig config, String name, String mainClass, String configText) {
        this(config, name, mainClass, configText, null);
    }

    /** A service that also listens on {@code port} (the dashboard). */
    PlatformService(StackConfig config, String name, String mainClass, String configText, Integer port) {
        super(config, name);
        this.mainClass = mainClass;
        this.config = configText;
        this.port = port;
    }

    /** Lines added to the service's config at its next start (a later key wins over an earlier one). */
    void extraConfig(String lines) {
        this.extra = lines.endsWith("\n") ? lines : lines + "\n";
    }

    /** Whether the service's code is on the classpath, i.e. it has been built. */
    static boolean exists(String mainClass) {
        try {
            Class.forName(mainClass, false, PlatformService.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    Path configFile() {
        return dir().resolve(name + ".properties");
    }

    Path healthFile() {
        return dir().resolve("health");
    }

    @Override
    List<Integer> ports() {
        return port == null ? List.of() : List.of(port);
    }

    @Override
    String address() {
        return port == null ? "-" : "127.0.0.1:" + port;
    }

    @Override
    void prepare() throws Exception {
        write(configFile(), "# written by dbops; edits are overwritten at the next up\n" + config + extra
                + "health.file=" + healthFile() + "\n");
        write(dir().resolve("log4j2.properties"), String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %d{ISO8601} %p %c{1}: %m%n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.out.ref = OUT",
                "logger.dbops.name = io.dbops",
                "logger.dbops.level = INFO",
                ""));
        Files.deleteIfExists(healthFile());
        startedAt = System.currentTimeMillis();
    }

    @Override
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(HUGE_PAGES);
        cmd.addAll(List.of("-Xms64m", "-Xmx768m", "-XX:+UseSerialGC",
                // Flink's MiniCluster reflects into java.util on Java 17
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Dlog4j2.configurationFile=" + dir().resolve("log4j2.properties"), "-cp", System.getProperty("java.class.path"),
                mainClass, configFile().toString()));
        return cmd;
    }

    @Override
    boolean ready() {
        try {
            return Files.exists(healthFile()) && Files.getLastModifiedTime(healthFile()).toMillis() >= startedAt
                    && (port == null || listening(port));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    Health health() {
        try {
            if (!Files.exists(healthFile())) {
                return Health.bad("no health report yet; see ./dbops logs " + name);
            }
            Instant last = Files.getLastModifiedTime(healthFile()).toInstant();
            String detail = Files.readString(healthFile()).trim();
            return Duration.between(last, Instant.now()).compareTo(STALE) < 0
                    ? Health.ok(detail) : Health.bad("stuck: last report " + last + "; see ./dbops logs " + name);
        } catch (java.io.IOException e) {
            return Health.bad("cannot read health: " + e.getMessage());
        }
    }
}
