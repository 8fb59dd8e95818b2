package io.dbops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import io.dbops.events.Topic;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * The whole local stack, for real: started by the same code as {@code ./dbops up}, on ports
 * shifted by 1000 and in a temporary work folder so a developer's own stack is not disturbed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {
    private static final int OFFSET = 1000;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Path work;
    private LocalStack stack;
    private List<LocalStack.ComponentStatus> firstUp;

    @BeforeAll
    void up() throws Exception {
        work = Files.createTempDirectory("dbops-it-");
        stack = new LocalStack(new StackConfig(work, OFFSET), new PrintStream(output, true, StandardCharsets.UTF_8));
        firstUp = stack.up();
    }

    @AfterAll
    void down() throws Exception {
        if (stack != null) {
            stack.discard();
        }
    }

    @Test
    @Order(1)
    void upStartsEveryComponentAndEachIsHealthy() {
        assertThat(firstUp).extracting(LocalStack.ComponentStatus::name).containsExactlyElementsOf(stack.componentNames());
        for (LocalStack.ComponentStatus s : firstUp) {
            assertThat(s.health().ok()).as(s.line()).isTrue();
            assertThat(s.action()).isEqualTo("started");
            assertThat(s.pid()).isNotNull();
        }
    }

    @Test
    @Order(2)
    void kafkaCarriesEventsOnTheCatalogTopics() throws Exception {
        Alarm alarm = new Alarm(Alarm.SCHEMA, Instant.now(), "it/" + UUID.randomUUID(), AlarmStatus.FIRING, "it_probe",
                Severity.WARNING, new InstanceRef("demo-mariadb-1", Engine.MARIADB, LocalStack.MARIADB_CLUSTER, "local", 0, "demo"),
                "local", null, "integration test probe", 1.0, 0.5, Map.of(), Instant.now(), null);
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topic.ALARMS.topicName(), alarm.instance().id(), EventCodec.toBytes(alarm))).get();
        }
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.ALARMS.topicName()));
            Alarm received = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (received == null && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Alarm a = EventCodec.fromBytes(r.value(), Alarm.class);
                    if (a.id().equals(alarm.id())) {
                        received = a;
                    }
                }
            }
            assertThat(received).usingRecursiveComparison().isEqualTo(alarm);
        }
    }

    @Test
    @Order(3)
    void bothReplicasReplicateFromThePrimaryByGtid() throws Exception {
        String password = stack.secret("fleet.mariadb.admin.password");
        List<Integer> ports = stack.mariadbPorts();
        String gtid;
        try (Connection primary = connect(ports.get(0), password); Statement st = primary.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS demo.it_probe (id INT PRIMARY KEY, note VARCHAR(40))");
            st.execute("REPLACE INTO demo.it_probe VALUES (1, 'written on the primary')");
            try (ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                rs.next();
                gtid = rs.getString(1);
            }
        }
        for (int port : ports.subList(1, ports.size())) {
            try (Connection replica = connect(port, password); Statement st = replica.createStatement()) {
                try (ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
                    assertThat(rs.getString("Slave_SQL_Running")).isEqualTo("Yes");
                    assertThat(rs.getString("Using_Gtid")).isEqualTo("Slave_Pos");
                    assertThat(rs.getInt("Master_Port")).isEqualTo(ports.get(0));
                }
                try (ResultSet rs = st.executeQuery("SELECT MASTER_GTID_WAIT('" + gtid + "', 20)")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("replica on %d reached %s", port, gtid).isZero();
                }
                try (ResultSet rs = st.executeQuery("SELECT note, @@read_only FROM demo.it_probe WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("written on the primary");
                    assertThat(rs.getInt(2)).isEqualTo(1);
                }
            }
        }
    }

    @Test
    @Order(4)
    void everySentinelReportsTheRedisPrimary() {
        for (int port : stack.sentinelPorts()) {
            try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
                assertThat(sentinel.sentinelGetMasterAddrByName(StackConfig.REDIS_MASTER_NAME))
                        .containsExactly("127.0.0.1", Integer.toString(stack.redisPrimaryPort()));
            }
        }
        try (Jedis primary = new Jedis("127.0.0.1", stack.redisPrimaryPort())) {
            assertThat(RedisServer.field(primary.info("replication"), "connected_slaves")).isEqualTo("1");
        }
    }

    @Test
    @Order(5)
    void aLineProtocolWriteToVictoriaMetricsReadsBack() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long nanos = System.currentTimeMillis() * 1_000_000L;
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(stack.victoriaMetricsUrl() + "/write"))
                .POST(HttpRequest.BodyPublishers.ofString("dbops_it,instance=demo-mariadb-1 threads_running=42 " + nanos))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(204);
        String query = URLEncoder.encode("dbops_it_threads_running{instance=\"demo-mariadb-1\"}", StandardCharsets.UTF_8);
        // ingestion is asynchronous (the write is buffered for about a second): poll, flushing each time
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            http.send(HttpRequest.newBuilder(URI.create(stack.victoriaMetricsUrl() + "/internal/force_flush")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(
                    URI.create(stack.victoriaMetricsUrl() + "/api/v1/export?match[]=" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"values\":[42]");
        });
    }

    @Test
    @Order(6)
    void metadataSchemaIsMigratedAndTheDemoFleetIsRegistered() throws Exception {
        Map<String, String> conn = stack.metadataConnection();
        try (MetadataDb db = MetadataDb.connect(conn.get("url"), conn.get("user"), conn.get("password"))) {
            assertThat(db.pendingMigrations()).isZero();
            assertThat(Integer.parseInt(db.schemaVersion())).isGreaterThanOrEqualTo(4); // the newest migration of this build
            assertThat(db.pendingMigrations()).isZero();
            assertThat(db.migrate()).isZero();
            List<InventoryInstance> instances = db.inventory().instances();
            assertThat(instances).extracting(InventoryInstance::id).containsExactlyInAnyOrder(
                    "demo-mariadb-1", "demo-mariadb-2", "demo-mariadb-3", "demo-redis-1", "demo-redis-2",
                    "demo-sentinel-1", "demo-sentinel-2", "demo-sentinel-3");
            assertThat(instances).filteredOn(i -> i.id().equals("demo-mariadb-1"))
                    .singleElement().satisfies(i -> {
                        assertThat(i.role()).isEqualTo("primary");
                        assertThat(i.port()).isEqualTo(stack.mariadbPorts().get(0));
                        assertThat(i.credentialRef()).isEqualTo("fleet.mariadb.monitor");
                        assertThat(i.slowLogPath()).endsWith("mariadb-1/slow.log");
                    });
        }
    }

    @Test
    @Order(7)
    void noSecretAppearsInAnyLogOrInTheOutput() throws Exception {
        Properties secrets = new Properties();
        try (var r = Files.newBufferedReader(work.resolve("secrets.properties"))) {
            secrets.load(r);
        }
        assertThat(secrets).isNotEmpty();
        StringBuilder everything = new StringBuilder(output.toString(StandardCharsets.UTF_8));
        try (Stream<Path> logs = Files.list(work.resolve("logs"))) {
            for (Path log : logs.toList()) {
                everything.append(Files.readString(log, StandardCharsets.ISO_8859_1));
            }
        }
        for (Object secret : secrets.values()) {
            assertThat(everything.toString()).doesNotContain((String) secret);
        }
    }

    @Test
    @Order(8)
    void aSecondUpStartsNothing() throws Exception {
        List<LocalStack.ComponentStatus> second = stack.up();
        for (int i = 0; i < second.size(); i++) {
            assertThat(second.get(i).action()).isEqualTo("running");
            assertThat(second.get(i).pid()).isEqualTo(firstUp.get(i).pid());
            assertThat(second.get(i).health().ok()).as(second.get(i).line()).isTrue();
        }
    }

    @Test
    @Order(9)
    void aPortTakenByAnotherProcessIsNamedWithItsComponentAndNothingStarts() throws Exception {
        Path other = Files.createTempDirectory("dbops-it-conflict-");
        StackConfig config = new StackConfig(other, OFFSET + 1000);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", config.port("victoria-metrics")));
            LocalStack conflicting = new LocalStack(config, new PrintStream(new ByteArrayOutputStream()));
            assertThatThrownBy(conflicting::up)
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + config.port("victoria-metrics") + " (victoria-metrics) is already in use");
            assertThat(conflicting.status()).allSatisfy(s -> assertThat(s.pid()).isNull());
        } finally {
            LocalStack.deleteRecursively(other);
        }
    }

    @Test
    @Order(10)
    void downStopsEverythingItStartedAndLeavesNothingListening() throws Exception {
        List<Long> pids = firstUp.stream().map(LocalStack.ComponentStatus::pid).toList();
        List<String> stopped = stack.down();
        assertThat(stopped).containsExactlyInAnyOrderElementsOf(stack.componentNames());
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
        }
        for (int port : stack.ports()) {
            assertThat(ServerComponent.listening(port)).as("port %d", port).isFalse();
        }
        assertThat(stack.down()).isEmpty();
    }

    private static Connection connect(int port, String password) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "dbops_admin");
        p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", p);
    }
}
