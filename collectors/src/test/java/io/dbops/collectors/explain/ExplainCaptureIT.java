package io.dbops.collectors.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** EXPLAIN FORMAT=JSON of a digest's example on a real MariaDB replica, published back with the digest. */
class ExplainCaptureIT {

    @Test
    void aSlowSelectGetsItsPlanFromAReplica() throws Exception {
        Path work = Files.createTempDirectory("dbops-explain-it-");
        LocalStack stack = new LocalStack(new StackConfig(work, 7000), new PrintStream(new ByteArrayOutputStream()), false);
        try {
            stack.up();
            Properties admin = new Properties();
            admin.setProperty("user", "dbops_admin");
            admin.setProperty("password", stack.secret("fleet.mariadb.admin.password"));
            String gtid;
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(0) + "/", admin);
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE demo.orders (id INT PRIMARY KEY, user_id INT, note VARCHAR(20))");
                st.execute("INSERT INTO demo.orders VALUES (1, 10, 'a'), (2, 20, 'b')");
                try (ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                    rs.next();
                    gtid = rs.getString(1);
                }
            }
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(1) + "/", admin);
                 Statement st = c.createStatement()) {
                st.executeQuery("SELECT MASTER_GTID_WAIT('" + gtid + "', 20)").close();
            }
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            SlowSqlDigest digest = ExplainPolicyTest.digest("demo-mariadb-1", "Q1", 12.0);
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "dbops-explain");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            ExplainCapture.Replica replica = new ExplainCapture.Replica("127.0.0.1", stack.mariadbPorts().get(1), null, "dbops_monitor",
                    stack.secret("fleet.mariadb.monitor.password"), Engine.MARIADB);
            try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
                 var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                producer.send(new ProducerRecord<>(Topic.SLOWSQL_STATS.topicName(), "demo-mariadb-1", EventCodec.toBytes(digest))).get();
                consumer.subscribe(List.of(Topic.SLOWSQL_STATS.topicName()));
                ExplainCapture capture = new ExplainCapture(consumer, producer, id -> id.equals("demo-mariadb-1") ? replica : null,
                        new ExplainPolicy(1.0, 6, Duration.ofHours(1)), new ExplainRunner(2), Clock.systemUTC(), Duration.ZERO);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> capture.pollOnce(Duration.ofMillis(500)) > 0 || capture.explained() > 0);
            }
            Map<String, Object> r = new HashMap<>(c);
            r.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            List<SlowSqlDigest> seen = new ArrayList<>();
            try (var reader = new KafkaConsumer<>(r, new StringDeserializer(), new ByteArrayDeserializer())) {
                reader.subscribe(List.of(Topic.SLOWSQL_STATS.topicName()));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    reader.poll(Duration.ofMillis(500)).forEach(x -> seen.add(EventCodec.fromBytes(x.value(), SlowSqlDigest.class)));
                    return seen.stream().anyMatch(d -> d.explain() != null);
                });
            }
            SlowSqlDigest withPlan = seen.stream().filter(d -> d.explain() != null).findFirst().orElseThrow();
            assertThat(withPlan.queryId()).isEqualTo("Q1");
            assertThat(withPlan.explain()).contains("query_block").contains("orders");
            assertThat(withPlan.calls()).isEqualTo(digest.calls());
        } finally {
            stack.discard();
        }
    }
}
