package io.dbops.stack;

import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import io.dbops.metadata.MetadataDb;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local platform on one machine: a Kafka broker, the platform's metadata MariaDB, a demo fleet
 * (a MariaDB primary with two GTID replicas, a Redis primary and replica watched by three
 * Sentinels) and VictoriaMetrics, all on loopback with their state under one work folder.
 *
 * <p>{@link #up()} starts only what is not running, then re-applies every set-up step, each of
 * which is idempotent (users, replication, migrations, topics, inventory), and reports health.
 * {@link #down()} stops exactly the processes whose PID files it wrote.
 */
public final class LocalStack {
    public static final String BUSINESS_LINE = "demo";
    public static final String MARIADB_CLUSTER = "demo-mariadb";

    private final StackConfig config;
    private final PrintStream out;
    private final Secrets secrets;
    private final KafkaBroker kafka;
    /** The Kafka nodes: {@code kafka} alone, or with kafka-2 and kafka-3 (see {@link #KAFKA_BROKERS_FILE}). */
    private final List<KafkaBroker> brokers;
    /** The Flink session cluster's nodes, or none (each job on its own MiniCluster). */
    private final List<FlinkNode> flink;
    private final MariaDbServer metadataDb;
    private final List<MariaDbServer> mariadb;
    private final List<RedisServer> redis;
    private final List<RedisServer> sentinels;
    private final VictoriaMetrics victoriaMetrics;
    private final List<PlatformService> services;

    /** Status of one component as {@code status} and {@code up} print it. */
    public record ComponentStatus(String name, String address, Long pid, Health health, String action) {
        public String line() {
            String state = pid == null ? "stopped" : health.ok() ? "healthy" : "UNHEALTHY";
            return String.format("%-17s %-16s %-10s %-9s %s", name, address, state,
                    action == null ? "" : action, health.detail());
        }
    }

    public LocalStack(StackConfig config, PrintStream out) {
        this(config, out, true);
    }

    /**
     * A stack with or without the platform's own services: tests of a service run their own copy
     * of it and must not have a second one publishing the same data.
     */
    public LocalStack(StackConfig config, PrintStream out, boolean withServices) {
        this.config = config;
        this.out = out;
        this.secrets = Secrets.load(config.workDir());
        int nodes = kafkaBrokers(config);
        List<KafkaBroker> b = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            b.add(new KafkaBroker(config, n, nodes));
        }
        this.brokers = List.copyOf(b);
        this.kafka = brokers.get(0);
        this.flink = withServices && Files.exists(config.workDir().resolve(FLINK_CLUSTER_FILE)) ? FlinkNode.cluster(config) : List.of();
        this.metadataDb = new MariaDbServer(config, "metadata-db", MariaDbServer.Role.METADATA, 100);
        this.mariadb = List.of(
                new MariaDbServer(config, "mariadb-1", MariaDbServer.Role.PRIMARY, 1),
                new MariaDbServer(config, "mariadb-2", MariaDbServer.Role.REPLICA, 2),
                new MariaDbServer(config, "mariadb-3", MariaDbServer.Role.REPLICA, 3));
        int redisPrimary = config.port("redis-1");
        this.redis = List.of(RedisServer.node(config, "redis-1", null), RedisServer.node(config, "redis-2", redisPrimary));
        this.sentinels = List.of(
                RedisServer.sentinel(config, "sentinel-1", redisPrimary),
                RedisServer.sentinel(config, "sentinel-2", redisPrimary),
                RedisServer.sentinel(config, "sentinel-3", redisPrimary));
        this.victoriaMetrics = new VictoriaMetrics(config);
        this.services = withServices ? platformServices() : List.of();
    }

    /** Config lines every service that reads Kafka and the inventory takes; the password stays in the secrets file. */
    private String inventoryReaderConfig() {
        return "kafka.bootstrap=" + kafkaBootstrap() + "\n"
                + "metadata.url=" + metadataDb.jdbcUrl("dbops") + "\n"
                + "metadata.user=dbops\n"
                + "metadata.password.secret=metadata.password\n"
                + "secrets.file=" + config.workDir().resolve("secrets.properties") + "\n";
    }

    /** The jobs' setting that sends them to the session cluster, when this platform runs one. */
    private String onCluster() {
        return flink.isEmpty() ? "" : "flink.rest=" + flink.get(0).restUrl() + "\n";
    }

    /** Where a work folder records that its jobs run on a Flink session cluster (absent: a MiniCluster per job). */
    public static final String FLINK_CLUSTER_FILE = "flink-cluster";

    /** Runs this work folder's Flink jobs on a session cluster (a JobManager and two TaskManagers) from the next {@code up} on, or not. */
    public static void useFlinkCluster(StackConfig config, boolean cluster) throws java.io.IOException {
        Files.createDirectories(config.workDir());
        Path f = config.workDir().resolve(FLINK_CLUSTER_FILE);
        if (cluster) {
            Files.writeString(f, "session\n");
        } else {
            Files.deleteIfExists(f);
        }
    }

    /** The platform's own services that exist in this build, started after the servers are set up. */
    private List<PlatformService> platformServices() {
        List<PlatformService> list = new ArrayList<>();
        String collector = "io.dbops.collectors.slowlog.SlowLogCollectorMain";
        if (PlatformService.exists(collector)) {
            list.add(new PlatformService(config, "slowlog-collector", collector, inventoryReaderConfig()
                    + "state.dir=" + config.dir("slowlog-collector").resolve("positions") + "\n"));
        }
        String explain = "io.dbops.collectors.explain.ExplainCaptureMain";
        if (PlatformService.exists(explain)) {
            list.add(new PlatformService(config, "explain-capture", explain, inventoryReaderConfig()
                    + "monitor.user=dbops_monitor\n"));
        }
        String slowSqlJob = "io.dbops.flinkjobs.slowsql.SlowSqlJobMain";
        if (PlatformService.exists(slowSqlJob)) {
            list.add(new PlatformService(config, "slowsql-job", slowSqlJob, "kafka.bootstrap=" + kafkaBootstrap() + "\n"
                    + "checkpoint.dir=" + config.dir("slowsql-job").resolve("checkpoints") + "\n" + onCluster()
                    + "victoria.url=" + victoriaMetrics.url() + "\n"));
        }
        String metricsCollector = "io.dbops.collectors.metrics.MetricsCollectorMain";
        if (PlatformService.exists(metricsCollector)) {
            list.add(new PlatformService(config, "metrics-collector", metricsCollector, inventoryReaderConfig()
                    + "monitor.user=dbops_monitor\n"));
        }
        String metricsJob = "io.dbops.flinkjobs.metrics.MetricsJobMain";
        if (PlatformService.exists(metricsJob)) {
            list.add(new PlatformService(config, "metrics-job", metricsJob, "kafka.bootstrap=" + kafkaBootstrap() + "\n"
                    + "checkpoint.dir=" + config.dir("metrics-job").resolve("checkpoints") + "\n" + onCluster()
                    // a job submitted to the session cluster runs at parallelism 1 unless told (a MiniCluster takes one
                    // subtask per core): the metrics job has by far the most input, and its single rule task, one of
                    // dozens of runnable threads on a loaded machine, got too small a share of the cores to keep up
                    + (flink.isEmpty() ? "" : "parallelism=" + FlinkNode.TASK_MANAGERS + "\n")
                    + "victoria.url=" + victoriaMetrics.url() + "\n"));
        }
        String mergeJob = "io.dbops.flinkjobs.merge.MergeJobMain";
        if (PlatformService.exists(mergeJob)) {
            list.add(new PlatformService(config, "merge-job", mergeJob, inventoryReaderConfig()
                    + "checkpoint.dir=" + config.dir("merge-job").resolve("checkpoints") + "\n" + onCluster()));
        }
        String binlogJob = "io.dbops.flinkjobs.binlog.BinlogJobMain";
        if (PlatformService.exists(binlogJob)) {
            list.add(new PlatformService(config, "binlog-job", binlogJob, inventoryReaderConfig()
                    + "checkpoint.dir=" + config.dir("binlog-job").resolve("checkpoints") + "\n" + onCluster()));
        }
        String actions = "io.dbops.actions.ActionServiceMain";
        if (PlatformService.exists(actions)) {
            list.add(new PlatformService(config, "action-service", actions, inventoryReaderConfig()
                    + "mariadb.admin.user=dbops_admin\nmariadb.admin.password.secret=fleet.mariadb.admin.password\n"
                    + "mariadb.repl.user=dbops_repl\nmariadb.repl.password.secret=fleet.mariadb.repl.password\n"
                    + "placement.model=" + placementModel() + "\n"));
        }
        String binlog = "io.dbops.cdc.BinlogCollectorMain";
        if (PlatformService.exists(binlog)) {
            list.add(new PlatformService(config, "binlog-collector", binlog, inventoryReaderConfig()
                    + "state.dir=" + config.dir("binlog-collector").resolve("state") + "\n"
                    + "mariadb.user=dbops_admin\nmariadb.password.secret=fleet.mariadb.admin.password\n"));
        }
        String dashboard = "io.dbops.dashboard.DashboardMain";
        if (PlatformService.exists(dashboard)) {
            list.add(new PlatformService(config, "dashboard", dashboard, inventoryReaderConfig()
                    + "http.port=" + config.port("dashboard") + "\nvictoria.url=" + victoriaMetrics.url() + "\n"
                    + "placement.model=" + placementModel() + "\n", config.port("dashboard")));
        }
        return list;
    }

    /**
     * Adds config lines to one platform service for its next start (benchmarks narrow or tune a
     * service this way, e.g. the binlog collector's {@code capture.sets}); an unknown service is an error.
     */
    public void serviceConfig(String service, String lines) {
        services.stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow(() -> new StackException("no platform service "
                + service + "; services: " + String.join(", ", services.stream().map(ServerComponent::name).toList()))).extraConfig(lines);
    }

    /** Where the server-selection model lives: the action service and the dashboard use it when it exists. */
    public Path placementModel() {
        return config.dir("placement").resolve("model.json");
    }

    /** The dashboard's address (http://127.0.0.1:PORT). */
    public String dashboardUrl() {
        return "http://127.0.0.1:" + config.port("dashboard");
    }

    public StackConfig config() {
        return config;
    }

    /** Component names in start order. */
    public List<String> componentNames() {
        return components().stream().map(ServerComponent::name).toList();
    }

    private List<ServerComponent> components() {
        List<ServerComponent> all = new ArrayList<>();
        all.addAll(brokers);
        all.add(metadataDb);
        all.addAll(mariadb);
        all.addAll(redis);
        all.addAll(sentinels);
        all.add(victoriaMetrics);
        all.addAll(flink);
        all.addAll(services);
        return all;
    }

    /** Every loopback port the stack listens on when it is up. */
    public List<Integer> ports() {
        return components().stream().flatMap(c -> c.ports().stream()).toList();
    }

    /**
     * Starts one component that is not running and waits until it answers (its own start-up timeout), leaving the rest alone:
     * what a per-unit supervisor (systemd, Docker's restart policy) does after a crash. Nothing when it runs already.
     */
    public void start(String component) throws Exception {
        ServerComponent c = component(component);
        if (!c.isRunning()) {
            c.start();
        }
    }

    /** The process id of a running component, without asking it for its health (that can take seconds when it is in trouble). */
    public java.util.OptionalLong pid(String component) {
        ServerComponent c = component(component);
        return c.isRunning() ? c.pid() : java.util.OptionalLong.empty();
    }

    private ServerComponent component(String name) {
        return components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new StackException("no component " + name + "; components: " + String.join(", ", componentNames())));
    }

    public Path logFile(String component) {
        component(component);
        return config.logFile(component);
    }

    public String secret(String key) {
        return secrets.get(key);
    }

    /** Starts what is down, applies the set-up steps, waits for health; returns one status per component. */
    public List<ComponentStatus> up() throws Exception {
        List<String> problems = new ArrayList<>(config.problems());
        if (!problems.isEmpty()) {
            throw new StackException(problems);
        }
        Packages.ensure(Packages.STACK, out);
        Files.createDirectories(config.workDir());
        List<ServerComponent> toStart = new ArrayList<>();
        for (ServerComponent c : components()) {
            if (!c.isRunning()) {
                toStart.add(c);
                for (int port : c.ports()) {
                    if (!portFree(port)) {
                        problems.add("port " + port + " (" + c.name() + ") is already in use by another process");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StackException(problems);
        }
        startAll(toStart.stream().filter(c -> !services.contains(c)).toList());
        setUp();
        startAll(toStart.stream().filter(services::contains).toList());
        List<ServerComponent> all = components();
        List<Health> healths = awaitHealthy(all, 30_000);
        List<ComponentStatus> statuses = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ServerComponent c = all.get(i);
            statuses.add(new ComponentStatus(c.name(), c.address(), c.pid().isPresent() ? c.pid().getAsLong() : null, healths.get(i),
                    toStart.contains(c) ? "started" : "running"));
        }
        return statuses;
    }

    /** Stops every component this stack started; returns the names of those that were running. */
    /**
     * Stops everything and deletes the work folder: for throwaway stacks (tests, benchmarks), whose
     * data (about 450 MB each: three MariaDB servers, Kafka logs) must not pile up run after run.
     */
    public void discard() throws Exception {
        try {
            down();
        } finally {
            // anything else started inside the folder (servers a playbook provisioned there) goes too
            String dir = config.workDir().toString();
            ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> commandLine(p).contains(dir + "/"))
                    .forEach(ProcessHandle::destroyForcibly);
            deleteRecursively(config.workDir());
        }
    }

    /**
     * A process's command line as /proc has it: servers that rewrite their title (redis-server keeps
     * its config path there) are invisible to {@link ProcessHandle.Info#commandLine()}.
     */
    static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.ISO_8859_1).replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }

    /** Deletes a folder and everything in it; a missing folder is fine. */
    public static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public List<String> down() throws Exception {
        List<ServerComponent> reverse = new ArrayList<>(components());
        java.util.Collections.reverse(reverse);
        List<String> stopped = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(reverse.size());
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (ServerComponent c : reverse) {
                results.add(pool.submit(c::stop));
            }
            for (int i = 0; i < reverse.size(); i++) {
                if (results.get(i).get()) {
                    stopped.add(reverse.get(i).name());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return stopped;
    }

    public List<ComponentStatus> status() {
        List<ComponentStatus> statuses = new ArrayList<>();
        for (ServerComponent c : components()) {
            // the pid is read once: a process that ends between two looks (a chaos kill) is simply not running
            java.util.OptionalLong pid = c.isRunning() ? c.pid() : java.util.OptionalLong.empty();
            boolean running = pid.isPresent();
            boolean squatted = c.ports().stream().anyMatch(ServerComponent::listening);
            Health h = running ? health(c) : Health.bad(squatted
                    ? "not started by this stack, but something else listens on " + c.address() : "not running");
            statuses.add(new ComponentStatus(c.name(), c.address(), running ? pid.getAsLong() : null, h, null));
        }
        return statuses;
    }

    /** JDBC URL, user and password of the metadata DB, for services and tests. */
    public Map<String, String> metadataConnection() {
        return Map.of("url", metadataDb.jdbcUrl("dbops"), "user", "dbops", "password", secrets.get("metadata.password"));
    }

    /** Every broker's address: clients find the cluster from any of them. */
    public String kafkaBootstrap() {
        return String.join(",", brokers.stream().map(KafkaBroker::bootstrap).toList());
    }

    /** Where a work folder records how many Kafka nodes its platform runs (1 when absent). */
    public static final String KAFKA_BROKERS_FILE = "kafka-brokers";

    static int kafkaBrokers(StackConfig config) {
        Path f = config.workDir().resolve(KAFKA_BROKERS_FILE);
        try {
            return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : 1;
        } catch (java.io.IOException | NumberFormatException e) {
            throw new StackException(f + " must hold 1 or 3: " + e.getMessage());
        }
    }

    /**
     * Sets how many Kafka nodes this work folder's platform runs (1, or a 3-node cluster: replication
     * 3, min.insync.replicas 2); only before its first {@code up}, as the brokers' data depends on it.
     */
    public static void useKafkaBrokers(StackConfig config, int nodes) throws java.io.IOException {
        if (!KafkaBroker.SIZES.contains(nodes)) {
            throw new StackException("--kafka-brokers must be 1 or 3, got " + nodes);
        }
        Path f = config.workDir().resolve(KAFKA_BROKERS_FILE);
        if (Files.isDirectory(config.dir("kafka").resolve("data")) && kafkaBrokers(config) != nodes) {
            throw new StackException("this platform's Kafka has " + kafkaBrokers(config) + " node(s); changing it needs a fresh work folder "
                    + "(./dbops down, then another --workdir or an emptied one)");
        }
        Files.createDirectories(config.workDir());
        Files.writeString(f, nodes + "\n");
    }

    public String victoriaMetricsUrl() {
        return victoriaMetrics.url();
    }

    /** Ports of the MariaDB demo set: primary first. */
    public List<Integer> mariadbPorts() {
        return mariadb.stream().map(ServerComponent::port).toList();
    }

    public List<Integer> sentinelPorts() {
        return sentinels.stream().map(ServerComponent::port).toList();
    }

    public int redisPrimaryPort() {
        return redis.get(0).port();
    }

    private void startAll(List<ServerComponent> toStart) throws Exception {
        // Sentinels are started after the Redis nodes, so their first look finds the primary up
        List<ServerComponent> first = toStart.stream().filter(c -> !sentinels.contains(c)).toList();
        List<ServerComponent> second = toStart.stream().filter(sentinels::contains).toList();
        for (List<ServerComponent> wave : List.of(first, second)) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, wave.size()));
            try {
                List<Future<?>> started = new ArrayList<>();
                for (ServerComponent c : wave) {
                    out.println("starting " + c.name() + " on " + c.address());
                    started.add(pool.submit(() -> {
                        c.start();
                        return null;
                    }));
                }
                List<String> failures = new ArrayList<>();
                for (Future<?> f : started) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(e.getCause() instanceof StackException se ? se.getMessage() : e.getCause().toString());
                    }
                }
                if (!failures.isEmpty()) {
                    throw new StackException(failures);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Every step checks before it acts, so running it on a stack that is already set up changes nothing. */
    private void setUp() throws Exception {
        bootstrapMetadataDb();
        bootstrapPrimary();
        for (MariaDbServer replica : mariadb.subList(1, mariadb.size())) {
            attachReplica(replica);
        }
        int created = kafka.createTopics();
        if (created > 0) {
            out.println("created " + created + " Kafka topics from the catalog");
        }
        try (MetadataDb db = MetadataDb.connect(metadataDb.jdbcUrl("dbops"), "dbops", secrets.get("metadata.password"))) {
            int applied = db.migrate();
            if (applied > 0) {
                out.println("metadata schema migrated to version " + db.schemaVersion() + " (" + applied + " migrations)");
            }
            registerFleet(db);
        }
    }

    private void bootstrapMetadataDb() throws Exception {
        Path marker = metadataDb.dir().resolve(".bootstrapped");
        if (Files.exists(marker)) {
            return;
        }
        metadataDb.sql("CREATE DATABASE IF NOT EXISTS dbops CHARACTER SET utf8mb4;\n"
                + "CREATE USER IF NOT EXISTS 'dbops'@'127.0.0.1' IDENTIFIED BY " + quote(secrets.get("metadata.password")) + ";\n"
                + "GRANT ALL PRIVILEGES ON dbops.* TO 'dbops'@'127.0.0.1';\n");
        metadataDb.dropRootTcpAccounts();
        Files.createFile(marker);
    }

    /** Users on the primary; they reach the replicas through replication like everything else. */
    private void bootstrapPrimary() throws Exception {
        MariaDbServer primary = mariadb.get(0);
        Path marker = primary.dir().resolve(".bootstrapped");
        if (Files.exists(marker)) {
            return;
        }
        primary.sql("CREATE USER IF NOT EXISTS 'dbops_admin'@'127.0.0.1' IDENTIFIED BY " + quote(secrets.get("fleet.mariadb.admin.password")) + ";\n"
                + "GRANT ALL PRIVILEGES ON *.* TO 'dbops_admin'@'127.0.0.1' WITH GRANT OPTION;\n"
                + "CREATE USER IF NOT EXISTS 'dbops_repl'@'127.0.0.1' IDENTIFIED BY " + quote(secrets.get("fleet.mariadb.repl.password")) + ";\n"
                + "GRANT REPLICATION SLAVE ON *.* TO 'dbops_repl'@'127.0.0.1';\n"
                + "CREATE USER IF NOT EXISTS 'dbops_monitor'@'127.0.0.1' IDENTIFIED BY " + quote(secrets.get("fleet.mariadb.monitor.password")) + ";\n"
                + "GRANT SELECT, PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'dbops_monitor'@'127.0.0.1';\n"
                + "CREATE DATABASE IF NOT EXISTS demo;\n");
        primary.dropRootTcpAccounts();
        Files.createFile(marker);
    }

    private void attachReplica(MariaDbServer replica) throws Exception {
        Path marker = replica.dir().resolve(".replicating");
        if (Files.exists(marker)) {
            return;
        }
        replica.sql("STOP SLAVE;\n"
                + "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + mariadb.get(0).port()
                + ", MASTER_USER='dbops_repl', MASTER_PASSWORD=" + quote(secrets.get("fleet.mariadb.repl.password"))
                + ", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;\n"
                + "START SLAVE;\n");
        Files.createFile(marker);
    }

    private void registerFleet(MetadataDb db) throws Exception {
        var inventory = db.inventory();
        String server = java.net.InetAddress.getLocalHost().getHostName();
        inventory.upsertBusinessLine(BUSINESS_LINE, "The demo fleet started by ./dbops up");
        inventory.upsertServer(new InventoryServer(server, "127.0.0.1", "rack-1", "dc-1", "local", false));
        // three more logical servers on this machine, in other racks, so that placement has a choice and a new
        // member of a set can go where no other member is (they share the machine's address, so its ports)
        for (int k = 2; k <= SPARE_SERVERS + 1; k++) {
            inventory.upsertServer(new InventoryServer(server + "-" + k, "127.0.0.1", "rack-" + k, "dc-1", "local", false));
        }
        double memGb = machineMemoryGb();
        double diskGb = Files.getFileStore(config.workDir()).getTotalSpace() / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        for (int k = 1; k <= SPARE_SERVERS + 1; k++) {
            inventory.setCapacity(k == 1 ? server : server + "-" + k, Math.round(memGb * 10) / 10.0, Math.round(diskGb), cores);
        }
        inventory.upsertCluster(MARIADB_CLUSTER, Engine.MARIADB, BUSINESS_LINE, "MariaDB primary + 2 GTID replicas");
        inventory.upsertCluster(StackConfig.REDIS_MASTER_NAME, Engine.REDIS, BUSINESS_LINE, "Redis primary + replica, 3 Sentinels");
        for (MariaDbServer m : mariadb) {
            inventory.registerInstance(new InventoryInstance("demo-" + m.name(), Engine.MARIADB, MARIADB_CLUSTER, server,
                    m.port(), m.role() == MariaDbServer.Role.PRIMARY ? "primary" : "replica", BUSINESS_LINE,
                    "fleet.mariadb.monitor", "active", m.slowLog().toString(), true));
        }
        for (RedisServer r : redis) {
            inventory.registerInstance(new InventoryInstance("demo-" + r.name(), Engine.REDIS, StackConfig.REDIS_MASTER_NAME,
                    server, r.port(), r == redis.get(0) ? "primary" : "replica", BUSINESS_LINE, null, "active", null, true));
        }
        for (RedisServer s : sentinels) {
            inventory.registerInstance(new InventoryInstance("demo-" + s.name(), Engine.REDIS, StackConfig.REDIS_MASTER_NAME,
                    server, s.port(), "sentinel", BUSINESS_LINE, null, "active", null, true));
        }
    }

    /** Logical servers registered beside the machine's own. */
    static final int SPARE_SERVERS = 3;

    /** This machine's memory in GB (from /proc/meminfo; the JVM's view when it cannot be read). */
    static double machineMemoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // fall through
        }
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1e9;
    }

    /**
     * Waits until every component is healthy, one has stopped running, or {@code timeoutMillis} passed, all of them at once:
     * one slow or dead component (a job service whose JobManager is gone) costs the wait once, not once per component behind it.
     */
    private List<Health> awaitHealthy(List<ServerComponent> cs, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Health[] hs = new Health[cs.size()];
        while (true) {
            boolean waiting = false;
            for (int i = 0; i < hs.length; i++) {
                if (hs[i] == null || !hs[i].ok()) {
                    hs[i] = health(cs.get(i));
                    waiting |= !hs[i].ok() && cs.get(i).isRunning();
                }
            }
            if (!waiting || System.currentTimeMillis() >= deadline) {
                return List.of(hs);
            }
            Thread.sleep(250);
        }
    }

    /** The component's own check, plus replication state for the MariaDB set. */
    private Health health(ServerComponent c) {
        if (!(c instanceof MariaDbServer m) || m.role() == MariaDbServer.Role.METADATA) {
            if (c == metadataDb) {
                return metadataHealth();
            }
            return c.health();
        }
        // the inventory, not the start-up role, says what a server is after failovers and switchovers
        String[] inventory = inventoryRoleAndStatus("demo-" + m.name());
        if (inventory != null && "fenced".equals(inventory[1])) {
            return Health.ok("fenced by a failover: it rejoins through the mariadb_rejoin playbook");
        }
        boolean primary = inventory != null ? "primary".equals(inventory[0]) : m.role() == MariaDbServer.Role.PRIMARY;
        try (Connection conn = m.connect("dbops_admin", secrets.get("fleet.mariadb.admin.password"));
             Statement st = conn.createStatement()) {
            if (primary) {
                try (ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos, @@read_only")) {
                    rs.next();
                    return Health.ok("primary, gtid_binlog_pos " + rs.getString(1) + ", read_only " + rs.getInt(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                if (!rs.next()) {
                    return Health.bad("replica with no replication configured");
                }
                String io = rs.getString("Slave_IO_Running");
                String sql = rs.getString("Slave_SQL_Running");
                String gtid = rs.getString("Using_Gtid");
                Object lag = rs.getObject("Seconds_Behind_Master");
                String detail = "replica of :" + rs.getInt("Master_Port") + ", IO " + io + ", SQL " + sql + ", gtid "
                        + gtid + " " + rs.getString("Gtid_IO_Pos") + ", lag " + (lag == null ? "NULL" : lag + " s");
                boolean ok = "Yes".equals(io) && "Yes".equals(sql) && !"No".equals(gtid);
                if (!ok && rs.getString("Last_IO_Error") != null && !rs.getString("Last_IO_Error").isEmpty()) {
                    detail += ", IO error: " + rs.getString("Last_IO_Error");
                }
                return ok ? Health.ok(detail) : Health.bad(detail);
            }
        } catch (Exception e) {
            return Health.bad("cannot check: " + e.getMessage());
        }
    }

    /** {role, status} of an instance in the inventory, or null when it cannot be read. */
    private String[] inventoryRoleAndStatus(String id) {
        try (Connection c = java.sql.DriverManager.getConnection(metadataDb.jdbcUrl("dbops"), "dbops", secrets.get("metadata.password"));
             var ps = c.prepareStatement("SELECT role, status FROM instances WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        } catch (Exception e) {
            return null;
        }
    }

    private Health metadataHealth() {
        try (MetadataDb db = MetadataDb.connect(metadataDb.jdbcUrl("dbops"), "dbops", secrets.get("metadata.password"))) {
            int pending = db.pendingMigrations();
            String detail = "schema version " + db.schemaVersion() + ", " + db.inventory().instances().size() + " instances in inventory";
            return pending == 0 ? Health.ok(detail) : Health.bad(detail + ", " + pending + " migrations pending");
        } catch (Exception e) {
            return Health.bad("cannot check: " + e.getMessage());
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
