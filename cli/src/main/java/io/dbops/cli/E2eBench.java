package io.dbops.cli;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.MetricSample;
import io.dbops.events.Incident;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.events.Topic;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import io.dbops.metadata.MetadataDb;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./dbops bench e2e}: the whole platform as {@code ./dbops up} runs it (Kafka, the metadata DB,
 * the MariaDB set, Redis with Sentinels, VictoriaMetrics, every collector, job and service in its own
 * process) watching a simulated fleet of 1,000 instances on 250 servers in 25 racks and 2 data centres.
 *
 * <p>Each simulated instance is a loopback port that forwards to a real server of the stack (a
 * primary to the MariaDB primary, replicas to its replicas, Redis to Redis), registered in the
 * inventory with its server, rack, data centre, cluster, role and business line: the real metrics
 * collector polls all 1,000 (full poll every 10 s, liveness every second). Slow-log entries and binlog
 * changes of the simulated sets are produced straight to their topics at stated rates (there are no
 * 1,000 slow logs to tail). Alarm storms are real faults: a server or a whole rack "dies" (its ports
 * reset every connection and refuse new ones) and comes back later; the collector sees it, the rule
 * engine raises {@code mysql_down}/{@code redis_down}, the merge job folds them into incidents, the action
 * service reacts. Every alarm and incident is read back committed ({@code read_committed}) and checked:
 * one firing alarm per instance and fault (none lost), no event twice, every alarm in an incident.
 */
final class E2eBench {
    static final String PREFIX = "e2e-";
    static final Set<String> DOWN_TYPES = Set.of("mysql_down", "redis_down");
    /** What the chaos mode kills with -9, in turn, each together with a server fault whose alarm, incident and run must come through. */
    static final List<String> CHAOS = List.of("kafka-2", "flink-taskmanager-1", "flink-jobmanager", "metrics-collector", "action-service");

    record Settings(int instances, int seconds, int stormEvery, int downSeconds, int slowRate, int binlogRate, int livenessMs, int portBase,
                    int stackOffset) {
    }

    /** One simulated instance: its listening port, and which real server of the stack it forwards to. */
    record SimInstance(String id, Engine engine, String cluster, String server, int port, String role, String business, int target) {
    }

    /** A fault: the servers taken down, their instances (id to port) and which of those are primaries, when, and when revived. */
    record Fault(int n, String kind, List<String> servers, Map<String, Integer> instances, Set<String> primaries, long at, long revivedAt) {
    }

    /** A component killed with -9 at {@code at}; {@code healthyAt}: when every component was running and healthy again (0: never). */
    record Kill(String component, long at, long healthyAt) {
    }

    /**
     * How one fault came through: its last alarm, first incident and first playbook run committed, in ms after the fault (-1:
     * never), and for a fault injected with a kill, the component killed and when the platform was whole again.
     * {@code overBeforeIncident}: no run, rightly, because every primary the fault took down was back (its down alarm resolved)
     * before any incident named its alarm (see {@link #overBeforeIncident}).
     */
    /**
     * @param observed instances of the fault the collector sampled failing ("up" 0, read from {@code dbops.metrics}): an
     *                 instance without its alarm that was sampled failing was lost in the pipeline; one never sampled failing
     *                 was not seen by the collector at all
     */
    record FaultOutcome(int n, String kind, int instances, int alarmed, long lastAlarmMs, long incidentMs, long runMs, String killed,
                        long healthyMs, boolean overBeforeIncident, int observed) {
        /** Until the alarms, the incident and the run (or, for a fault over before the incident, no run) were all through; -1: never. */
        long recoveryMs() {
            if (lastAlarmMs < 0 || incidentMs < 0 || (runMs < 0 && !overBeforeIncident)) {
                return -1;
            }
            return Math.max(lastAlarmMs, Math.max(incidentMs, runMs));
        }
    }

    record Usage(String component, double cores, long rssMb) {
    }

    /** A consumer group's progress on one topic over the measured window. */
    record Stage(String group, String topic, double consumedPerS, long lagStart, long lagEnd) {
    }

    record Result(String mode, double seconds, int faults, int expectedAlarms, int lostAlarms, int duplicatedAlarms,
                  int missingResolves, List<Long> alarmLatencies, List<Long> detection, List<Long> pipeline, int lostFromIncidents,
                  int duplicatedIncidentEvents, List<Long> incidentLatencies, double incidentsPerFault, int runs, int repeatedRuns,
                  Map<String, Integer> runsByPlaybook, Map<String, Integer> firingByType, List<FaultOutcome> outcomes, int falseDowns,
                  Map<String, Integer> falseDownReasons, Map<String, Double> producedPerS, List<Stage> stages, List<Usage> usage, String saturation) {
        int lost() {
            return lostAlarms + lostFromIncidents;
        }

        int duplicated() {
            return duplicatedAlarms + duplicatedIncidentEvents + repeatedRuns;
        }
    }

    private E2eBench() {
    }

    /** 250 servers (10 per rack, 25 racks, 2 data centres), MariaDB sets of 3 and Redis pairs, members never sharing a server or rack. */
    static List<SimInstance> fleet(int instances, int portBase, int[] targets) {
        int servers = Math.max(2, instances / 4);
        int sets = (instances - servers) / 3;
        List<SimInstance> out = new ArrayList<>();
        int port = portBase;
        for (int k = 0; k < sets; k++) {
            for (int m = 0; m < 3; m++) {
                int server = (k + m * (servers / 3 + 1)) % servers;
                out.add(new SimInstance(PREFIX + "m" + k + "-" + m, Engine.MARIADB, PREFIX + "m" + k, server(server), port++,
                        m == 0 ? "primary" : "replica", PREFIX + "bl" + k % 8, targets[m]));
            }
        }
        int redis = instances - sets * 3;
        for (int j = 0; j < redis; j++) {
            int pair = j / 2;
            int server = j % 2 == 0 ? (2 * pair) % servers : (2 * pair + 1) % servers;
            out.add(new SimInstance(PREFIX + "r" + pair + "-" + j % 2, Engine.REDIS, PREFIX + "r" + pair, server(server), port++,
                    j % 2 == 0 ? "primary" : "replica", PREFIX + "bl" + pair % 8, targets[3 + j % 2]));
        }
        return out;
    }

