package io.dbops.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of a Flink session cluster started from the Maven class path (no flink-dist): the
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) or a TaskManager ({@code
 * TaskManagerRunner}), each its own JVM with the memory flags Flink's own {@code BashJavaUtils}
 * computes from the shared {@code conf/config.yaml}, and the module opens Flink needs on Java 17.
 * The cluster's REST API is the JobManager's; jobs are submitted to it (RestClusterClient).
 */
final class FlinkNode extends ServerComponent {
    enum Role { JOBMANAGER, TASKMANAGER }

    static final int TASK_MANAGERS = 2;
    /**
     * Slots per TaskManager: every job fits on one TaskManager while the other is down (the metrics job takes two,
     * the other three one each), so a job need not wait for a killed TaskManager to come back before it restarts.
     */
    static final int SLOTS = 6;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** The opens Flink's own distribution configures for Java 17. */
    static final List<String> JAVA17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Role role;
    private final int index;

    private FlinkNode(StackConfig config, Role role, int index) {
        super(config, role == Role.JOBMANAGER ? "flink-jobmanager" : "flink-taskmanager-" + index);
        this.role = role;
        this.index = index;
    }

    /** The JobManager and {@link #TASK_MANAGERS} TaskManagers. */
    static List<FlinkNode> cluster(StackConfig config) {
        List<FlinkNode> out = new ArrayList<>(List.of(new FlinkNode(config, Role.JOBMANAGER, 0)));
        for (int i = 1; i <= TASK_MANAGERS; i++) {
            out.add(new FlinkNode(config, Role.TASKMANAGER, i));
        }
        return out;
    }

    Role role() {
        return role;
    }

    /** The cluster's REST address (the JobManager's). */
    String restUrl() {
        return "http://127.0.0.1:" + config.port("flink-jobmanager");
    }

    @Override
    List<Integer> ports() {
        return role == Role.JOBMANAGER ? List.of(port(), config.port("flink-rpc"), config.port("flink-blob")) : List.of(port());
    }

    /** Shared by every node: one folder for the whole cluster. */
    private Path conf() {
        return config.dir("flink").resolve("conf");
    }

    @Override
    void prepare() throws Exception {
        write(conf().resolve("config.yaml"), String.join("\n",
                "# written by dbops; edits are overwritten at the next up",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + config.port("flink-rpc"),
                "jobmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + config.port("flink-jobmanager"),
                "blob.server.port: " + config.port("flink-blob"),
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: " + SLOTS,
                "parallelism.default: 2",
                "taskmanager.load-balance.mode: SLOTS", // spread the jobs' slots over both TaskManagers (Flink 2 dropped cluster.evenly-spread-out-slots)
                "jobmanager.memory.process.size: 1024m",
                "taskmanager.memory.process.size: 1536m",
                "cluster.registration.error-delay: 1 s",
                "heartbeat.interval: 2000",
                "heartbeat.timeout: 10000",
                "restart-strategy.type: fixed-delay",
                "restart-strategy.fixed-delay.attempts: 100",
                "restart-strategy.fixed-delay.delay: 2 s",
                "classloader.check-leaked-classloader: false",
                "web.submit.enable: false",
                ""));
        write(conf().resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = OUT",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %d %-5p %c{1} - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                ""));
    }

    /** JVM flags and dynamic properties Flink computes for this role from config.yaml. */
    private List<List<String>> resourceParams() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                role == Role.JOBMANAGER ? "GET_JM_RESOURCE_PARAMS" : "GET_TM_RESOURCE_PARAMS", "--configDir", conf().toString()));
        String out = Shell.check("flink resource params", cmd, null, 60);
        List<String> results = new ArrayList<>();
        Matcher m = Pattern.compile("BASH_JAVA_UTILS_EXEC_RESULT:(.*)").matcher(out);
        while (m.find()) {
            results.add(m.group(1).trim());
        }
        if (results.size() < 2) {
            throw new StackException("Flink's BashJavaUtils gave no resource parameters: " + out);
        }
        return List.of(List.of(results.get(0).split("\\s+")), List.of(results.get(1).split("\\s+")));
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Override
    List<String> command() {
        List<List<String>> params;
        try {
            params = resourceParams();
        } catch (Exception e) {
            throw new StackException("cannot size " + name + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(params.get(0));
        cmd.addAll(HUGE_PAGES);
        cmd.addAll(JAVA17_OPENS);
        cmd.addAll(List.of("-Dlog4j.configurationFile=" + conf().resolve("log4j.properties"), "-Dlog.file=" + config.logFile(name),
                "-cp", System.getProperty("java.class.path")));
        cmd.add(role == Role.JOBMANAGER ? "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
                : "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        cmd.addAll(List.of("--configDir", conf().toString()));
        cmd.addAll(params.get(1));
        cmd.addAll(List.of("-D", "metrics.internal.query-service.port=" + config.port(role == Role.JOBMANAGER ? "flink-query-0" : "flink-query-" + index)));
        if (role == Role.TASKMANAGER) {
            cmd.addAll(List.of("-D", "taskmanager.rpc.port=" + port(), "-D", "taskmanager.resource-id=tm-" + index));
        }
        return cmd;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** Slots in use on each TaskManager (1-based index), from the JobManager's REST API. */
    int[] slotsInUse() throws Exception {
        int[] used = new int[TASK_MANAGERS + 1];
        for (com.fasterxml.jackson.databind.JsonNode tm : new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/taskmanagers"))
                .path("taskmanagers")) {
            String id = tm.path("id").asText();
            if (id.startsWith("tm-")) {
                int i = Integer.parseInt(id.substring(3));
                if (i >= 1 && i <= TASK_MANAGERS) {
                    used[i] = tm.path("slotsNumber").asInt() - tm.path("freeSlots").asInt();
                }
            }
        }
        return used;
    }

    /** Task managers registered with the JobManager (from its REST overview), -1 when it does not answer. */
    int registeredTaskManagers() {
        try {
            Matcher m = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)").matcher(get("/overview"));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    boolean ready() {
        if (role == Role.JOBMANAGER) {
            return registeredTaskManagers() >= 0;
        }
        try {
            return get("/taskmanagers").contains("\"id\":\"tm-" + index + "\"");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    Health health() {
        try {
            String overview = get("/overview");
            Matcher tms = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)").matcher(overview);
            Matcher running = Pattern.compile("\"jobs-running\"\\s*:\\s*(\\d+)").matcher(overview);
            String detail = (tms.find() ? tms.group(1) : "?") + " task managers, " + (running.find() ? running.group(1) : "?") + " jobs running";
            if (role == Role.TASKMANAGER && !ready()) {
                return Health.bad("not registered with the JobManager (" + detail + ")");
            }
            return Health.ok(detail);
        } catch (Exception e) {
            return Health.bad("the JobManager does not answer: " + e.getMessage());
        }
    }

    @Override
    Duration startTimeout() {
        return Duration.ofSeconds(90);
    }
}
