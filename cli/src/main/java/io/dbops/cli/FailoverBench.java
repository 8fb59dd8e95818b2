package io.dbops.cli;

import io.dbops.actions.drill.WriteProbe;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.actions.run.StepRecord;
import io.dbops.collectors.KafkaProducers;
import io.dbops.events.ActionRequest;
import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.Topic;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import redis.clients.jedis.Jedis;

/**
 * {@code ./dbops bench failover}: the whole platform as {@code ./dbops up} runs it (collectors,
 * metrics job, merge job, action service), with an application writing to the MariaDB primary
 * through semi-synchronous replication and another to Redis through the Sentinels. (1) A planned
 * switchover requested like a DBA would: how long writes were blocked, acknowledged writes lost.
 * (2) kill -9 of the primary: detection (kill to committed mysql_down), decision (to the run created
 * from the incident), promotion (to the promote step done), recovery (to the first write
 * acknowledged by the new primary), writes lost. (3) kill -9 of the Redis master: to the first write
 * the Sentinels' new master acknowledges.
 */
final class FailoverBench {
    record Result(long switchoverBlockMs, int switchoverLost, long detectionMs, long incidentMs, long decisionMs, long promotionMs,
                  long mysqlRtoMs, int mysqlLost, int mysqlAcked, long redisRtoMs, int redisLost, int redisAcked, String newPrimary) {
    }

    private FailoverBench() {
    }

    static Result run(PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("dbops-bench-failover-");
        LocalStack stack = new LocalStack(new StackConfig(work, 5000), new PrintStream(new ByteArrayOutputStream()), true);
        Events events = null;
        WriteProbe mysql = null;
        WriteProbe redis = null;
        try {
            out.println("starting the platform (Kafka, MariaDB set, Redis + Sentinels, collectors, jobs, action service) ...");
            stack.up();
            Map<String, String> m = stack.metadataConnection();
            try (MetadataDb db = MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"));
                 KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(stack.kafkaBootstrap())) {
                RunStore store = new RunStore(db.dataSource());
                store.upsertUser("bench-dba", "dba", null);
                String appPassword = "app-" + UUID.randomUUID();
                try (Connection c = admin(stack, stack.config().port("mariadb-1")); Statement st = c.createStatement()) {
                    st.execute("CREATE USER IF NOT EXISTS 'dbops_app'@'127.0.0.1' IDENTIFIED BY '" + appPassword + "'");
                    st.execute("GRANT SELECT, INSERT, CREATE ON demo.* TO 'dbops_app'@'127.0.0.1'");
                    st.execute("CREATE TABLE IF NOT EXISTS demo.writes (id BIGINT PRIMARY KEY, at TIMESTAMP(6) NOT NULL)");
                }
                events = new Events(stack.kafkaBootstrap());
                mysql = new WriteProbe(WriteProbe.sql(() -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + primary(db).port()
                        + "/demo?connectTimeout=1000&socketTimeout=3000", "dbops_app", appPassword), "demo.writes"));
                mysql.start();
                redis = new WriteProbe(redisThroughSentinels(stack));
                redis.start();
                // the collectors' first polls, the jobs' first checkpoints, the merge job's topology
                Thread.sleep(20_000);
                out.println("writing: " + mysql.acknowledged() + " MariaDB rows, " + redis.acknowledged() + " Redis keys acknowledged so far");

                // (1) planned switchover to demo-mariadb-2
                String reqId = "req-" + UUID.randomUUID();
                ActionRequest req = new ActionRequest(ActionRequest.SCHEMA, Instant.now(), reqId, "mariadb_switchover", "bench-dba", "demo", null,
                        null, null, "mariadb_switchover", Map.of("candidate", "demo-mariadb-2"), false, "benchmark");
                mysql.resetGap();
                producer.send(new ProducerRecord<>(Topic.ACTION_REQUESTS.topicName(), reqId, EventCodec.toBytes(req))).get();
                Run sw = awaitRun(store, () -> store.byDedupeKey("request:" + reqId).orElse(null));
                Thread.sleep(1500);
                long block = mysql.longestGapMs();
                int swLost = lost(mysql, stack, primary(db).port());
                out.println("switchover: " + sw.state().name().toLowerCase() + ", writes blocked " + block + " ms, " + swLost + " lost");
                store.unblock(LocalStack.MARIADB_CLUSTER); // a DBA acknowledges the planned change

                // (2) kill -9 of the primary
                InventoryInstance dead = primary(db);
                long[] killed = kill(stack, dead.id().substring("demo-".length()));
                long kill = killed[0];
                Run fo = awaitRun(store, () -> store.recent(10).stream()
                        .filter(r -> r.playbook().equals("mariadb_failover") && r.createdAt().toEpochMilli() >= kill - 1000).findFirst().orElse(null));
                long detection = events.first("alarm", dead.id(), kill) - kill;
                long incident = events.first("incident", dead.id(), kill) - kill;
                long decision = fo.createdAt().toEpochMilli() - kill;
                StepRecord promote = store.steps(fo.id()).stream().filter(s -> s.name().equals("promote")).findFirst().orElse(null);
                long promotion = promote == null || promote.endedAt() == null ? -1 : promote.endedAt().toEpochMilli() - kill;
                Thread.sleep(3000);
                long firstAck = mysql.firstAckAfter(killed[1]); // an ack after the process is gone came from the new primary
                InventoryInstance now = primary(db);
                int foLost = lost(mysql, stack, now.port());
                out.println("failover: " + fo.state().name().toLowerCase() + " (" + fo.message() + "), new primary " + now.id());

                // (3) kill -9 of the Redis master
                String master = redisMaster(stack);
                String component = master.endsWith(":" + stack.config().port("redis-1")) ? "redis-1" : "redis-2";
                long[] redisKilled = kill(stack, component);
                long redisKill = redisKilled[0];
                long deadline = System.currentTimeMillis() + 30_000;
                while (redis.firstAckAfter(redisKilled[1]) < 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                long redisAck = redis.firstAckAfter(redisKilled[1]);
                Thread.sleep(1000);
                long redisAt = System.currentTimeMillis();
                int redisLost = redis.lost(redisKeys(stack, master), redisAt).size();
                return new Result(block, swLost, detection, incident, decision, promotion, firstAck < 0 ? -1 : firstAck - kill, foLost,
                        mysql.acknowledged(), redisAck < 0 ? -1 : redisAck - redisKill, redisLost, redis.acknowledged(), now.id());
            }
        } finally {
            if (mysql != null) {
                mysql.close();
            }
            if (redis != null) {
                redis.close();
            }
            if (events != null) {
                events.close();
            }
            stack.discard();
        }
    }

