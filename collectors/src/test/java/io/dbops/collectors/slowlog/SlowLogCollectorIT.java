package io.dbops.collectors.slowlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.DeadLetter;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.SlowQuery;
import io.dbops.events.Topic;
import io.dbops.metadata.MetadataDb;
import io.dbops.sql.Fingerprinter;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * The collector against the real local stack: MariaDB writing its slow log (rotated by rename and
 * FLUSH SLOW LOGS mid-run), Redis SLOWLOG, the inventory in the metadata DB, Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowLogCollectorIT {
    private static final int OFFSET = 3000;
    private LocalStack stack;
    private Path work;
    private MetadataDb db;
    private KafkaConsumer<String, byte[]> consumer;
    private final List<SlowQuery> received = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        work = Files.createTempDirectory("dbops-collector-it-");
        // servers only: this test runs its own collectors
        stack = new LocalStack(new StackConfig(work, OFFSET), new PrintStream(new ByteArrayOutputStream()), false);
        stack.up();
        Map<String, String> m = stack.metadataConnection();
        db = MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"));
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topic.SLOWLOG.topicName(), Topic.DEADLETTER.topicName()));
    }

    @AfterAll
    void down() throws Exception {
        producers.forEach(KafkaProducer::close);
        if (consumer != null) {
            consumer.close();
        }
        if (db != null) {
            db.close();
        }
        if (stack != null) {
            stack.discard();
        }
    }

    @Test
    @Order(1)
    void everySlowQueryArrivesExactlyOnceThroughRotationAndRestart() throws Exception {
        Path state = state();
        Path slowLog = work.resolve("mariadb-1").resolve("slow.log");
        try (Connection conn = primary(); Statement st = conn.createStatement()) {
            st.execute("SET GLOBAL long_query_time = 0");
            st.execute("SET SESSION long_query_time = 0");
            SlowLogCollector collector = collector(state);
            probes(st, 0, 30);
            awaitProbes(collector, 30);

            // rotation by rename: the server keeps writing the renamed file until FLUSH SLOW LOGS
            Files.move(slowLog, work.resolve("mariadb-1").resolve("slow.log.1"));
            probes(st, 30, 45);
            st.execute("FLUSH SLOW LOGS");
            probes(st, 45, 60);
            awaitProbes(collector, 60);
            collector.close();

            // a restart resumes from the saved position: nothing is sent twice
            probes(st, 60, 70);
            SlowLogCollector restarted = collector(state);
            awaitProbes(restarted, 70);
            for (int i = 0; i < 5; i++) {
                restarted.pollOnce();
            }
            drain();
            assertThat(probeCounts()).hasSize(70).allSatisfy((q, n) -> assertThat(n).as(q).isEqualTo(1));

            // an entry that cannot become an event goes to the dead-letter topic with the reason
            Files.writeString(slowLog, "# Time: 251125 11:02:03\n# Query_time: fast  Lock_time: 0\nSELECT 'dead_probe';\n",
                    StandardOpenOption.APPEND);
            probes(st, 70, 71);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                restarted.pollOnce();
                drain();
                return deadLetters.stream().anyMatch(d -> d.reason().contains("Query_time"));
            });
            restarted.close();
        }
        SlowQuery one = received.stream().filter(q -> q.query().contains("probe_it_5 ")).findFirst().orElseThrow();
        assertThat(one.instance().id()).isEqualTo("demo-mariadb-1");
        assertThat(one.instance().engine()).isEqualTo(Engine.MARIADB);
        assertThat(one.fingerprint()).isEqualTo("select ? as probe_it_? from dual");
        assertThat(one.queryId()).isEqualTo(Fingerprinter.queryId("select ? as probe_it_? from dual"));
        assertThat(one.queryTimeSec()).isGreaterThanOrEqualTo(0);
        assertThat(one.source()).contains("slow.log");
    }

    @Test
    @Order(2)
    void redisSlowlogEntriesArriveWithTheCommandFingerprint() throws Exception {
        try (Jedis redis = new Jedis("127.0.0.1", stack.redisPrimaryPort())) {
            redis.configSet("slowlog-log-slower-than", "0");
            for (int i = 0; i < 5; i++) {
                redis.set("it:probe:" + i, "v" + i);
            }
            redis.configSet("slowlog-log-slower-than", "10000");
        }
        SlowLogCollector collector = collector(state());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            collector.pollOnce();
            drain();
            return received.stream().filter(q -> q.query().startsWith("SET it:probe:")).count() >= 5;
        });
        SlowQuery set = received.stream().filter(q -> q.query().startsWith("SET it:probe:")).findFirst().orElseThrow();
        assertThat(set.instance().engine()).isEqualTo(Engine.REDIS);
        assertThat(set.fingerprint()).isEqualTo("SET ? ?");
        collector.pollOnce();
        drain();
        assertThat(received.stream().filter(q -> q.query().startsWith("SET it:probe:"))).hasSize(5);
        collector.close();
    }

    @Test
    @Order(3)
    void anInstanceThatMayNotKeepLiteralsPublishesFingerprintsOnly() throws Exception {
        try (Connection meta = db.dataSource().getConnection(); Statement st = meta.createStatement()) {
            st.executeUpdate("UPDATE instances SET keep_query_literals = FALSE WHERE id = 'demo-mariadb-1'");
        }
        SlowLogCollector collector = collector(state());
        try (Connection conn = primary(); Statement st = conn.createStatement()) {
            st.execute("SET SESSION long_query_time = 0");
            st.execute("SELECT 'secret-value-42' AS literal_probe FROM DUAL");
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            collector.pollOnce();
            drain();
            return received.stream().anyMatch(q -> q.query().contains("literal_probe"));
        });
        SlowQuery q = received.stream().filter(x -> x.query().contains("literal_probe")).findFirst().orElseThrow();
        assertThat(q.query()).isEqualTo("select ? as literal_probe from dual").isEqualTo(q.fingerprint());
        assertThat(received).noneMatch(x -> x.query().contains("secret-value-42"));
        collector.close();
    }

    /**
     * One collector state for the whole class, as one collector process would have: every collector
     * here reads every source, so separate states would legitimately re-send each other's entries.
     */
    private Path state() {
        return work.resolve("collector-state");
    }

    private SlowLogCollector collector(Path state) {
        KafkaProducer<String, byte[]> producer = io.dbops.collectors.KafkaProducers.reliable(stack.kafkaBootstrap());
        producers.add(producer);
        return new SlowLogCollector(producer, new InventoryTargets(db, Duration.ZERO, Clock.systemUTC()), state,
                Fingerprinter.pt(), Duration.ofMillis(300), Clock.systemUTC());
    }

    private void awaitProbes(SlowLogCollector collector, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            collector.pollOnce();
            drain();
            return probeCounts().size() >= n;
        });
    }

    private Map<String, Integer> probeCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (SlowQuery q : received) {
            if (q.query().contains("probe_it_")) {
                counts.merge(q.query(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private void drain() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(Topic.SLOWLOG.topicName())) {
                received.add(EventCodec.fromBytes(r.value(), SlowQuery.class));
            } else {
                deadLetters.add(EventCodec.fromBytes(r.value(), DeadLetter.class));
            }
        }
    }

    private static void probes(Statement st, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            st.execute("SELECT " + i + " AS probe_it_" + i + " FROM DUAL");
        }
    }

    private Connection primary() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "dbops_admin");
        p.setProperty("password", stack.secret("fleet.mariadb.admin.password"));
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(0) + "/", p);
    }
}
