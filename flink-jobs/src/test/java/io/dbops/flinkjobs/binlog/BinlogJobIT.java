package io.dbops.flinkjobs.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.DeadLetter;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.Topic;
import io.dbops.metadata.MetadataDb;
import io.dbops.metadata.ProtectedTableStore;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The binlog job on a MiniCluster with the real broker and metadata DB: changes as the capture
 * publishes them (keyed set/db.table, a batch re-sent as after a crash), a table-size sample
 * from the collectors, a protection added in the metadata DB; alarms and write counts read back
 * with read_committed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BinlogJobIT {
    static final InstanceRef DB1 = new InstanceRef("shop-db-1", Engine.MARIADB, "shop-db", "host-7", 3306, "shop");
    private LocalStack stack;
    private KafkaProducer<String, byte[]> producer;

    @BeforeAll
    void up() throws Exception {
        Path work = Files.createTempDirectory("dbops-binlog-job-it-");
        stack = new LocalStack(new StackConfig(work, 4000), new PrintStream(new ByteArrayOutputStream()), false);
        stack.up();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void down() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.discard();
        }
    }

    private void send(BinlogChange c) {
        producer.send(new ProducerRecord<>(Topic.BINLOG.topicName(), TableAnalysis.key(c), EventCodec.toBytes(c)));
    }

    static BinlogChange change(String gtid, int event, int row, String table, BinlogOp op, Instant at) {
        return new BinlogChange(BinlogChange.SCHEMA, at, DB1, gtid, event, row, "shop", table, op, op == BinlogOp.CREATE ? null : Map.of("id", row),
                op == BinlogOp.DELETE ? null : Map.of("id", row), null, null);
    }

    @Test
    void changesBecomeAuditAlarmsRuleAlarmsAndExactWriteCounts() throws Exception {
        Map<String, String> m = stack.metadataConnection();
        try (MetadataDb db = MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"))) {
            db.migrate();
            new ProtectedTableStore(db.dataSource()).add("shop-db", null, "shop", "ledger", "books of record", "it");
        }
        // the collectors' estimate of shop.small: 1,000 rows
        producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), DB1.id(), EventCodec.toBytes(new MetricSample(MetricSample.SCHEMA, Instant.now(),
                DB1, "mysql_table", Map.of("db", "shop", "table", "small"), Map.of("rows_estimate", 1000.0, "data_bytes", 65536.0), null))));
        producer.send(new ProducerRecord<>(Topic.BINLOG.topicName(), "shop-db-1/shop.x", "{\"schema\":1,".getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        TableRules.Settings tables = new TableRules.Settings(1000, 0.2, 100, 2000, 3000, 100, 3000);
        BinlogJob.build(env, stack.kafkaBootstrap(), new BinlogJob.Settings(tables, new TransactionRules.Settings(1000, 3000)),
                ProtectedTablesSource.metadata(List.of(), m.get("url"), m.get("user"), m.get("password"), 1000), false);
        JobClient job = env.executeAsync("binlog job it");
        try {
            Thread.sleep(5000); // the job is reading: the table size is in before the deletes on shop.small
            Instant now = Instant.now();
            send(new BinlogChange(BinlogChange.SCHEMA, now, DB1, "0-1-100", 0, 0, "shop", "orders", BinlogOp.DDL, null, null,
                    "ALTER TABLE orders ADD COLUMN note VARCHAR(40)", null));
            // a mass delete of 1,500 rows on shop.orders in one transaction, and 500 of them re-sent as after a capture crash
            for (int i = 0; i < 1500; i++) {
                send(change("0-1-101", i / 100, i % 100, "orders", BinlogOp.DELETE, now.plusMillis(i / 10)));
            }
            for (int i = 1000; i < 1500; i++) {
                send(change("0-1-101", i / 100, i % 100, "orders", BinlogOp.DELETE, now.plusMillis(i / 10)));
            }
            // one transaction of 800 + 700 rows over two tables
            for (int i = 0; i < 800; i++) {
                send(change("0-1-102", 0, i, "a", BinlogOp.CREATE, now.plusMillis(200)));
            }
            for (int i = 0; i < 700; i++) {
                send(change("0-1-102", 1, i, "b", BinlogOp.CREATE, now.plusMillis(200)));
            }
            // 300 deletes on shop.small: far below 1,000 a minute, but 30% of the table
            for (int i = 0; i < 300; i++) {
                send(change("0-1-" + (103 + i), 0, 0, "small", BinlogOp.DELETE, now.plusMillis(300)));
            }
            send(change("0-1-500", 0, 0, "ledger", BinlogOp.UPDATE, now.plusMillis(400)));
            producer.flush();

            List<Alarm> alarms = new ArrayList<>();
            List<MetricSample> samples = new ArrayList<>();
            List<DeadLetter> dead = new ArrayList<>();
            read(alarms, samples, dead, () -> alarms.stream().filter(a -> a.status() == AlarmStatus.RESOLVED).count() >= 6
                    && samples.stream().filter(s -> s.measurement().equals("binlog_table")).mapToDouble(s -> s.fields().get("rows")).sum() >= 3301
                    && !dead.isEmpty());

            assertThat(alarms.stream().filter(a -> a.type().equals("binlog_ddl")).map(Alarm::status)).containsExactly(AlarmStatus.FIRING, AlarmStatus.RESOLVED);
            assertThat(alarms.stream().filter(a -> a.type().equals("binlog_ddl")).findFirst().orElseThrow().summary())
                    .contains("DDL on shop.orders at").endsWith("ALTER TABLE orders ADD COLUMN note VARCHAR(40)");
            List<Alarm> mass = alarms.stream().filter(a -> a.type().equals("binlog_mass_delete")).toList();
            assertThat(mass).extracting(a -> a.labels().get("table") + " " + a.status()).containsExactlyInAnyOrder("shop.orders FIRING",
                    "shop.orders RESOLVED", "shop.small FIRING", "shop.small RESOLVED");
            assertThat(mass.stream().filter(a -> a.status() == AlarmStatus.RESOLVED && a.labels().get("table").equals("shop.orders")).findFirst()
                    .orElseThrow().value()).as("the re-sent rows are not counted").isEqualTo(1500.0);
            assertThat(mass.stream().filter(a -> a.status() == AlarmStatus.FIRING && a.labels().get("table").equals("shop.small")).findFirst()
                    .orElseThrow().threshold()).isEqualTo(200.0);
            // two large transactions: the mass delete (its re-sent rows not counted) and the one over two tables
            List<Alarm> large = alarms.stream().filter(a -> a.type().equals("binlog_large_transaction")).toList();
            assertThat(large).extracting(a -> a.labels().get("gtid") + " " + a.status()).containsExactlyInAnyOrder("0-1-101 FIRING",
                    "0-1-101 RESOLVED", "0-1-102 FIRING", "0-1-102 RESOLVED");
            assertThat(large).filteredOn(a -> a.status() == AlarmStatus.RESOLVED).extracting(Alarm::value).containsOnly(1500.0);
            assertThat(large).filteredOn(a -> a.labels().get("gtid").equals("0-1-102")).allSatisfy(a ->
                    assertThat(a.labels().get("tables")).isEqualTo("shop.a, shop.b"));
            List<Alarm> prot = alarms.stream().filter(a -> a.type().equals("binlog_protected_write")).toList();
            assertThat(prot).extracting(Alarm::status).containsExactly(AlarmStatus.FIRING, AlarmStatus.RESOLVED);
            assertThat(prot.get(0).summary()).contains("shop.ledger").contains("books of record");
            // write counts: every change once, the re-sent ones not again
            Map<String, Double> rows = new HashMap<>();
            samples.stream().filter(s -> s.measurement().equals("binlog_table"))
                    .forEach(s -> rows.merge(s.tags().get("table"), s.fields().get("rows"), Double::sum));
            assertThat(rows).containsEntry("orders", 1500.0).containsEntry("a", 800.0).containsEntry("b", 700.0).containsEntry("small", 300.0)
                    .containsEntry("ledger", 1.0);
            assertThat(dead).anySatisfy(d -> assertThat(d.sourceTopic()).isEqualTo(Topic.BINLOG.topicName()));
        } finally {
            job.cancel().get();
        }
    }

    private void read(List<Alarm> alarms, List<MetricSample> samples, List<DeadLetter> dead, BooleanSupplier done) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.ALARMS.topicName(), Topic.METRICS.topicName(), Topic.DEADLETTER.topicName()));
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline && !done.getAsBoolean()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(Topic.ALARMS.topicName())) {
                        alarms.add(EventCodec.fromBytes(r.value(), Alarm.class));
                    } else if (r.topic().equals(Topic.METRICS.topicName())) {
                        samples.add(EventCodec.fromBytes(r.value(), MetricSample.class));
                    } else {
                        dead.add(EventCodec.fromBytes(r.value(), DeadLetter.class));
                    }
                }
            }
        }
    }
}
