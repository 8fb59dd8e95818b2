package io.dbops.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.collectors.KafkaProducers;
import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.Topic;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** Binlog capture against the stack's real MariaDB GTID set (ROW, FULL row images) and Kafka. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BinlogCaptureIT {
    static final int OFFSET = 10_000;
    Path work;
    LocalStack stack;
    KafkaProducer<String, byte[]> producer;
    KafkaConsumer<String, byte[]> consumer;
    BinlogCapture capture;
    final List<BinlogChange> seen = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        work = Files.createTempDirectory("dbops-cdc-it-");
        stack = new LocalStack(new StackConfig(work, OFFSET), new PrintStream(new ByteArrayOutputStream()), false);
        stack.up();
        producer = KafkaProducers.reliable(stack.kafkaBootstrap());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(Topic.BINLOG.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS shop");
            st.execute("CREATE TABLE shop.marker (id INT AUTO_INCREMENT PRIMARY KEY)");
        }
    }

    @AfterAll
    void down() throws Exception {
        if (capture != null) {
            capture.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.discard();
        }
    }

    Connection admin() throws Exception {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(0) + "/", "dbops_admin",
                stack.secret("fleet.mariadb.admin.password"));
    }

    BinlogCapture newCapture() {
        InstanceRef ref = new InstanceRef("demo-mariadb-1", Engine.MARIADB, LocalStack.MARIADB_CLUSTER, "local", stack.mariadbPorts().get(0),
                LocalStack.BUSINESS_LINE);
        return new BinlogCapture(new BinlogCapture.Target(ref, "127.0.0.1", stack.mariadbPorts().get(0), "dbops_admin",
                stack.secret("fleet.mariadb.admin.password"), 54_001), work.resolve("cdc").resolve(LocalStack.MARIADB_CLUSTER),
                new KafkaBinlogSink(producer));
    }

    /** Starts a capture and waits until a marker write made after it started comes through. */
    void startAndAwaitStreaming() throws Exception {
        capture = newCapture();
        capture.start();
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO shop.marker VALUES ()");
            }
            if (poll(Duration.ofSeconds(1)).stream().anyMatch(b -> "marker".equals(b.table()) && b.op() == BinlogOp.CREATE)) {
                return;
            }
            assertThat(capture.failure()).isNull();
        }
        throw new AssertionError("no change captured within 60 s");
    }

    List<BinlogChange> poll(Duration d) {
        List<BinlogChange> got = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(d)) {
            BinlogChange c = EventCodec.fromBytes(r.value(), BinlogChange.class);
            got.add(c);
            seen.add(c);
        }
        return got;
    }

    List<BinlogChange> items(int atLeast) {
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until && seen.stream().filter(c -> "items".equals(c.table())).count() < atLeast) {
            poll(Duration.ofMillis(500));
        }
        return seen.stream().filter(c -> "items".equals(c.table())).toList();
    }

    @Test
    @Order(1)
    void rowChangesAndDdlAreCapturedInOrderWithFullImages() throws Exception {
        startAndAwaitStreaming();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL)");
            c.setAutoCommit(false);
            st.execute("INSERT INTO shop.items VALUES (1, 'pen', 1.50), (2, 'ink', 7.25), (3, 'pad', 3.00)");
            c.commit();
            c.setAutoCommit(true);
            st.execute("UPDATE shop.items SET price = 2.00 WHERE id = 1");
            st.execute("DELETE FROM shop.items WHERE id = 2");
            st.execute("ALTER TABLE shop.items ADD COLUMN stock INT NOT NULL DEFAULT 0");
            st.execute("INSERT INTO shop.items VALUES (4, 'cap', 9.99, 12)");
        }
        List<BinlogChange> items = items(8);
        assertThat(items).extracting(BinlogChange::op).containsExactly(BinlogOp.DDL, BinlogOp.CREATE, BinlogOp.CREATE, BinlogOp.CREATE,
                BinlogOp.UPDATE, BinlogOp.DELETE, BinlogOp.DDL, BinlogOp.CREATE);
        BinlogChange update = items.get(4);
        assertThat(update.before()).containsEntry("price", "1.50").containsEntry("name", "pen");
        assertThat(update.after()).containsEntry("price", "2.00").containsEntry("name", "pen");
        assertThat(items.get(5).before()).containsEntry("id", 2).containsEntry("name", "ink");
        assertThat(items.get(6).ddl()).containsIgnoringCase("ADD COLUMN stock");
        assertThat(items.get(7).after()).containsEntry("stock", 12);
        // the three rows of one transaction share its GTID and differ by row
        assertThat(items.subList(1, 4)).extracting(BinlogChange::gtid).containsOnly(items.get(1).gtid());
        assertThat(items.subList(1, 4)).extracting(BinlogChange::rowIndex).doesNotHaveDuplicates();
        assertThat(items).allMatch(c -> c.instance().id().equals("demo-mariadb-1"));
    }

    @Test
    @Order(2)
    void aRestartResumesWhereItStoppedWithNothingLost() throws Exception {
        capture.close();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            for (int i = 10; i < 510; i++) {
                st.execute("INSERT INTO shop.items VALUES (" + i + ", 'item " + i + "', " + i + ".00, 1)");
            }
        }
        startAndAwaitStreaming();
        items(8 + 500);
        Set<String> ids = new HashSet<>();
        Set<Object> rows = new HashSet<>();
        for (BinlogChange c : seen) {
            if ("items".equals(c.table()) && c.op() == BinlogOp.CREATE) {
                ids.add(c.gtid() + "/" + c.eventIndex() + "/" + c.rowIndex());
                rows.add(c.after().get("id"));
            }
        }
        for (int i = 10; i < 510; i++) {
            assertThat(rows).as("row %d", i).contains(i);
        }
        assertThat(ids).hasSize(504); // after dedupe: every insert exactly once
    }
}