    static String server(int n) {
        return String.format("%ss%03d", PREFIX, n);
    }

    static String rack(String server) {
        return PREFIX + "rack" + Integer.parseInt(server.substring(server.length() - 3)) / 10;
    }

    static String dc(String server) {
        return PREFIX + "dc" + Integer.parseInt(server.substring(server.length() - 3)) / 125;
    }

    static void register(Inventory inv, List<SimInstance> fleet) throws Exception {
        Set<String> done = new HashSet<>();
        for (SimInstance i : fleet) {
            if (done.add("bl:" + i.business())) {
                inv.upsertBusinessLine(i.business(), "simulated fleet of ./dbops bench e2e");
            }
            if (done.add("s:" + i.server())) {
                inv.upsertServer(new InventoryServer(i.server(), "127.0.0.1", rack(i.server()), dc(i.server()), "sim", false));
            }
            if (done.add("c:" + i.cluster())) {
                inv.upsertCluster(i.cluster(), i.engine(), i.business(), "simulated");
            }
            inv.registerInstance(new InventoryInstance(i.id(), i.engine(), i.cluster(), i.server(), i.port(), i.role(), i.business(),
                    i.engine() == Engine.MARIADB ? "fleet.mariadb.monitor" : null, "active", null, false));
        }
    }

