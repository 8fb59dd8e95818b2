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
        if (collector != null) {
            collector.destroyForcibly().waitFor();
        }
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
    @Order(0)
    void anAccountWithoutReplicationRightsOrAStatementFormatServerIsRefusedWithTheFix() throws Exception {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE USER IF NOT EXISTS 'cdc_weak'@'127.0.0.1' IDENTIFIED BY 'weak-password-1'");
            st.execute("GRANT SELECT ON *.* TO 'cdc_weak'@'127.0.0.1'");
        }
        try (Connection weak = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(0) + "/", "cdc_weak",
                "weak-password-1")) {
            assertThat(String.join("; ", BinlogCapture.problems(weak))).contains("lacks REPLICATION SLAVE, BINLOG MONITOR, RELOAD, SHOW DATABASES");
        }
        try (Connection c = admin(); Statement st = c.createStatement()) {
            assertThat(BinlogCapture.problems(c)).isEmpty();
            st.execute("SET SESSION binlog_format = 'STATEMENT'"); // the check reads the global value: still fine
            assertThat(BinlogCapture.problems(c)).isEmpty();
            st.execute("SET GLOBAL binlog_row_image = 'MINIMAL'");
            try {
                assertThat(String.join("; ", BinlogCapture.problems(c))).contains("binlog_row_image is MINIMAL");
            } finally {
                st.execute("SET GLOBAL binlog_row_image = 'FULL'");
            }
        }
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

    // ------------------------------------------------------------------ the collector as a process

    Process collector;

    Process startCollector() throws Exception {
        Path dir = work.resolve("collector");
        Files.createDirectories(dir);
        Path conf = dir.resolve("binlog-collector.properties");
        Map<String, String> m = stack.metadataConnection();
        Files.writeString(conf, "kafka.bootstrap=" + stack.kafkaBootstrap() + "\nmetadata.url=" + m.get("url") + "\nmetadata.user=dbops\n"
                + "metadata.password.secret=metadata.password\nsecrets.file=" + work.resolve("secrets.properties") + "\nstate.dir="
                + dir.resolve("state") + "\nrefresh.ms=1000\nhealth.file=" + dir.resolve("health") + "\n");
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n", "appender.out.type = Console", "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{ISO8601} %p %c{1}: %m%n", "rootLogger.level = WARN",
                "rootLogger.appenderRef.out.ref = OUT", "logger.dbops.name = io.dbops", "logger.dbops.level = INFO",
                "logger.binlog.name = io.debezium.connector.binlog", "logger.binlog.level = INFO", ""));
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"), "-cp",
                System.getProperty("java.class.path"), "io.dbops.cdc.BinlogCollectorMain", conf.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("collector.log").toFile())).start();
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO shop.marker VALUES ()");
            } catch (java.sql.SQLException readOnly) {
                try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(1) + "/", "dbops_admin",
                        stack.secret("fleet.mariadb.admin.password")); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO shop.marker VALUES ()");
                }
            }
            int before = seen.size();
            poll(Duration.ofSeconds(1));
            if (seen.subList(before, seen.size()).stream().anyMatch(b -> "marker".equals(b.table()))) {
                return p;
            }
            assertThat(p.isAlive()).as("the collector runs; see " + dir.resolve("collector.log")).isTrue();
        }
        throw new AssertionError("the collector captured nothing within 60 s; see " + dir.resolve("collector.log"));
    }

    @Test
    @Order(3)
    void killingTheCollectorDuringA100kRowLoadOnlyDuplicatesWhatDedupeRemoves() throws Exception {
        capture.close();
        capture = null;
        collector = startCollector();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shop.load (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
        }
        // a new collector process starts at the binlog position current when it is ready: load only once it captures
        // (a load started before could be over before the collector's first position, and nothing of it would be captured)
        long markers = seen.stream().filter(c -> "marker".equals(c.table()) && c.op() == BinlogOp.CREATE).count();
        long ready = System.currentTimeMillis() + 60_000;
        while (seen.stream().filter(c -> "marker".equals(c.table()) && c.op() == BinlogOp.CREATE).count() <= markers) {
            assertThat(System.currentTimeMillis()).as("the collector captures nothing; its log:\n%s", collectorLog()).isLessThan(ready);
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO shop.marker VALUES ()");
            }
            poll(Duration.ofMillis(500));
        }
        Thread load = new Thread(() -> {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                for (int t = 0; t < 100; t++) {
                    StringBuilder sql = new StringBuilder("INSERT INTO shop.load VALUES ");
                    for (int i = 0; i < 1000; i++) {
                        int id = t * 1000 + i;
                        sql.append(i == 0 ? "" : ",").append('(').append(id).append(",'v").append(id).append("')");
                    }
                    st.execute(sql.toString());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        load.start();
        long until = System.currentTimeMillis() + 120_000;
        while (loadRows() < 30_000 && System.currentTimeMillis() < until) {
            poll(Duration.ofMillis(200));
        }
        assertThat(loadRows()).as("nothing of the load captured in 120 s (load running: %s, rows in the table: %d); collector log:\n%s",
                load.isAlive(), tableRows("shop.load"), collectorLog()).isGreaterThan(0);
        collector.destroyForcibly().waitFor(); // kill -9 in the middle of the load
        long atKill = loadRows();
        load.join(120_000);
        collector = startCollector();
        until = System.currentTimeMillis() + 180_000;
        while (distinctLoadIds() < 100_000 && System.currentTimeMillis() < until) {
            poll(Duration.ofMillis(500));
        }
        Set<String> keys = new HashSet<>();
        for (BinlogChange c : seen) {
            if ("load".equals(c.table()) && c.op() == BinlogOp.CREATE) {
                keys.add(c.gtid() + "/" + c.eventIndex() + "/" + c.rowIndex());
            }
        }
        System.out.printf("100k-row load: killed after %d rows delivered; %d deliveries, %d duplicates, %d distinct%n", atKill, loadRows(),
                loadRows() - keys.size(), keys.size());
        assertThat(distinctLoadIds()).as("after the restart (rows in the table: %d); collector log:\n%s", tableRows("shop.load"),
                collectorLog()).isEqualTo(100_000);
        assertThat(atKill).isLessThan(100_000);
        assertThat(distinctLoadIds()).isEqualTo(100_000);
        assertThat(keys).hasSize(100_000); // the dedupe identity counts every row exactly once
    }

    long tableRows(String table) {
        try (Connection c = admin(); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    long loadRows() {
        return seen.stream().filter(c -> "load".equals(c.table()) && c.op() == BinlogOp.CREATE).count();
    }

    long distinctLoadIds() {
        return seen.stream().filter(c -> "load".equals(c.table()) && c.op() == BinlogOp.CREATE).map(c -> c.after().get("id")).distinct().count();
    }

    @Test
    @Order(4)
    void mistakesAreUndoneByTheFlashbackSqlToTheSameChecksum() throws Exception {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shop.prices (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL, note TEXT NULL, "
                    + "updated DATETIME(6) NOT NULL, raw VARBINARY(16) NULL)");
            for (int t = 0; t < 10; t++) {
                StringBuilder sql = new StringBuilder("INSERT INTO shop.prices VALUES ");
                for (int i = 0; i < 1000; i++) {
                    int id = t * 1000 + i;
                    sql.append(i == 0 ? "" : ",").append('(').append(id).append(", 'O''Brien \\\\ #").append(id).append("', ")
                            .append(id % 97).append('.').append(id % 10).append("5, ").append(id % 3 == 0 ? "NULL" : "'note\\n" + id + "'")
                            .append(", '2026-11-25 10:").append(String.format("%02d", id % 60)).append(":07.123456', ")
                            .append(id % 5 == 0 ? "NULL" : "UNHEX('00FF" + String.format("%04X", id) + "')").append(')');
                }
                st.execute(sql.toString());
            }
        }
        long before = checksum("shop.prices");
        Thread.sleep(1100);
        java.time.Instant from = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("UPDATE shop.prices SET price = 0");
            st.execute("DELETE FROM shop.prices WHERE id < 5000");
        }
        Thread.sleep(1100);
        java.time.Instant to = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusMillis(1);
        long until = System.currentTimeMillis() + 120_000;
        while (pricesChanges() < 10_000 + 10_000 + 5_000 && System.currentTimeMillis() < until) {
            poll(Duration.ofMillis(500));
        }
        assertThat(checksum("shop.prices")).isNotEqualTo(before);
        BinlogReader.Slice slice = BinlogReader.read(stack.kafkaBootstrap(), LocalStack.MARIADB_CLUSTER, "shop.prices", from, to);
        List<Flashback.Column> columns;
        try (Connection c = admin()) {
            columns = BinlogReader.columns(c, "shop.prices");
        }
        long t0 = System.nanoTime();
        Flashback.Result r = Flashback.generate("demo-mariadb-1", "shop.prices", from, to, slice.inRange(), slice.later(), columns, false);
        System.out.printf("flashback of %d changes generated in %d ms%n", r.statements(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(r.problems()).isEmpty();
        assertThat(r.statements()).isEqualTo(15_000);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String line : r.sql().split("\n")) {
                if (!line.isBlank() && !line.startsWith("--") && !line.equals("START TRANSACTION;") && !line.equals("COMMIT;")) {
                    st.addBatch(line.substring(0, line.length() - 1));
                }
            }
            st.executeBatch();
            c.commit();
        }
        assertThat(checksum("shop.prices")).isEqualTo(before);
        // a row changed again after the range: refused unless forced
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("UPDATE shop.prices SET note = 'later' WHERE id = 7");
        }
        until = System.currentTimeMillis() + 30_000;
        Flashback.Result again = null;
        while (System.currentTimeMillis() < until) {
            BinlogReader.Slice s2 = BinlogReader.read(stack.kafkaBootstrap(), LocalStack.MARIADB_CLUSTER, "shop.prices", from, to);
            again = Flashback.generate("demo-mariadb-1", "shop.prices", from, to, s2.inRange(), s2.later(), columns, false);
            if (again.refused()) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(again.refused()).isTrue();
        assertThat(String.join(" ", again.problems())).contains("later changes touched rows of the range").contains("--force");
    }

    long pricesChanges() {
        return seen.stream().filter(c -> "prices".equals(c.table()) && c.op() != BinlogOp.DDL).count();
    }

    long checksum(String table) throws Exception {
        try (Connection c = admin(); Statement st = c.createStatement(); var rs = st.executeQuery("CHECKSUM TABLE " + table + " EXTENDED")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    @Test
    @Order(5)
    void afterAFailoverTheCollectorContinuesOnTheNewPrimaryWithNoGap() throws Exception {
        int p2 = stack.mariadbPorts().get(1);
        String pw = stack.secret("fleet.mariadb.admin.password");
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shop.moved (id INT PRIMARY KEY, side VARCHAR(8) NOT NULL)");
            for (int i = 0; i < 200; i++) {
                st.execute("INSERT INTO shop.moved VALUES (" + i + ", 'old')");
            }
        }
        String pos;
        try (Connection c = admin(); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            pos = rs.getString(1);
        }
        // the replica has everything; then the primary dies (kill -9), wherever the capture was in its binlog
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + p2 + "/", "dbops_admin", pw); Statement st = c.createStatement()) {
            st.execute("SELECT MASTER_GTID_WAIT('" + pos + "', 30)");
        }
        long primaryPid = stack.status().stream().filter(x -> x.name().equals("mariadb-1")).findFirst().orElseThrow().pid();
        ProcessHandle.of(primaryPid).orElseThrow().destroyForcibly();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + p2 + "/", "dbops_admin", pw); Statement st = c.createStatement()) {
            st.execute("STOP SLAVE");
            st.execute("RESET SLAVE ALL");
            st.execute("SET GLOBAL read_only = 0");
        }
        Map<String, String> m = stack.metadataConnection();
        try (var db = io.dbops.metadata.MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"))) {
            db.inventory().setRoleAndStatus("demo-mariadb-2", "primary", "active");
            db.inventory().setRoleAndStatus("demo-mariadb-1", "replica", "maintenance");
        }
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + p2 + "/", "dbops_admin", pw); Statement st = c.createStatement()) {
            for (int i = 200; i < 400; i++) {
                st.execute("INSERT INTO shop.moved VALUES (" + i + ", 'new')");
            }
        }
        // the capture continues on demo-mariadb-2 right after the last transaction it recorded: every row once after dedupe
        long until = System.currentTimeMillis() + 90_000;
        while (movedIds() < 400 && System.currentTimeMillis() < until) {
            poll(Duration.ofMillis(300));
        }
        List<BinlogChange> moved = seen.stream().filter(c -> "moved".equals(c.table()) && c.op() == BinlogOp.CREATE).toList();
        System.out.println("after the failover: " + movedIds() + " of 400 rows captured, " + moved.size() + " deliveries");
        assertThat(movedIds()).as("no gap; collector log:\n%s", collectorLog()).isEqualTo(400);
        // the old primary's last transactions may be read again from the new one: same set, same GTID, same identity
        assertThat(Flashback.dedupe(moved)).hasSize(400);
        assertThat(seen.stream().filter(c -> "moved".equals(c.table()) && c.op() == BinlogOp.CREATE && "new".equals(c.after().get("side")))
                .allMatch(c -> c.instance().id().equals("demo-mariadb-2"))).isTrue();
        // the table definitions were rebuilt on the new primary: a schema change there is followed
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + p2 + "/", "dbops_admin", pw); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE shop.moved ADD COLUMN note VARCHAR(20) NULL");
            st.execute("INSERT INTO shop.moved VALUES (400, 'new', 'after ddl')");
        }
        until = System.currentTimeMillis() + 60_000;
        while (seen.stream().noneMatch(c -> "moved".equals(c.table()) && c.after() != null && "after ddl".equals(c.after().get("note")))
                && System.currentTimeMillis() < until) {
            poll(Duration.ofMillis(300));
        }
        assertThat(seen).as("collector log:\n%s", collectorLog())
                .anyMatch(c -> "moved".equals(c.table()) && c.after() != null && "after ddl".equals(c.after().get("note")));
        assertThat(seen).anyMatch(c -> c.op() == BinlogOp.DDL && c.ddl() != null && c.ddl().contains("ADD COLUMN note"));
    }

    String collectorLog() throws Exception {
        List<String> f = Files.readAllLines(work.resolve("collector").resolve("collector.log")).stream()
                .filter(l -> l.contains("ERROR") || l.contains("WARN") || l.contains("captur") || l.contains("Exception") || l.contains("GTID"))
                .map(l -> l.length() > 400 ? l.substring(0, 400) : l).toList();
        return String.join("\n", f.subList(Math.max(0, f.size() - 40), f.size()));
    }

    long movedIds() {
        return seen.stream().filter(c -> "moved".equals(c.table()) && c.op() == BinlogOp.CREATE).map(c -> c.after().get("id")).distinct().count();
    }
}
