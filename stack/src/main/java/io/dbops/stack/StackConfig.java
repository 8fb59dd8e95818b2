package io.dbops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its state and which loopback ports it uses. Every port is its
 * documented default plus {@code portOffset}, so a second stack (an integration test beside a
 * developer's running stack) can run on the same machine without touching the first.
 *
 * @param workDir    all state, logs, PID files and secrets live here (default {@code .dbops/} in the repo)
 * @param portOffset added to every default port
 */
public record StackConfig(Path workDir, int portOffset) {

    /** Default ports, by component name; see docs/operations.md. */
    public static final Map<String, Integer> DEFAULT_PORTS = defaults();

    public static final String REDIS_MASTER_NAME = "demo-redis";

    public StackConfig {
        workDir = workDir.toAbsolutePath().normalize();
    }

    public int port(String component) {
        Integer p = DEFAULT_PORTS.get(component);
        if (p == null) {
            throw new IllegalArgumentException("no port for " + component);
        }
        return p + portOffset;
    }

    /** Every problem with this configuration, empty when it is usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        for (String component : DEFAULT_PORTS.keySet()) {
            int port = DEFAULT_PORTS.get(component) + portOffset;
            if (port < 1024 || port > 65535) {
                problems.add("port offset " + portOffset + " puts " + component + " on port " + port
                        + ", outside 1024-65535");
            }
            String other = seen.putIfAbsent(port, component);
            if (other != null) {
                problems.add("port " + port + " is assigned to both " + other + " and " + component);
            }
        }
        Path existing = workDir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            problems.add("work folder " + workDir + " cannot be created or written");
        }
        // MariaDB's socket lives in the work folder and unix socket paths stop at 107 bytes
        int socketPath = workDir.resolve("metadata-db").resolve("mariadbd.sock").toString().length();
        if (socketPath > 107) {
            problems.add("work folder " + workDir + " is too long for MariaDB's unix socket path (" + socketPath
                    + " > 107 bytes); choose a shorter one with --workdir");
        }
        return problems;
    }

    public Path dir(String component) {
        return workDir.resolve(component);
    }

    public Path logFile(String component) {
        return workDir.resolve("logs").resolve(component + ".log");
    }

    public Path pidFile(String component) {
        return workDir.resolve("run").resolve(component + ".pid");
    }

    private static Map<String, Integer> defaults() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("kafka", 19092);
        m.put("kafka-controller", 19093);
        m.put("kafka-2", 19094);
        m.put("kafka-controller-2", 19095);
        m.put("kafka-3", 19096);
        m.put("kafka-controller-3", 19097);
        m.put("metadata-db", 13306);
        m.put("mariadb-1", 13307);
        m.put("mariadb-2", 13308);
        m.put("mariadb-3", 13309);
        m.put("redis-1", 16379);
        m.put("redis-2", 16380);
        m.put("sentinel-1", 26379);
        m.put("sentinel-2", 26380);
        m.put("sentinel-3", 26381);
        m.put("victoria-metrics", 18428);
        m.put("dashboard", 18080);
        // a Flink session cluster (only with --flink-cluster / FlinkSessionCluster): REST, RPC, blobs, task managers, query services
        m.put("flink-jobmanager", 18081);
        m.put("flink-rpc", 16123);
        m.put("flink-blob", 16124);
        m.put("flink-taskmanager-1", 16125);
        m.put("flink-taskmanager-2", 16126);
        m.put("flink-query-0", 16127);
        m.put("flink-query-1", 16128);
        m.put("flink-query-2", 16129);
        return java.util.Collections.unmodifiableMap(m);
    }
}