    static Result run(String mode, Settings s, PrintStream log) throws Exception {
        Path work = Files.createTempDirectory("dbops-bench-e2e-");
        StackConfig config = new StackConfig(work, s.stackOffset());
        if (mode.equals("cluster") || mode.equals("chaos")) {
            LocalStack.useFlinkCluster(config, true);
        }
        if (mode.equals("chaos")) {
            LocalStack.useKafkaBrokers(config, 3);
        }
        LocalStack stack = new LocalStack(config, new PrintStream(new ByteArrayOutputStream()), true);
        // the binlog collector captures the stack's real set; the simulated sets' changes are produced directly
        stack.serviceConfig("binlog-collector", "capture.sets=" + LocalStack.MARIADB_CLUSTER + "\n");
        // 1,000 liveness checks a second (the default 1 s) through the forwarders to three real servers load this machine far
        // more than 1,000 separate hosts would load the collector's; metrics stay at 10 s
        stack.serviceConfig("metrics-collector", "liveness.interval.ms=" + s.livenessMs() + "\n");
        // the shipped remediation rules, every one as notify: a run is recorded per incident (and counted), nothing acts on the
        // simulated sets (a failover of a simulated set would work on the stack's real servers behind the forwarders)
        String rules;
        try (var in = E2eBench.class.getResourceAsStream("/actions/default-rules.yaml")) {
            rules = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("policy: (auto|approval)", "policy: notify");
        }
        Files.writeString(work.resolve("notify-rules.yaml"), rules);
        stack.serviceConfig("action-service", "rules.file=" + work.resolve("notify-rules.yaml") + "\n");
        Thread discard = new Thread(() -> {
            try {
                stack.discard();
            } catch (Exception ignored) {
                // stopping anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(discard); // an interrupted bench leaves nothing running
        try {
            log.printf("[%s] starting the platform (%s)%n", mode, mode.equals("cluster") ? "Flink session cluster: JobManager + 2 TaskManagers"
                    : mode.equals("chaos") ? "3 Kafka brokers, Flink session cluster; kill -9 in turn: " + String.join(", ", CHAOS)
                    : "a Flink MiniCluster per job");
            stack.up();
            List<Integer> m = stack.mariadbPorts();
            List<SimInstance> fleet = fleet(s.instances(), s.portBase(), new int[] {m.get(0), m.get(1), m.get(2), stack.redisPrimaryPort(),
                    config.port("redis-2")});
            Map<Integer, Integer> routes = new LinkedHashMap<>();
            fleet.forEach(i -> routes.put(i.port(), i.target()));
            Map<String, String> md = stack.metadataConnection();
            try (TcpForwarder forwarder = new TcpForwarder(routes); MetadataDb db = MetadataDb.connect(md.get("url"), md.get("user"), md.get("password"));
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
                register(db.inventory(), fleet);
                long registered = System.currentTimeMillis();
                log.printf("[%s] %d simulated instances registered; waiting for the collector to poll them%n", mode, fleet.size());
                awaitPolled(stack.kafkaBootstrap(), fleet, registered, log, mode);
                try (Supervisor supervisor = mode.equals("chaos") ? new Supervisor(stack, log, mode) : null) {
                    return measure(mode, s, stack, fleet, forwarder, db, admin, supervisor, log);
                }
            }
        } finally {
            keepLogs(work, mode, log);
            stack.discard();
            Runtime.getRuntime().removeShutdownHook(discard);
        }
    }

    /** With {@code DBOPS_E2E_LOGS=DIR}, every component's log is copied to DIR/MODE before the stack is discarded. */
    private static void keepLogs(Path work, String mode, PrintStream log) {
        String to = System.getenv("DBOPS_E2E_LOGS");
        if (to == null || to.isBlank()) {
            return;
        }
        Path dest = Path.of(to, mode);
        try (var files = Files.walk(work)) {
            // Kafka's segment files end in .log too: not logs
            for (Path f : files.filter(p -> p.toString().endsWith(".log") && Files.isRegularFile(p)
                    && !work.relativize(p).toString().contains("/data/")).toList()) {
                Path target = dest.resolve(work.relativize(f).toString().replace('/', '_'));
                Files.createDirectories(dest);
                Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            log.printf("[%s] logs kept in %s%n", mode, dest);
        } catch (java.io.IOException e) {
            log.printf("[%s] could not keep the logs: %s%n", mode, e.getMessage());
        }
    }

    /** Until nearly every simulated instance was polled and the merge job re-read the topology (30 s refresh). */
    private static void awaitPolled(String bootstrap, List<SimInstance> fleet, long registered, PrintStream log, String mode) {
        Set<String> ids = new HashSet<>();
        fleet.forEach(i -> ids.add(i.id()));
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c = BenchJobs.committedFromNow(bootstrap, Topic.METRICS.topicName())) {
            long until = registered + 150_000;
            while (System.currentTimeMillis() < until && (seen.size() < ids.size() * 0.99 || System.currentTimeMillis() < registered + 40_000)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (ids.contains(r.key())) {
                        seen.add(r.key());
                    }
                }
            }
        }
        log.printf("[%s] %d of %d simulated instances polled%n", mode, seen.size(), ids.size());
        if (seen.size() < ids.size() * 0.9) {
            throw new IllegalStateException("the collector polled only " + seen.size() + " of " + ids.size() + " simulated instances in 150 s");
        }
    }

    record Received<T>(T event, long at) {
    }

    /** What the end of the load looked like: CPU ticks per component, group offsets, topic end offsets. */
    private record Window(long nanos, Map<String, long[]> cpu, Map<String, Map<TopicPartition, Long>> groups, Map<TopicPartition, Long> ends) {
    }

    /** The measured run; {@code supervisor} (chaos only, else null) kills a component with each fault after the first. */
    private static Result measure(String mode, Settings s, LocalStack stack, List<SimInstance> fleet, TcpForwarder forwarder, MetadataDb db,
                                  Admin admin, Supervisor supervisor, PrintStream log) throws Exception {
        String bootstrap = stack.kafkaBootstrap();
        Map<String, List<SimInstance>> byServer = new TreeMap<>();
        for (SimInstance i : fleet) {
            byServer.computeIfAbsent(i.server(), k -> new ArrayList<>()).add(i);
        }
        List<String> servers = new ArrayList<>(byServer.keySet());
        Random r = new Random(20261125);
        List<Fault> faults = new ArrayList<>();
        Set<String> usedRacks = new HashSet<>();
        Set<String> usedServers = new HashSet<>();
        List<Received<Alarm>> alarms = new ArrayList<>();
        List<Received<Incident>> incidents = new ArrayList<>();
        // what the collector sampled of the faults: instance -> times of its failing "up" samples
        Set<String> faultedInstances = new HashSet<>();
        Map<String, List<Long>> failing = new HashMap<>();
        boolean chaos = supervisor != null;
        Map<String, long[]> cpu0 = cpuTicks(stack);
        Map<String, Map<TopicPartition, Long>> groups0 = groupOffsets(admin);
        Map<TopicPartition, Long> ends0 = endOffsets(admin);
        long runsBefore = countRuns(db);
        long start = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Window atLoadEnd = null;
        try (KafkaProducer<String, byte[]> producer = BenchJobs.producer(bootstrap, 5);
             KafkaConsumer<String, byte[]> alarmReader = BenchJobs.committedFromNow(bootstrap, Topic.ALARMS.topicName());
             KafkaConsumer<String, byte[]> incidentReader = BenchJobs.committedFromNow(bootstrap, Topic.INCIDENTS.topicName());
             KafkaConsumer<String, byte[]> sampleReader = BenchJobs.committedFromNow(bootstrap, Topic.METRICS.topicName())) {
            long slowSent = 0;
            long binlogSent = 0;
            // chaos: a quiet fault first, then one per component killed; each needs the interval before the next
            long end = start + (chaos ? Math.max(s.seconds(), 15 + (CHAOS.size() + 1L) * s.stormEvery()) : s.seconds()) * 1000L;
            long nextFault = start + 15_000;
            long lastEvent = System.currentTimeMillis();
            List<Fault> down = new ArrayList<>();
            List<SimInstance> mariadb = fleet.stream().filter(i -> i.engine() == Engine.MARIADB).toList();
            long nextReport = start + 15_000;
            long nextDrainCheck = 0;
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= nextReport) {
                    log.printf("[%s] %3ds: sent %d slow-log entries, %d binlog events; received %d alarm and %d incident events%n", mode,
                            (now - start) / 1000, slowSent, binlogSent, alarms.size(), incidents.size());
                    nextReport += 15_000;
                }
                if (now >= end && atLoadEnd == null) {
                    atLoadEnd = new Window(System.nanoTime(), cpuTicks(stack), groupOffsets(admin), endOffsets(admin));
                }
                if (now < end) {
                    for (long due = (now - start) * s.slowRate() / 1000; slowSent < due; slowSent++) {
                        SimInstance i = mariadb.get(r.nextInt(mariadb.size()));
                        SlowQuery q = StreamBench.query(r, now, ref(i));
                        producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), i.id(), EventCodec.toBytes(q)));
                    }
                    for (long due = (now - start) * s.binlogRate() / 1000; binlogSent < due; binlogSent++) {
                        SimInstance i = mariadb.get(3 * r.nextInt(mariadb.size() / 3)); // the set's primary
                        BinlogChange c = change(i, binlogSent, now);
                        producer.send(new ProducerRecord<>(Topic.BINLOG.topicName(), BinlogChange.stream(ref(i)) + "/shop.orders",
                                EventCodec.toBytes(c)));
                    }
                    if (now >= nextFault && now + s.downSeconds() * 1000L < end) {
                        Fault f = fault(faults.size(), chaos ? "server" : faults.size() % 2 == 0 ? "server" : "rack", r, servers, byServer, usedRacks,
                                usedServers);
                        if (chaos && f.n() >= 1 && f.n() <= CHAOS.size()) {
                            supervisor.kill(CHAOS.get(f.n() - 1));
                        }
                        forwarder.down(f.instances().values());
                        f = new Fault(f.n(), f.kind(), f.servers(), f.instances(), f.primaries(), System.currentTimeMillis(), 0);
                        faults.add(f);
                        down.add(f);
                        faultedInstances.addAll(f.instances().keySet());
                        log.printf("[%s] fault %d: %s %s down (%d instances)%n", mode, f.n(), f.kind(), f.kind().equals("rack")
                                ? rack(f.servers().get(0)) : f.servers().get(0), f.instances().size());
                        nextFault += s.stormEvery() * 1000L;
                    }
                }
                for (Fault f : new ArrayList<>(down)) {
                    if (now >= f.at() + s.downSeconds() * 1000L && observed(f, failing, now, s.downSeconds() * 1000L)) {
                        forwarder.up(f.instances().values());
                        faults.set(f.n(), new Fault(f.n(), f.kind(), f.servers(), f.instances(), f.primaries(), f.at(), System.currentTimeMillis()));
                        down.remove(f);
                    }
                }
                for (ConsumerRecord<String, byte[]> rec : alarmReader.poll(Duration.ofMillis(10))) {
                    alarms.add(new Received<>(EventCodec.fromBytes(rec.value(), Alarm.class), System.currentTimeMillis()));
                    lastEvent = System.currentTimeMillis();
                }
                for (ConsumerRecord<String, byte[]> rec : sampleReader.poll(Duration.ofMillis(10))) {
                    failingSample(rec, faultedInstances, failing);
                }
                for (ConsumerRecord<String, byte[]> rec : incidentReader.poll(Duration.ofMillis(10))) {
                    incidents.add(new Received<>(EventCodec.fromBytes(rec.value(), Incident.class), System.currentTimeMillis()));
                    lastEvent = System.currentTimeMillis();
                }
                // after the load: resolves and incident updates still come; stop once quiet (or after 90 s). A chaos run
                // also waits (up to DRAIN_MS) for every fault to have come through: a pipeline slowed by a recovery is
                // late, which its recovery times show; only what never comes is lost
                if (now >= end && down.isEmpty() && (now - lastEvent > 15_000 || now - end > 90_000)) {
                    if (!chaos) {
                        break;
                    }
                    if (now - end > DRAIN_MS) {
                        log.printf("[%s] not every fault came through within %d s after the load%n", mode, DRAIN_MS / 1000);
                        break;
                    }
                    if (now >= nextDrainCheck) {
                        nextDrainCheck = now + 5_000;
                        if (allThrough(faults, alarms, incidents, db)) {
                            log.printf("[%s] every fault came through; %d s after the load%n", mode, (now - end) / 1000);
                            break;
                        }
                    }
                }
            }
        }
        // rates, CPU and lag over the load itself (the drain after it only waits for resolves)
        double seconds = (atLoadEnd.nanos() - t0) / 1e9;
        long runs = countRuns(db) - runsBefore;
        return analyse(mode, seconds, faults, chaos ? supervisor.kills() : List.of(), db, alarms, incidents, failing, (int) runs, repeatedRuns(db), runsByPlaybook(db), cpu0, atLoadEnd.cpu(),
                stack, groups0, atLoadEnd.groups(), ends0, atLoadEnd.ends());
    }

    /**
     * The supervisor a deployment has (systemd, Docker's restart policy), one for the chaos run. Like those, it watches every
     * component on its own: one that is not running is started again (a broker or a TaskManager killed here is left dead
     * 15 s first, and a component is not started more than once in 5 s), each on its own thread, so one slow start never
     * holds back another. A job service whose JobManager vanished exits by itself and is started again like the rest,
     * resuming from its newest retained checkpoint. For each kill it records when every component ran healthy again. Closed
     * (and waited for) before the stack is discarded: a start still under way would bring back what discard stops.
     */
    static final class Supervisor implements AutoCloseable {
        static final long DEAD_MS = 15_000;
        static final long RESTART_EVERY_MS = 5_000;
        private final LocalStack stack;
        private final PrintStream log;
        private final String mode;
        private final List<Kill> kills = new ArrayList<>();
        private final Map<String, Long> lastStart = new HashMap<>();
        private final Map<String, Thread> starting = new HashMap<>();
        private final Thread thread;
        private volatile boolean stopping;

        Supervisor(LocalStack stack, PrintStream log, String mode) {
            this.stack = stack;
            this.log = log;
            this.mode = mode;
            this.thread = new Thread(this::loop, "supervisor");
            thread.setDaemon(true);
            thread.start();
        }

        /** Kills a component with -9; the loop brings it back. */
        void kill(String component) {
            long pid = stack.pid(component).orElseThrow(() -> new IllegalStateException(component + " is not running"));
            long at = System.currentTimeMillis();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            log.printf("[%s] kill -9 %s (pid %d)%n", mode, component, pid);
            synchronized (kills) {
                kills.add(new Kill(component, at, 0));
                // the next start comes DEAD_MS after the kill for a broker or a TaskManager, about a second after for the rest
                lastStart.put(component, at - RESTART_EVERY_MS + (component.startsWith("kafka") || component.contains("taskmanager") ? DEAD_MS : 1_000));
            }
        }

        List<Kill> kills() {
            synchronized (kills) {
                return List.copyOf(kills);
            }
        }

        private void loop() {
            Set<String> said = java.util.concurrent.ConcurrentHashMap.newKeySet();
            while (!stopping) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    watchOnce(said);
                } catch (RuntimeException e) {
                    // like systemd, the supervisor outlives whatever it looked at (it once died of a process ending mid-look)
                    if (said.add("watch: " + e)) {
                        log.printf("[%s] supervisor: %s (still watching)%n", mode, e);
                    }
                }
            }
        }

        /** One look at every component: starts what is not running, records when all are healthy again after a kill. */
        private void watchOnce(Set<String> said) {
            long now = System.currentTimeMillis();
            boolean allRunning = true;
            for (String name : stack.componentNames()) {
                if (stack.pid(name).isPresent()) {
                    continue;
                }
                allRunning = false;
                synchronized (kills) {
                    Thread t = starting.get(name);
                    if ((t != null && t.isAlive()) || now < lastStart.getOrDefault(name, 0L) + RESTART_EVERY_MS) {
                        continue;
                    }
                    lastStart.put(name, now);
                    Thread s = new Thread(() -> {
                        try {
                            stack.start(name);
                        } catch (Exception e) {
                            String why = name + ": " + e.getMessage();
                            if (said.add(why)) { // said once per distinct reason
                                log.printf("[%s] start %s%n", mode, why.length() > 300 ? why.substring(0, 300) : why);
                            }
                        }
                    }, "start " + name);
                    s.setDaemon(true);
                    starting.put(name, s);
                    s.start();
                }
            }
            List<Integer> pending = new ArrayList<>();
            synchronized (kills) {
                for (int i = 0; i < kills.size(); i++) {
                    if (kills.get(i).healthyAt() == 0) {
                        pending.add(i);
                    }
                }
            }
            if (!allRunning || pending.isEmpty() || !stack.status().stream().allMatch(c -> c.pid() != null && c.health().ok())) {
                return;
            }
            now = System.currentTimeMillis();
            synchronized (kills) {
                for (int i : pending) {
                    Kill k = kills.get(i);
                    kills.set(i, new Kill(k.component(), k.at(), now));
                    log.printf("[%s] every component healthy again %d ms after the kill of %s%n", mode, now - k.at(), k.component());
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.join(180_000);
            List<Thread> left;
            synchronized (kills) {
                left = List.copyOf(starting.values());
            }
            for (Thread t : left) {
                t.join(180_000);
            }
        }
    }

    static InstanceRef ref(SimInstance i) {
        return new InstanceRef(i.id(), i.engine(), i.cluster(), i.server(), i.port(), i.business());
    }

    private static BinlogChange change(SimInstance primary, long n, long now) {
        BinlogOp op = n % 10 == 0 ? BinlogOp.DELETE : n % 3 == 0 ? BinlogOp.UPDATE : BinlogOp.CREATE;
        Map<String, Object> row = Map.of("id", n, "state", "paid", "amount", n % 1000);
        return new BinlogChange(BinlogChange.SCHEMA, Instant.ofEpochMilli(now), ref(primary), "0-1-" + n, 0, 0, "shop", "orders", op,
                op == BinlogOp.CREATE ? null : row, op == BinlogOp.DELETE ? null : row, null, "app");
    }

    /**
     * A server, or a whole rack (10 servers), in a rack no fault used before while there is one (then racks are used again), and
     * never a server faulted before: an instance's alarms of two faults would share their ids.
     */
    private static Fault fault(int n, String kind, Random r, List<String> servers, Map<String, List<SimInstance>> byServer, Set<String> usedRacks,
                               Set<String> usedServers) {
        List<String> chosen = new ArrayList<>();
        if (usedServers.containsAll(servers)) {
            throw new IllegalArgumentException("the simulated fleet has " + servers.size() + " servers, too few for fault " + (n + 1)
                    + " (a server is faulted once): use more --instances or fewer faults");
        }
        if (servers.stream().map(E2eBench::rack).allMatch(usedRacks::contains)) {
            usedRacks.clear(); // a small fleet with more faults than racks: racks are used again, servers never
        }
        while (chosen.isEmpty()) {
            String s = servers.get(r.nextInt(servers.size()));
            if (usedServers.contains(s) || !usedRacks.add(rack(s))) {
                continue;
            }
            if (kind.equals("server")) {
                chosen.add(s);
            } else {
                servers.stream().filter(x -> rack(x).equals(rack(s))).forEach(chosen::add);
            }
        }
        usedServers.addAll(chosen);
        Map<String, Integer> instances = new LinkedHashMap<>();
        Set<String> primaries = new HashSet<>();
        for (String s : chosen) {
            for (SimInstance i : byServer.get(s)) {
                instances.put(i.id(), i.port());
                if (i.role().equals("primary")) {
                    primaries.add(i.id());
                }
            }
        }
        return new Fault(n, kind, chosen, instances, primaries, 0, 0);
    }

    private static Result analyse(String mode, double seconds, List<Fault> faults, List<Kill> kills, MetadataDb db, List<Received<Alarm>> alarms,
                                  List<Received<Incident>> incidents, Map<String, List<Long>> failing, int runs, int repeatedRuns, Map<String, Integer> runsByPlaybook, Map<String, long[]> cpu0, Map<String, long[]> cpu1,
                                  LocalStack stack, Map<String, Map<TopicPartition, Long>> groups0, Map<String, Map<TopicPartition, Long>> groups1,
                                  Map<TopicPartition, Long> ends0, Map<TopicPartition, Long> ends1) throws Exception {
        // an event seen twice in the committed stream is a duplicate, whatever it is
        Set<String> keys = new HashSet<>();
        int dupAlarms = 0;
        for (Received<Alarm> a : alarms) {
            Alarm x = a.event();
            if (!keys.add(x.id() + "|" + x.status() + "|" + x.startsAt() + "|" + x.time())) {
                dupAlarms++;
            }
        }
        int dupIncidents = 0;
        Map<String, Integer> opens = new HashMap<>();
        for (Received<Incident> i : incidents) {
            Incident x = i.event();
            if (!keys.add("incident|" + x.id() + "|" + x.status() + "|" + x.time() + "|" + x.alarmIds())) {
                dupIncidents++;
            }
            if (x.status() == io.dbops.events.IncidentStatus.OPEN && opens.merge(x.id(), 1, Integer::sum) > 1) {
                dupIncidents++;
            }
        }
        int expected = 0;
        int lost = 0;
        int missingResolves = 0;
        int lostFromIncidents = 0;
        int incidentsTotal = 0;
        List<Long> latency = new ArrayList<>();
        List<Long> detection = new ArrayList<>();
        List<Long> pipeline = new ArrayList<>();
        List<Long> incidentLatency = new ArrayList<>();
        List<FaultOutcome> outcomes = new ArrayList<>();
        for (Fault f : faults) {
            Set<String> ids = new HashSet<>();
            long lastAlarm = -1;
            int observed = 0;
            for (String instance : f.instances().keySet()) {
                expected++;
                observed += sampledFailing(f, instance, failing) ? 1 : 0;
                Received<Alarm> first = firstDown(f, instance, alarms);
                if (first == null) {
                    lost++;
                    continue;
                }
                ids.add(first.event().id());
                lastAlarm = Math.max(lastAlarm, first.at() - f.at());
                latency.add(first.at() - f.at());
                detection.add(first.event().time().toEpochMilli() - f.at());
                pipeline.add(first.at() - first.event().time().toEpochMilli());
                Alarm fired = first.event();
                boolean resolved = alarms.stream().anyMatch(a -> a.event().status() == AlarmStatus.RESOLVED && a.event().id().equals(fired.id())
                        && a.event().startsAt().equals(fired.startsAt()));
                if (!resolved) {
                    missingResolves++;
                }
            }
            Set<String> inIncident = new HashSet<>();
            Set<String> incidentIds = new HashSet<>();
            Long firstIncident = null;
            for (Received<Incident> i : incidents) {
                if (i.at() < f.at()) {
                    continue;
                }
                for (String id : i.event().alarmIds()) {
                    if (ids.contains(id)) {
                        inIncident.add(id);
                        incidentIds.add(i.event().id());
                        firstIncident = firstIncident == null ? i.at() : Math.min(firstIncident, i.at());
                    }
                }
            }
            lostFromIncidents += ids.size() - inIncident.size();
            incidentsTotal += incidentIds.size();
            if (firstIncident != null) {
                incidentLatency.add(firstIncident - f.at());
            }
            Kill k = f.n() >= 1 && f.n() <= kills.size() ? kills.get(f.n() - 1) : null;
            outcomes.add(new FaultOutcome(f.n(), f.kind(), f.instances().size(), ids.size(), ids.size() < f.instances().size() ? -1 : lastAlarm,
                    firstIncident == null ? -1 : firstIncident - f.at(), firstRunMs(db, f), k == null ? null : k.component(),
                    k == null ? -1 : k.healthyAt() == 0 ? -1 : k.healthyAt() - k.at(), overBeforeIncident(f, alarms, incidents), observed));
        }
        latency.sort(null);
        detection.sort(null);
        pipeline.sort(null);
        incidentLatency.sort(null);
        List<Usage> usage = new ArrayList<>();
        for (var e : cpu1.entrySet()) {
            long[] before = cpu0.get(e.getKey());
            if (before != null && !e.getKey().equals(MACHINE)) {
                // a component started again during the run (chaos) is a new process: only its own ticks count
                boolean restarted = before[0] != e.getValue()[0];
                long ticks = restarted ? e.getValue()[1] : e.getValue()[1] - before[1];
                usage.add(new Usage(e.getKey() + (restarted ? " (restarted)" : ""), ticks / 100.0 / seconds, rssMb(e.getKey(), stack)));
            }
        }
        usage.sort((a, b) -> Double.compare(b.cores(), a.cores()));
        Map<String, Double> produced = new TreeMap<>();
        for (var e : ends1.entrySet()) {
            produced.merge(e.getKey().topic(), (e.getValue() - ends0.getOrDefault(e.getKey(), 0L)) / seconds, Double::sum);
        }
        List<Stage> stages = new ArrayList<>();
        for (var g : groups1.entrySet()) {
            Map<String, long[]> perTopic = new TreeMap<>();
            for (var p : g.getValue().entrySet()) {
                // a partition the group had not committed on at the start: it starts from the topic's end then
                long before = groups0.getOrDefault(g.getKey(), Map.of()).getOrDefault(p.getKey(), ends0.getOrDefault(p.getKey(), 0L));
                long[] t = perTopic.computeIfAbsent(p.getKey().topic(), k -> new long[3]);
                t[0] += p.getValue() - before;
                t[1] += Math.max(0, ends0.getOrDefault(p.getKey(), 0L) - before);
                t[2] += Math.max(0, ends1.getOrDefault(p.getKey(), 0L) - p.getValue());
            }
            perTopic.forEach((topic, t) -> stages.add(new Stage(g.getKey(), topic, t[0] / seconds, t[1], t[2])));
        }
        double busy = (cpu1.get(MACHINE)[1] - cpu0.get(MACHINE)[1]) / 100.0 / seconds;
        String saturation = saturation(usage, busy, stages, produced);
        int falseDowns = 0;
        Map<String, Integer> falseReasons = new TreeMap<>();
        for (Received<Alarm> a : alarms) {
            Alarm x = a.event();
            if (x.status() != AlarmStatus.FIRING || !DOWN_TYPES.contains(x.type()) || x.instance() == null) {
                continue;
            }
            long t = x.startsAt().toEpochMilli();
            boolean explained = faults.stream().anyMatch(f -> f.instances().containsKey(x.instance().id()) && t >= f.at() - 2000
                    && (f.revivedAt() == 0 || t <= f.revivedAt() + 2000));
            if (!explained && x.instance().id().startsWith(PREFIX)) {
                falseDowns++;
                String why = x.summary() == null ? "?" : x.summary().replaceAll(".*does not answer: ", "").replaceAll("[0-9]+", "N");
                falseReasons.merge(why.length() > 80 ? why.substring(0, 80) : why, 1, Integer::sum);
            }
        }
        Map<String, Integer> alarmTypes = new TreeMap<>();
        alarms.stream().filter(a -> a.event().status() == AlarmStatus.FIRING).forEach(a -> alarmTypes.merge(a.event().type(), 1, Integer::sum));
        return new Result(mode, seconds, faults.size(), expected, lost, dupAlarms, missingResolves, latency, detection, pipeline,
                lostFromIncidents, dupIncidents, incidentLatency, faults.isEmpty() ? 0 : (double) incidentsTotal / faults.size(), runs,
                repeatedRuns, runsByPlaybook, alarmTypes, outcomes, falseDowns, falseReasons, produced, stages, usage, saturation);
    }

    /** Which stage fell behind (its lag grew by more than 10 s of its input), else where the CPU went. */
    static String saturation(List<Usage> usage, double busyCores, List<Stage> stages, Map<String, Double> produced) {
        Stage worst = null;
        for (Stage st : stages) {
            double rate = Math.max(1, produced.getOrDefault(st.topic(), 0.0));
            if (st.lagEnd() - st.lagStart() > rate * 10 && (worst == null || st.lagEnd() - st.lagStart() > worst.lagEnd() - worst.lagStart())) {
                worst = st;
            }
        }
        String top = usage.isEmpty() ? "-" : usage.get(0).component() + String.format(java.util.Locale.ROOT, " (%.2f cores)", usage.get(0).cores());
        String cpu = String.format(java.util.Locale.ROOT, "%.2f of %d cores busy, most in %s", busyCores, Runtime.getRuntime().availableProcessors(), top);
        return worst == null ? "no stage fell behind at these rates; " + cpu
                : worst.group() + " falls behind on " + worst.topic() + " (lag " + worst.lagStart() + " -> " + worst.lagEnd() + "); " + cpu;
    }

    /** The machine as a whole in {@link #cpuTicks}: its busy ticks from /proc/stat. */
    private static final String MACHINE = "machine";

    /** Per component {pid, utime + stime ticks}, and the machine's busy ticks under {@link #MACHINE}. */
    private static Map<String, long[]> cpuTicks(LocalStack stack) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (LocalStack.ComponentStatus c : stack.status()) {
            if (c.pid() != null) {
                try {
                    out.put(c.name(), new long[] {c.pid(), ticks(c.pid())});
                } catch (Exception gone) {
                    // a component that died shows in the health, not here
                }
            }
        }
        long self = ProcessHandle.current().pid();
        out.put("bench (load, forwarders, readers)", new long[] {self, ticks(self)});
        out.put(MACHINE, new long[] {0, machineBusyTicks()});
        return out;
    }

    /**
     * Busy ticks of all cores since boot: everything in /proc/stat's first line but idle and iowait.
     * The sum over components undercounts whenever one was killed and started again (the dead
     * process's ticks are gone), so the machine's own count is what says how busy it was.
     */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }

    /** utime + stime of a process in clock ticks (100 per second on Linux). */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no process " + pid, e);
        }
    }

    private static long rssMb(String component, LocalStack stack) {
        long pid = component.startsWith("bench") ? ProcessHandle.current().pid()
                : stack.status().stream().filter(c -> c.name().equals(component) && c.pid() != null).mapToLong(LocalStack.ComponentStatus::pid).findFirst().orElse(-1);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception gone) {
            return -1;
        }
        return -1;
    }

    private static Map<String, Map<TopicPartition, Long>> groupOffsets(Admin admin) throws Exception {
        Map<String, Map<TopicPartition, Long>> out = new TreeMap<>();
        for (var g : admin.listConsumerGroups().all().get()) {
            if (!g.groupId().startsWith("dbops")) {
                continue; // the bench's own readers
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get().forEach((tp, om) -> {
                if (om != null) {
                    offsets.put(tp, om.offset());
                }
            });
            out.put(g.groupId(), offsets);
        }
        return out;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        for (Topic t : Topic.values()) {
            var d = admin.describeTopics(List.of(t.topicName())).allTopicNames().get().get(t.topicName());
            d.partitions().forEach(p -> spec.put(new TopicPartition(t.topicName(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(spec).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static long countRuns(MetadataDb db) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM action_runs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs of one playbook on one cluster for one incident beyond the first: a playbook started twice. */
    private static int repeatedRuns(MetadataDb db) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM action_runs WHERE incident_id IS NOT NULL "
                        + "GROUP BY playbook, cluster, incident_id) x")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Whether a fault may end (its {@code downMs} being over): once the collector has sampled every instance on it
     * failing, or {@link #OBSERVE_MS} later at the most. The runs are about what becomes of failures the collector saw:
     * on two loaded cores its checks of a server came up to 87 s late, and a collector killed with the fault comes back
     * after most of a 30 s outage, so a fixed outage left instances nobody could alarm about.
     */
    static boolean observed(Fault f, Map<String, List<Long>> failing, long now, long downMs) {
        if (now >= f.at() + downMs + OBSERVE_MS) {
            return true;
        }
        for (String instance : f.instances().keySet()) {
            if (!sampledFailing(f, instance, failing)) {
                return false;
            }
        }
        return true;
    }

    static final long OBSERVE_MS = 90_000;

    /** Notes a failing "up" sample of a faulted instance (the record key is the instance id; nothing else is parsed). */
    static void failingSample(ConsumerRecord<String, byte[]> rec, Set<String> faultedInstances, Map<String, List<Long>> failing) {
        if (rec.key() == null || !faultedInstances.contains(rec.key())) {
            return;
        }
        try {
            MetricSample m = EventCodec.fromBytes(rec.value(), MetricSample.class);
            if (m.measurement().equals("up") && Double.valueOf(0).equals(m.fields().get("up"))) {
                failing.computeIfAbsent(rec.key(), k -> new ArrayList<>()).add(m.time().toEpochMilli());
            }
        } catch (RuntimeException e) {
            // not a sample the bench can read: the job dead-letters it, the bench does not count it
        }
    }

    /**
     * Whether the collector sampled the instance failing during the fault, or up to 10 s after it: a check that began
     * during the fault and timed out is stamped when its deadline (8 s) passed.
     */
    static boolean sampledFailing(Fault f, String instance, Map<String, List<Long>> failing) {
        long until = f.revivedAt() == 0 ? Long.MAX_VALUE : f.revivedAt() + 10_000;
        for (long t : failing.getOrDefault(instance, List.of())) {
            if (t >= f.at() && t <= until) {
                return true;
            }
        }
        return false;
    }

    /** The first firing down alarm received for {@code instance} since fault {@code f} began, or null. */
    private static Received<Alarm> firstDown(Fault f, String instance, List<Received<Alarm>> alarms) {
        Received<Alarm> first = null;
        for (Received<Alarm> a : alarms) {
            Alarm x = a.event();
            if (x.status() == AlarmStatus.FIRING && DOWN_TYPES.contains(x.type()) && x.instance() != null && instance.equals(x.instance().id())
                    && x.startsAt().toEpochMilli() >= f.at() - 2000 && (first == null || a.at() < first.at())) {
                first = a;
            }
        }
        return first;
    }

    /**
     * Whether the fault was over before the platform could act on it: for every primary it took down, the
     * down alarm's resolve was committed no later than the first incident event naming that alarm (2 s allowed between this
     * reader and the action service's). The action service then knows the primary is back when it evaluates the incident, and
     * starting no failover is right. It happens when a short fault (30 s in ChaosIT) meets a pipeline that is behind after a
     * kill: the alarm and its resolve come out of the metrics job's backlog together.
     */
    static boolean overBeforeIncident(Fault f, List<Received<Alarm>> alarms, List<Received<Incident>> incidents) {
        for (String instance : f.primaries()) {
            Received<Alarm> first = firstDown(f, instance, alarms);
            if (first == null) {
                return false;
            }
            Alarm fired = first.event();
            long named = incidents.stream().filter(i -> i.at() >= f.at() && i.event().alarmIds().contains(fired.id()))
                    .mapToLong(Received::at).min().orElse(Long.MAX_VALUE);
            long resolved = alarms.stream().filter(a -> a.event().status() == AlarmStatus.RESOLVED && a.event().id().equals(fired.id())
                    && a.event().startsAt().equals(fired.startsAt())).mapToLong(Received::at).min().orElse(Long.MAX_VALUE);
            if (named == Long.MAX_VALUE || resolved == Long.MAX_VALUE || resolved > named + 2000) {
                return false;
            }
        }
        return !f.primaries().isEmpty();
    }

    /** How long a chaos run waits after the load for every fault's alarms, incident and run (the drain). */
    static final long DRAIN_MS = 240_000;

    /** Whether every fault so far has all its down alarms, each a member of an incident, and a playbook run. */
    private static boolean allThrough(List<Fault> faults, List<Received<Alarm>> alarms, List<Received<Incident>> incidents, MetadataDb db)
            throws Exception {
        for (Fault f : faults) {
            Set<String> ids = new HashSet<>();
            for (String instance : f.instances().keySet()) {
                Received<Alarm> first = firstDown(f, instance, alarms);
                if (first != null) {
                    ids.add(first.event().id());
                }
            }
            Set<String> members = new HashSet<>();
            incidents.stream().filter(i -> i.at() >= f.at()).forEach(i -> i.event().alarmIds().stream().filter(ids::contains).forEach(members::add));
            // every alarm a member of an incident, as the checks afterwards require (a late alarm joins a bit after the rest)
            if (ids.size() < f.instances().size() || members.size() < ids.size()
                    || (firstRunMs(db, f) < 0 && !overBeforeIncident(f, alarms, incidents))) {
                return false;
            }
        }
        return true;
    }

    private static long firstRunMs(MetadataDb db, Fault f) throws Exception {
        Set<String> clusters = new HashSet<>();
        f.instances().keySet().forEach(id -> clusters.add(id.substring(0, id.lastIndexOf('-'))));
        String in = String.join(",", java.util.Collections.nCopies(clusters.size(), "?"));
        try (var c = db.dataSource().getConnection(); var st = c.prepareStatement("SELECT MIN(created_at) FROM action_runs WHERE cluster IN ("
                + in + ") AND created_at >= ?")) {
            int k = 1;
            for (String cluster : clusters) {
                st.setString(k++, cluster);
            }
            st.setTimestamp(k, new java.sql.Timestamp(f.at() - 1000));
            try (var rs = st.executeQuery()) {
                rs.next();
                java.sql.Timestamp t = rs.getTimestamp(1);
                return t == null ? -1 : t.getTime() - f.at();
            }
        }
    }

    private static Map<String, Integer> runsByPlaybook(MetadataDb db) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        try (var c = db.dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT playbook, state, COUNT(*) FROM action_runs GROUP BY playbook, state")) {
            while (rs.next()) {
                out.put(rs.getString(1) + " " + rs.getString(2), rs.getInt(3));
            }
        }
        return out;
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(sorted.size() * p) - 1)));
    }
}