    private static InventoryInstance primary(MetadataDb db) throws Exception {
        return db.inventory().cluster(LocalStack.MARIADB_CLUSTER).stream().filter(i -> i.role().equals("primary")).findFirst().orElseThrow();
    }

    /** Kills a component with SIGKILL and returns when it is gone: {kill time, death time}. */
    private static long[] kill(LocalStack stack, String component) throws Exception {
        long pid = stack.status().stream().filter(s -> s.name().equals(component)).findFirst().orElseThrow().pid();
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        long t = System.currentTimeMillis();
        p.destroyForcibly();
        p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        return new long[] {t, System.currentTimeMillis()};
    }

    private interface RunLookup {
        Run find() throws Exception;
    }

    private static Run awaitRun(RunStore store, RunLookup lookup) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            Run r = lookup.find();
            if (r != null && RunStore.isTerminal(r.state())) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no finished run within 90 s; see ./dbops logs action-service in " + store);
    }

    private static Connection admin(LocalStack stack, int port) throws Exception {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?connectTimeout=2000", "dbops_admin",
                stack.secret("fleet.mariadb.admin.password"));
    }

    private static int lost(WriteProbe probe, LocalStack stack, int port) throws Exception {
        try (Connection c = admin(stack, port)) {
            long at = System.currentTimeMillis();
            return probe.lost(WriteProbe.ids(c, "demo.writes"), at).size();
        }
    }

    /** The master the Sentinels agree on, as host:port. */
    private static String redisMaster(LocalStack stack) {
        for (int port : stack.sentinelPorts()) {
            try (Jedis s = new Jedis("127.0.0.1", port, 500)) {
                List<String> hp = s.sentinelGetMasterAddrByName(StackConfig.REDIS_MASTER_NAME);
                return hp.get(0) + ":" + hp.get(1);
            } catch (RuntimeException e) {
                // try the next Sentinel
            }
        }
        throw new IllegalStateException("no Sentinel answers");
    }

    /** An application that asks the Sentinels for the master whenever it (re)connects, like Sentinel-aware clients. */
    private static WriteProbe.Primary redisThroughSentinels(LocalStack stack) {
        return () -> {
            String[] hp = redisMaster(stack).split(":");
            Jedis j = new Jedis(hp[0], Integer.parseInt(hp[1]), 500);
            if (!j.role().get(0).toString().equals("master")) {
                j.close();
                throw new IllegalStateException("not the master yet");
            }
            return new WriteProbe.Sink() {
                @Override
                public void write(long id) {
                    j.set("probe:" + id, "1");
                }

                @Override
                public void close() {
                    j.close();
                }
            };
        };
    }

    /** The probe's keys on the master that replaced {@code old}. */
    private static Set<Long> redisKeys(LocalStack stack, String old) throws InterruptedException {
        String now = redisMaster(stack);
        for (int i = 0; i < 100 && now.equals(old); i++) {
            Thread.sleep(100);
            now = redisMaster(stack);
        }
        String[] hp = now.split(":");
        Set<Long> ids = new HashSet<>();
        try (Jedis j = new Jedis(hp[0], Integer.parseInt(hp[1]), 2000)) {
            for (String k : j.keys("probe:*")) {
                ids.add(Long.parseLong(k.substring("probe:".length())));
            }
        }
        return ids;
    }

    /** When alarms and incidents about an instance were first readable committed. */
    private static final class Events implements AutoCloseable {
        private final Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Events(String bootstrap) {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
            thread = new Thread(() -> {
                try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(Topic.ALARMS.topicName(), Topic.INCIDENTS.topicName()));
                    while (!stop.get()) {
                        for (var r : consumer.poll(Duration.ofMillis(50))) {
                            long at = System.currentTimeMillis();
                            if (r.topic().equals(Topic.ALARMS.topicName())) {
                                Alarm a = EventCodec.fromBytes(r.value(), Alarm.class);
                                if (a.status() == AlarmStatus.FIRING && a.instance() != null
                                        && (a.type().equals("mysql_down"))) {
                                    note("alarm:" + a.instance().id(), at);
                                }
                            } else {
                                Incident i = EventCodec.fromBytes(r.value(), Incident.class);
                                if (i.instances() != null) {
                                    i.instances().forEach(x -> note("incident:" + x.id(), at));
                                }
                            }
                        }
                    }
                }
            }, "bench-events");
            thread.setDaemon(true);
            thread.start();
        }

        private void note(String key, long at) {
            seen.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(at);
        }

        /** The first arrival of a kind ("alarm", "incident") about an instance after {@code since}; -1 when none. */
        long first(String kind, String instance, long since) {
            return seen.getOrDefault(kind + ":" + instance, List.of()).stream().filter(t -> t >= since).mapToLong(Long::longValue).min()
                    .orElse(-1);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(3000);
        }
    }
}
