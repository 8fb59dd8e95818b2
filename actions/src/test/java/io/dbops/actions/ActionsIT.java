package io.dbops.actions;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.actions.backup.BackupCatalog;
import io.dbops.actions.drill.WriteProbe;
import io.dbops.actions.run.Playbook;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunEngine;
import io.dbops.actions.run.RunEvents;
import io.dbops.actions.run.RunStore;
import io.dbops.actions.run.StepRecord;
import io.dbops.collectors.KafkaProducers;
import io.dbops.events.ActionEvent;
import io.dbops.events.ActionRequest;
import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.RunState;
import io.dbops.events.Severity;
import io.dbops.events.Topic;
import io.dbops.events.TopologyChange;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import io.dbops.metadata.PlacementHistory;
import io.dbops.mlmodels.placement.HardConstraints;
import io.dbops.mlmodels.placement.PlacementGenerator;
import io.dbops.mlmodels.placement.PlacementTraining;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The action service on real servers: the stack's MariaDB replication set (GTID), Redis with three
 * Sentinels, Kafka and the metadata DB. Runs go through the same store, engine and playbooks as in
 * production; the crash test runs the service as its own process and kills it with SIGKILL. Tests
 * are ordered: each leaves the replication set as the next one expects (switchover, then failover).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActionsIT {
    static final String CLUSTER = LocalStack.MARIADB_CLUSTER;
    static final String APP_PASSWORD = "app-" + UUID.randomUUID();
    private Path work;
    private LocalStack stack;
    private MetadataDb db;
    private Properties secrets;
    private KafkaProducer<String, byte[]> producer;
    private RunStore store;
    private ActionService service;
    private WriteProbe writer;

    @BeforeAll
    void up() throws Exception {
        work = Files.createTempDirectory("dbops-actions-it-");
        stack = new LocalStack(new StackConfig(work, 9000), new PrintStream(new ByteArrayOutputStream()), false);
        stack.up();
        Map<String, String> m = stack.metadataConnection();
        db = MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"));
        db.migrate();
        secrets = new Properties();
        try (Reader r = Files.newBufferedReader(work.resolve("secrets.properties"))) {
            secrets.load(r);
        }
        producer = KafkaProducers.reliable(stack.kafkaBootstrap());
        store = new RunStore(db.dataSource());
        store.upsertUser("dba1", "dba", null);
        store.upsertUser("dev1", "developer", "demo");
        service = inProcessService();
        // the application's account: no privilege over read_only, like any application
        try (Connection c = admin("demo-mariadb-1"); Statement st = c.createStatement()) {
            st.execute("CREATE USER IF NOT EXISTS 'dbops_app'@'127.0.0.1' IDENTIFIED BY '" + APP_PASSWORD + "'");
            st.execute("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON demo.* TO 'dbops_app'@'127.0.0.1'");
            st.execute("CREATE TABLE IF NOT EXISTS demo.writes (id BIGINT PRIMARY KEY, at TIMESTAMP(6) NOT NULL)");
        }
    }

    @AfterAll
    void down() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (service != null) {
            service.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (db != null) {
            db.close();
        }
        if (stack != null) {
            stack.discard();
        }
    }

    /** The service in this JVM with two workers (the crash test stops it and runs the service as processes). */
    private ActionService inProcessService() throws Exception {
        Map<String, Playbook> playbooks = ActionService.builtInPlaybooks();
        RunEvents events = new RunEvents(store, ActionServiceMain.kafkaPublisher(producer), ActionServiceMain.secretValues(secrets));
        events.startRelay(Duration.ofSeconds(1));
        Fleet fleet = new FleetAccess(db.inventory(), secrets, credentials(), producer, new io.dbops.actions.backup.BackupCatalog(db.dataSource()),
                work.resolve("backups"), new io.dbops.actions.playbooks.LivePlacement(db.inventory(), new io.dbops.metadata.PlacementHistory(db.dataSource()),
                stack.placementModel(), io.dbops.mlmodels.placement.HardConstraints.DEFAULT));
        RunEngine engine = new RunEngine(store, events, playbooks, fleet, "it-worker", Duration.ofSeconds(5));
        ActionService s = new ActionService(store, events, playbooks, ActionServiceMain.rules(null, playbooks), db.inventory(), engine);
        s.placementOutcomes(new PlacementHistory(db.dataSource()));
        s.startWorkers(2, Duration.ofMillis(100));
        return s;
    }

    static FleetAccess.Credentials credentials() {
        return new FleetAccess.Credentials("dbops_admin", "fleet.mariadb.admin.password", "dbops_repl", "fleet.mariadb.repl.password", null,
                "dbops_monitor", "fleet.mariadb.monitor.password");
    }

    @Test
    @Order(1)
    void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
        Run run = service.onRequest(request("mariadb_switchover", "dev1", Map.of("candidate", "demo-mariadb-2"), true));
        Run done = awaitEnd(run.id());
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.message()).contains("dry run");
        List<String> lines = store.log(run.id(), 0).stream().map(RunStore.LogRow::message).toList();
        assertThat(lines).anyMatch(l -> l != null && l.startsWith("plan: set read_only on demo-mariadb-1"));
        assertThat(lines).anyMatch(l -> l != null && l.startsWith("plan: promote demo-mariadb-2"));
        assertThat(store.steps(run.id())).filteredOn(s -> s.index() > 0).allMatch(s -> s.state() == RunState.SKIPPED);
        // on the servers: the primary is still writable, the candidate still a replica of it
        assertThat(variable("demo-mariadb-1", "read_only")).isEqualTo("0");
        assertThat(replicaOfPort("demo-mariadb-2")).isEqualTo(port("demo-mariadb-1"));
    }

    @Test
    @Order(2)
    void badRequestsAreRecordedWithTheirReasonAndNothingRuns() throws Exception {
        Run unknown = service.onRequest(request("make_coffee", "dev1", Map.of(), false));
        assertThat(unknown.state()).isEqualTo(RunState.FAILED);
        assertThat(unknown.message()).contains("playbook: unknown playbook 'make_coffee'");
        Run missing = service.onRequest(request("mariadb_switchover", "dba1", Map.of("max_lag", "soon"), false));
        assertThat(missing.message()).contains("parameter 'candidate' is required").contains("parameter 'max_lag' must be a duration");
        Run stranger = service.onRequest(request("kill_query", "dba1", Map.of("instance", "db-that-is-not-there"), false));
        assertThat(stranger.message()).contains("parameter 'instance' names no instance in the inventory");
        for (Run r : List.of(unknown, missing, stranger)) {
            assertThat(store.steps(r.id())).isEmpty();
        }
    }

    @Test
    @Order(3)
    void aRunawayQueryIsKilledOnceADbaApproves() throws Exception {
        AtomicLong returnedAfter = new AtomicLong(-1);
        Thread sleeper = new Thread(() -> {
            long t0 = System.currentTimeMillis();
            try (Connection c = app("demo-mariadb-1"); Statement st = c.createStatement()) {
                st.execute("SELECT SLEEP(300) AS runaway");
            } catch (SQLException interrupted) {
                // 1317: query execution was interrupted
            }
            returnedAfter.set(System.currentTimeMillis() - t0);
        });
        sleeper.start();
        Thread.sleep(2500);
        Run run = service.onRequest(request("kill_query", "dev1", Map.of("instance", "demo-mariadb-1", "min_seconds", "1"), false));
        assertThat(run.state()).isEqualTo(RunState.AWAITING_APPROVAL);
        assertThat(ActionService.approve(store, run.id(), "dev1")).contains("dev1 is a developer").contains("only a dba or an admin");
        assertThat(ActionService.approve(store, run.id(), "nobody")).contains("not a known user");
        assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.AWAITING_APPROVAL);
        assertThat(ActionService.approve(store, run.id(), "dba1")).isNull();
        assertThat(awaitEnd(run.id()).state()).isEqualTo(RunState.SUCCEEDED);
        sleeper.join(20_000);
        assertThat(returnedAfter.get()).isBetween(0L, 60_000L);
        assertThat(store.log(run.id(), 0)).anyMatch(l -> l.message() != null && l.message().contains("SELECT SLEEP(300)"));

        // a DBA's own run that asks for confirmation pauses after the listing until approved
        Thread second = new Thread(() -> {
            try (Connection c = app("demo-mariadb-1"); Statement st = c.createStatement()) {
                st.execute("SELECT SLEEP(300) AS runaway_again");
            } catch (SQLException interrupted) {
                // killed
            }
        });
        second.start();
        Thread.sleep(2500);
        Run confirm = service.onRequest(request("kill_query", "dba1", Map.of("instance", "demo-mariadb-1", "min_seconds", "1",
                "confirm", "true"), false));
        Run paused = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.run(confirm.id()).orElseThrow(),
                r -> r.state() == RunState.AWAITING_APPROVAL);
        assertThat(store.steps(paused.id())).extracting(StepRecord::name).contains("find_queries", "approval");
        assertThat(second.isAlive()).as("nothing killed before the approval").isTrue();
        assertThat(ActionService.approve(store, confirm.id(), "dba1")).isNull();
        assertThat(awaitEnd(confirm.id()).state()).isEqualTo(RunState.SUCCEEDED);
        second.join(20_000);
        assertThat(second.isAlive()).isFalse();
    }

    @Test
    @Order(4)
    void aLogicalBackupOfAReplicaUnderWritesIsCataloguedAndItsRestoreVerified() throws Exception {
        startWriter();
        Run backup = awaitEnd(service.onRequest(request("mariadb_backup", "dba1", Map.of("instance", "demo-mariadb-2"), false)).id());
        assertThat(backup.state()).as(backup.message()).isEqualTo(RunState.SUCCEEDED);
        BackupCatalog.Entry e = catalog().latest("demo-mariadb-2", "logical").orElseThrow();
        assertThat(e.runId()).isEqualTo(backup.id());
        assertThat(e.sizeBytes()).isPositive();
        assertThat(e.position()).matches("0-\\d+-\\d+");
        assertThat(e.checksum()).startsWith("sha256:");
        assertThat(Files.readString(Path.of(e.path()))).contains("CREATE TABLE `writes`").doesNotContain(secrets.getProperty("fleet.mariadb.admin.password"));
        assertThat(store.log(backup.id(), 0).toString()).doesNotContain(secrets.getProperty("fleet.mariadb.admin.password"));

        Run verify = awaitEnd(service.onRequest(request("mariadb_backup_verify", "dba1", Map.of("instance", "demo-mariadb-2"), false)).id(),
                Duration.ofSeconds(120));
        assertThat(verify.state()).as(verify.message()).isEqualTo(RunState.SUCCEEDED);
        BackupCatalog.Entry checked = catalog().get(e.id()).orElseThrow();
        assertThat(checked.verified()).isEqualTo("pass");
        assertThat(checked.verifyDetail()).contains("tables equal at");
        System.out.println("ActionsIT: logical backup " + e.sizeBytes() + " bytes in " + e.durationMs() + " ms; verify: " + checked.verifyDetail());
        assertThat(Path.of(verify.facts().get("scratch_dir"))).doesNotExist();
        // the replica paused for the comparison replicates again
        assertThat(replicaOfPort(verify.facts().get("reference"))).isEqualTo(port("demo-mariadb-1"));
    }

    @Test
    @Order(5)
    void aPhysicalBackupIsPreparedAndRestoresToTheSameData() throws Exception {
        Run backup = awaitEnd(service.onRequest(request("mariadb_backup", "dba1", Map.of("instance", "demo-mariadb-3", "kind", "physical"),
                false)).id(), Duration.ofSeconds(120));
        assertThat(backup.state()).as(backup.message()).isEqualTo(RunState.SUCCEEDED);
        BackupCatalog.Entry e = catalog().latest("demo-mariadb-3", "physical").orElseThrow();
        assertThat(Files.exists(Path.of(e.path()).resolve("mariadb_backup_binlog_info"))
                || Files.exists(Path.of(e.path()).resolve("xtrabackup_binlog_info"))).as("binlog info of the backup").isTrue();
        Run verify = awaitEnd(service.onRequest(request("mariadb_backup_verify", "dba1", Map.of("instance", "demo-mariadb-3",
                "backup", e.id()), false)).id(), Duration.ofSeconds(120));
        assertThat(verify.state()).as(verify.message()).isEqualTo(RunState.SUCCEEDED);
        assertThat(catalog().get(e.id()).orElseThrow().verified()).isEqualTo("pass");
    }

    @Test
    @Order(6)
    void aCorruptedBackupFailsVerificationAndIsMarkedSo() throws Exception {
        BackupCatalog.Entry e = catalog().latest("demo-mariadb-2", "logical").orElseThrow();
        Files.writeString(Path.of(e.path()), "-- tampered\n", java.nio.file.StandardOpenOption.APPEND);
        Run verify = awaitEnd(service.onRequest(request("mariadb_backup_verify", "dba1", Map.of("backup", e.id(), "instance",
                "demo-mariadb-2"), false)).id());
        assertThat(verify.state()).isEqualTo(RunState.FAILED);
        assertThat(verify.message()).contains("corrupt");
        assertThat(catalog().get(e.id()).orElseThrow().verified()).isEqualTo("fail");
    }

    @Test
    @Order(7)
    void scheduledBackupsFireOnceAndExpiredOnesAreDeleted() throws Exception {
        BackupCatalog catalog = catalog();
        catalog.addSchedule("demo-redis-2", null, "* * * * *", "rdb", "1s", "dba1");
        // half a minute past a minute mark: the 61 s window holds exactly one firing of "* * * * *" (a window
        // ending in a minute's first second held two, and the test failed once in a while)
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(30);
        List<Run> first = service.startDueBackups(catalog, now.minusSeconds(61), now);
        assertThat(first).singleElement().satisfies(r -> assertThat(r.playbook()).isEqualTo("redis_backup"));
        assertThat(service.startDueBackups(catalog, now.minusSeconds(61), now)).as("the same firing again").isEmpty();
        Run rdb = awaitEnd(first.get(0).id());
        assertThat(rdb.state()).as(rdb.message()).isEqualTo(RunState.SUCCEEDED);
        BackupCatalog.Entry e = catalog.latest("demo-redis-2", "rdb").orElseThrow();
        assertThat(Path.of(e.path())).exists();
        assertThat(e.position()).startsWith("master_repl_offset=");
        // a second backup later: the first one's retention (1 s) has passed, so it is deleted
        Thread.sleep(1100);
        Run second = awaitEnd(service.onRequest(request("redis_backup", "dba1", Map.of("instance", "demo-redis-2", "retention", "1d"),
                false)).id());
        assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(catalog.get(e.id()).orElseThrow().deletedAt()).isNotNull();
        assertThat(Path.of(e.path())).doesNotExist();
    }

    @Test
    @Order(8)
    void aBackupSurvivesAServiceCrashAndIsCataloguedOnce() throws Exception {
        service.close(); // only the service processes execute runs in this test
        Path config = serviceConfig();
        Process first = startService(config, "backup-first");
        Process second = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> handled() >= 0);
            String reqId = "req-" + UUID.randomUUID();
            ActionRequest r = new ActionRequest(1, Instant.now(), reqId, "mariadb_backup", "dba1", "demo", null, null, null, "mariadb_backup",
                    Map.of("instance", "demo-mariadb-2"), false, "crash drill");
            producer.send(new ProducerRecord<>(Topic.ACTION_REQUESTS.topicName(), reqId, EventCodec.toBytes(r))).get();
            Run run = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.byDedupeKey("request:" + reqId).orElse(null),
                    x -> x != null);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.steps(run.id()).size() >= 3);
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            List<StepRecord> beforeCrash = store.steps(run.id());
            second = startService(config, "backup-second");
            Run done = awaitEnd(run.id(), Duration.ofSeconds(90));
            assertThat(done.state()).as(done.message()).isEqualTo(RunState.SUCCEEDED);
            for (StepRecord s : beforeCrash) {
                if (s.state() == RunState.SUCCEEDED) {
                    assertThat(store.steps(run.id()).get(s.index()).attempts()).as("step %s ran again", s.name()).isEqualTo(s.attempts());
                }
            }
            assertThat(catalog().list("demo-mariadb-2")).filteredOn(e -> e.runId().equals(run.id())).singleElement()
                    .satisfies(e -> assertThat(e.checksum()).isEqualTo("sha256:" + sha256(Path.of(e.path()))));
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            service = inProcessService();
        }
    }

    @Test
    @Order(10)
    void binlogsArePurgedButNeverPastWhatAReplicaNeeds() throws Exception {
        try (Connection c = admin("demo-mariadb-1"); Statement st = c.createStatement()) {
            for (int i = 0; i < 4; i++) {
                st.execute("FLUSH BINARY LOGS");
            }
        }
        // one replica holds on to an old file: its SQL thread is stopped before the flushes reach it
        try (Connection c = admin("demo-mariadb-3"); Statement st = c.createStatement()) {
            st.execute("STOP SLAVE SQL_THREAD");
        }
        try (Connection c = admin("demo-mariadb-1"); Statement st = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                st.execute("INSERT INTO demo.writes VALUES (-100 - " + i + ", NOW(6))");
                st.execute("FLUSH BINARY LOGS");
            }
        }
        String needed;
        try (Connection c = admin("demo-mariadb-3"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            rs.next();
            needed = rs.getString("Relay_Master_Log_File");
        }
        Run run = awaitEnd(service.onRequest(request("purge_binlogs", "dba1", Map.of("instance", "demo-mariadb-1", "keep", "0"), false)).id());
        assertThat(run.state()).as(run.message()).isEqualTo(RunState.SUCCEEDED);
        List<String> left = new ArrayList<>();
        try (Connection c = admin("demo-mariadb-1"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        assertThat(left.get(0)).as("the oldest binlog kept is the one the lagging replica executes").isEqualTo(needed);
        try (Connection c = admin("demo-mariadb-3"); Statement st = c.createStatement()) {
            st.execute("START SLAVE SQL_THREAD");
        }
        assertThat(replicaOfPort("demo-mariadb-3")).isEqualTo(port("demo-mariadb-1"));
        try (Connection c = admin("demo-mariadb-3"); var ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, 30)")) {
            ps.setString(1, variable("demo-mariadb-1", "gtid_binlog_pos"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("the replica caught up from the binlogs that were kept").isZero();
            }
        }
    }

    @Test
    @Order(15)
    void aNewServerIsProvisionedThroughAnsibleAndRegistered() throws Exception {
        int port = stack.config().port("mariadb-3") + 50;
        // restore to a new instance: the newest intact logical backup of demo-mariadb-2 (the one taken in the crash test)
        BackupCatalog.Entry backup = catalog().latest("demo-mariadb-2", "logical").orElseThrow();
        // with a trained model in place, select_server ranks with it (and says so)
        PlacementTraining.train(PlacementGenerator.generate(1, 1000), new PlacementTraining.Options(40, 6, 0.2, 2, HardConstraints.DEFAULT))
                .model().save(stack.placementModel());
        Run run = awaitEnd(service.onRequest(request("mariadb_provision", "dba1", Map.of("instance", "demo-mariadb-new", "port",
                Integer.toString(port), "business_line", "demo", "cluster", "demo-new", "from_backup", backup.id()), false)).id(),
                Duration.ofSeconds(180));
        List<String> log = store.log(run.id(), 0).stream().map(RunStore.LogRow::message).filter(java.util.Objects::nonNull).toList();
        assertThat(run.state()).as(run.message() + "\n" + String.join("\n", log)).isEqualTo(RunState.SUCCEEDED);
        assertThat(log).anyMatch(l -> l.startsWith("TASK system tables")).anyMatch(l -> l.startsWith("changed ") && l.contains("server started"));
        assertThat(String.join("\n", log)).doesNotContain(secrets.getProperty("fleet.mariadb.admin.password"))
                .doesNotContain(secrets.getProperty("fleet.mariadb.repl.password"));
        assertThat(log).anyMatch(l -> l.startsWith("ranked by model v")).anyMatch(l -> l.contains("<- chosen") && l.contains("score"));
        PlacementHistory.Row decision = placements().forInstance("demo-mariadb-new");
        assertThat(decision.chosenBy()).isEqualTo("model");
        assertThat(decision.modelVersion()).startsWith("v");
        InventoryInstance i = db.inventory().instance("demo-mariadb-new");
        assertThat(i.status()).isEqualTo("active");
        assertThat(db.inventory().allocations().get("demo-mariadb-new")).containsExactly(4.0, 20.0);
        assertThat(i.role()).isEqualTo("primary");
        try (Connection c = admin("demo-mariadb-new"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@port")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(port);
        }
        assertThat(count("demo-mariadb-new")).as("the backup's rows are there").isPositive();
        // asking again for an instance that exists is refused before anything runs
        Run again = awaitEnd(service.onRequest(request("mariadb_provision", "dba1", Map.of("instance", "demo-mariadb-new", "port",
                Integer.toString(port), "business_line", "demo", "cluster", "demo-new"), false)).id(), Duration.ofSeconds(180));
        assertThat(again.state()).isEqualTo(RunState.FAILED);
        assertThat(again.message()).contains("exists already");
        stopProvisioned("demo-mariadb-new");
    }

    @Test
    @Order(9)
    void aNewReplicaIsSeededFromThePhysicalBackupAndCatchesUp() throws Exception {
        int port = stack.config().port("mariadb-3") + 60;
        Run run = awaitEnd(service.onRequest(request("mariadb_provision", "dba1", Map.of("instance", "demo-mariadb-4", "port",
                Integer.toString(port), "business_line", "demo", "replica_of", "demo-mariadb-1"), false)).id(), Duration.ofSeconds(240));
        List<String> log = store.log(run.id(), 0).stream().map(RunStore.LogRow::message).filter(java.util.Objects::nonNull).toList();
        assertThat(run.state()).as(run.message() + "\n" + String.join("\n", log)).isEqualTo(RunState.SUCCEEDED);
        assertThat(log).anyMatch(l -> l.startsWith("data from backup") && l.contains("physical"))
                .anyMatch(l -> l.startsWith("changed ") && l.contains("data from a physical backup"));
        InventoryInstance i = db.inventory().instance("demo-mariadb-4");
        assertThat(i.role()).isEqualTo("replica");
        assertThat(i.cluster()).isEqualTo(CLUSTER);
        assertThat(i.status()).isEqualTo("active");
        assertThat(replicaOfPort("demo-mariadb-4")).isEqualTo(port("demo-mariadb-1"));
        assertThat(variable("demo-mariadb-4", "read_only")).isEqualTo("1");
        // the placement was recorded: the heuristic (no model yet) kept it off the server that holds the set
        PlacementHistory.Row decision = placements().forInstance("demo-mariadb-4");
        assertThat(decision).isNotNull();
        assertThat(decision.chosenBy()).isEqualTo("heuristic");
        assertThat(decision.chosen()).isEqualTo(i.server()).isNotEqualTo(db.inventory().instance("demo-mariadb-1").server());
        assertThat(log).anyMatch(l -> l.contains("not feasible, already holds a member of " + CLUSTER));
        // an incident on the new replica counts against its placement, once however often it is delivered
        Alarm probe = alarm("demo-mariadb-4", "placement_probe");
        Incident inc = new Incident(1, Instant.now(), "inc-" + UUID.randomUUID(), IncidentStatus.OPEN, "placement_probe", probe.summary(),
                Severity.WARNING, probe.id(), List.of(probe.id()), List.of(probe.instance()), List.of(probe.host()), List.of("demo"), Map.of(),
                Instant.now(), null);
        service.onIncident(inc);
        service.onIncident(inc);
        assertThat(placements().forInstance("demo-mariadb-4").incidents30d()).isEqualTo(1);
        long before = System.currentTimeMillis();
        String pos = variable("demo-mariadb-1", "gtid_binlog_pos");
        try (Connection c = admin("demo-mariadb-4"); var ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, 30)")) {
            ps.setString(1, pos);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            // every write the application had acknowledged by then is on the new replica
            assertThat(writer.lost(WriteProbe.ids(c, "demo.writes"), before)).isEmpty();
        }
        // out of the set again, so the failover tests see the replicas they expect
        stopProvisioned("demo-mariadb-4");
    }

    @Test
    @Order(11)
    void aPlannedSwitchoverUnderWritesLosesNothing() throws Exception {
        startWriter();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() > 200);
        writer.resetGap();
        Run run = service.onRequest(request("mariadb_switchover", "dba1", Map.of("candidate", "demo-mariadb-2"), false));
        Run done = awaitEnd(run.id());
        assertThat(done.state()).as(done.message()).isEqualTo(RunState.SUCCEEDED);
        long after = writer.acknowledged();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() > after + 200);
        System.out.println("ActionsIT: switchover blocked writes for " + writer.longestGapMs() + " ms");
        assertThat(writer.longestGapMs()).as("writes blocked").isLessThan(5000);
        assertThat(role("demo-mariadb-2")).isEqualTo("primary");
        assertThat(role("demo-mariadb-1")).isEqualTo("replica");
        assertThat(replicaOfPort("demo-mariadb-1")).isEqualTo(port("demo-mariadb-2"));
        assertThat(replicaOfPort("demo-mariadb-3")).isEqualTo(port("demo-mariadb-2"));
        assertThat(lostOn("demo-mariadb-2")).as("acknowledged writes missing on the new primary").isEmpty();
        TopologyChange t = lastTopology();
        assertThat(t.kind()).isEqualTo("switchover");
        assertThat(t.primary().id()).isEqualTo("demo-mariadb-2");
        store.unblock(CLUSTER); // the next test fails over on purpose
    }

    @Test
    @Order(12)
    void aFailoverSurvivesAServiceCrashAndRunsEachStepOnce() throws Exception {
        service.close(); // only the service processes execute runs in this test
        try {
            failoverWithCrash();
        } finally {
            service = inProcessService();
        }
    }

    private void failoverWithCrash() throws Exception {
        Path config = serviceConfig();
        Process first = startService(config, "first");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(work.resolve("action-service-it.health")));
            ProcessHandle.of(pid("mariadb-2")).orElseThrow().destroyForcibly();
            Alarm down = alarm("demo-mariadb-2", "mysql_down");
            Incident incident = incident(down);
            publish(down, incident);
            Run run = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.byDedupeKey(
                    "incident:" + incident.id() + ":mariadb_failover:" + CLUSTER).orElse(null), r -> r != null);
            // let it get past the promotion's preparation, then kill the service in the middle of the run
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.steps(run.id()).stream()
                    .anyMatch(s -> s.index() == 3 && s.state() == RunState.RUNNING) || store.steps(run.id()).size() > 3);
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            List<StepRecord> beforeCrash = store.steps(run.id());
            System.out.println("ActionsIT: killed the service with " + beforeCrash.size() + " steps recorded");
            Process second = startService(config, "second");
            try {
                Run done = awaitEnd(run.id(), Duration.ofSeconds(90));
                assertThat(done.state()).as(done.message()).isEqualTo(RunState.SUCCEEDED);
                for (StepRecord s : beforeCrash) {
                    if (s.state() == RunState.SUCCEEDED) {
                        StepRecord after = store.steps(run.id()).get(s.index());
                        assertThat(after.attempts()).as("step %s completed before the crash ran again", s.name()).isEqualTo(s.attempts());
                    }
                }
                assertThat(store.log(run.id(), 0)).anyMatch(l -> l.message() != null && l.message().startsWith("resumed by"));
                String promoted = done.facts().get("candidate");
                assertThat(promoted).isIn("demo-mariadb-1", "demo-mariadb-3");
                String other = promoted.equals("demo-mariadb-1") ? "demo-mariadb-3" : "demo-mariadb-1";
                assertThat(role(promoted)).isEqualTo("primary");
                assertThat(status("demo-mariadb-2")).isEqualTo("fenced");
                assertThat(variable(promoted, "read_only")).isEqualTo("0");
                assertThat(replicaOfPort(other)).isEqualTo(port(promoted));
                long after = writer.acknowledged();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged() > after + 100);
                // semi-synchronous replication (AFTER_SYNC) and the most advanced candidate: nothing acknowledged is lost
                List<Long> lost = lostOn(promoted);
                System.out.println("ActionsIT: failover lost " + lost.size() + " acknowledged writes " + lost);
                assertThat(lost).isEmpty();
                assertThat(lastTopology().primary().id()).isEqualTo(promoted);
                // events on dbops.actions.events: every one of the run log, the ones the crash left unsent published
                // again by the relay (consumers dedupe by seq), and free of secrets
                long logged = store.log(run.id(), 0).size();
                List<ActionEvent> evs = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> actionEvents(run.id()),
                        l -> l.stream().map(ActionEvent::seq).distinct().count() == logged);
                assertThat(evs.stream().map(ActionEvent::seq).distinct().sorted().toList())
                        .isEqualTo(java.util.stream.LongStream.range(0, logged).boxed().toList());
                assertThat(evs.toString()).doesNotContain(secrets.getProperty("fleet.mariadb.repl.password"))
                        .doesNotContain(secrets.getProperty("fleet.mariadb.admin.password"));
                // the same incident delivered again (and handled: the service counts it) starts nothing
                long handledBefore = handled();
                publish(down, incident);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled() > handledBefore);
                assertThat(runsOf(incident.id())).isEqualTo(1);
                // a second failover of the cluster, from a new incident, is refused by the anti-flap block
                Alarm again = alarm(promoted, "mysql_down");
                Incident second2 = incident(again);
                publish(again, second2);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !store.refusals(second2.id()).isEmpty());
                assertThat(store.refusals(second2.id()).get(0)).contains("anti-flapping").contains("./dbops actions unblock " + CLUSTER);
                assertThat(runsOf(second2.id())).isZero();
            } finally {
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    @Order(13)
    void aFormerPrimaryWithErrantTransactionsIsRefusedRejoin() throws Exception {
        stack.up(); // restarts the killed server; the inventory keeps it fenced
        try (Connection c = admin("demo-mariadb-2"); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_log_bin = 1");
            st.execute("INSERT INTO demo.writes VALUES (-1, NOW(6))"); // written while fenced: never replicated anywhere
        }
        String pos = variable("demo-mariadb-2", "gtid_binlog_pos");
        Run run = service.onRequest(request("mariadb_rejoin", "dba1", Map.of("instance", "demo-mariadb-2"), false));
        Run done = awaitEnd(run.id());
        assertThat(done.state()).isEqualTo(RunState.FAILED);
        assertThat(done.message()).contains("errant transactions").contains(pos.substring(pos.lastIndexOf('-') + 1));
        assertThat(status("demo-mariadb-2")).isEqualTo("fenced");
        assertThat(replicaStatusConfigured("demo-mariadb-2")).isFalse();

        // a fenced server with nothing of its own rejoins: the remaining replica, cut off and fenced by hand
        String primary = db.inventory().cluster(CLUSTER).stream().filter(x -> x.role().equals("primary")).findFirst().orElseThrow().id();
        String other = primary.equals("demo-mariadb-1") ? "demo-mariadb-3" : "demo-mariadb-1";
        try (Connection c = admin(other); Statement st = c.createStatement()) {
            st.execute("STOP SLAVE");
            st.execute("RESET SLAVE ALL");
        }
        db.inventory().setRoleAndStatus(other, "replica", "fenced");
        Run clean = awaitEnd(service.onRequest(request("mariadb_rejoin", "dba1", Map.of("instance", other), false)).id());
        assertThat(clean.state()).as(clean.message()).isEqualTo(RunState.SUCCEEDED);
        assertThat(status(other)).isEqualTo("active");
        assertThat(replicaOfPort(other)).isEqualTo(port(primary));
        assertThat(variable(other, "read_only")).isEqualTo("1");
    }

    @Test
    @Order(21)
    void anIncidentWaitsForAlarmsItsReaderHasNotReadYet() throws Exception {
        Alarm late = alarm("demo-mariadb-1", "threads_running_high");
        Incident incident = incident(late);
        service.alarmReader(true); // an alarm reader is there and behind (a broker failed over, or the service just started)
        Thread reader = new Thread(() -> {
            try {
                Thread.sleep(4000); // longer than the wait there is without a reader
                service.onAlarm(late);
                service.alarmsReadUpTo(System.currentTimeMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            reader.start();
            // kill_query on this cluster may be over its rate limit by now: a refusal shows the rule fired just as well
            int fired = service.onIncident(incident).size() + store.refusals(incident.id()).size();
            assertThat(fired).as("the late alarm's rule fired (a run, or the rate limit's refusal)").isEqualTo(1);
            // an alarm the caught-up reader never saw: evaluated without it
            Incident unseen = incident(alarm("demo-mariadb-1", "threads_running_high"));
            service.alarmsReadUpTo(System.currentTimeMillis() + 1000); // caught up as of after it comes
            assertThat(service.onIncident(unseen)).isEmpty();
            assertThat(store.refusals(unseen.id())).isEmpty();
        } finally {
            reader.join();
            service.alarmReader(false); // the other tests feed alarms by hand
        }
    }

    @Test
    @Order(20)
    void theKillSwitchAndMaintenanceWindowsStopAutomationButNotDryRuns() throws Exception {
        Alarm down = alarm("demo-redis-2", "redis_down");
        service.onAlarm(down);
        store.setSwitch("kill_switch", "on", "dba1");
        try {
            Incident first = incident(down);
            assertThat(service.onIncident(first)).isEmpty();
            assertThat(store.refusals(first.id())).singleElement().asString().contains("kill switch").contains("dba1");
            Run refused = service.onRequest(request("kill_query", "dba1", Map.of("instance", "demo-mariadb-1"), false));
            assertThat(refused.state()).as("the requester sees the refusal on the run").isEqualTo(RunState.BLOCKED);
            assertThat(refused.message()).contains("kill switch");
            assertThat(store.steps(refused.id())).isEmpty();
            Run dry = awaitEnd(service.onRequest(request("kill_query", "dba1", Map.of("instance", "demo-mariadb-1"), true)).id());
            assertThat(dry.state()).as("a dry run passes the kill switch").isEqualTo(RunState.SUCCEEDED);
        } finally {
            store.setSwitch("kill_switch", "off", "dba1");
        }
        store.addMaintenance(null, StackConfig.REDIS_MASTER_NAME, null, Instant.now().minusSeconds(1), Instant.now().plusSeconds(600),
                "memory upgrade", "dba1");
        Incident second = incident(down);
        assertThat(service.onIncident(second)).isEmpty();
        assertThat(store.refusals(second.id())).singleElement().asString().contains("maintenance window").contains("memory upgrade");
    }

    @Test
    @Order(14)
    void aRedisMasterKilledIsRecordedAfterTheSentinelsPromote() throws Exception {
        ProcessHandle.of(pid("redis-1")).orElseThrow().destroyForcibly();
        long killed = System.currentTimeMillis();
        Alarm down = alarm("demo-redis-1", "redis_down");
        Incident incident = incident(down);
        service.onAlarm(down);
        List<Run> runs = service.onIncident(incident);
        assertThat(runs).hasSize(1);
        Run done = awaitEnd(runs.get(0).id(), Duration.ofSeconds(90));
        assertThat(done.state()).as(done.message()).isEqualTo(RunState.SUCCEEDED);
        System.out.println("ActionsIT: Redis failover recorded " + (System.currentTimeMillis() - killed) + " ms after kill -9");
        assertThat(role("demo-redis-2")).isEqualTo("primary");
        try (var j = new redis.clients.jedis.Jedis("127.0.0.1", stack.config().port("redis-2"))) {
            assertThat(j.set("after-failover", "1")).isEqualTo("OK");
        }
    }

    @Test
    @Order(16)
    void aRedisReplicaIsProvisionedThroughAnsibleAndSyncsFromTheMaster() throws Exception {
        String master = db.inventory().cluster(StackConfig.REDIS_MASTER_NAME).stream().filter(i -> i.role().equals("primary"))
                .map(InventoryInstance::id).findFirst().orElseThrow();
        int port = stack.config().port("redis-2") + 70;
        try (var j = new redis.clients.jedis.Jedis("127.0.0.1", db.inventory().instance(master).port())) {
            j.set("before-provisioning", "1");
        }
        Run run = awaitEnd(service.onRequest(request("redis_provision", "dba1", Map.of("instance", "demo-redis-new", "port",
                Integer.toString(port), "business_line", "demo", "replica_of", master), false)).id(), Duration.ofSeconds(120));
        List<String> log = store.log(run.id(), 0).stream().map(RunStore.LogRow::message).filter(java.util.Objects::nonNull).toList();
        assertThat(run.state()).as(run.message() + "\n" + String.join("\n", log)).isEqualTo(RunState.SUCCEEDED);
        InventoryInstance i = db.inventory().instance("demo-redis-new");
        assertThat(i.role()).isEqualTo("replica");
        assertThat(i.cluster()).isEqualTo(StackConfig.REDIS_MASTER_NAME);
        assertThat(i.status()).isEqualTo("active");
        try (var j = new redis.clients.jedis.Jedis("127.0.0.1", port)) {
            assertThat(j.info("replication")).contains("role:slave").contains("master_link_status:up");
            assertThat(j.get("before-provisioning")).isEqualTo("1"); // the full sync brought the master's data
        }
        stopProvisioned("demo-redis-new");
    }

    @Test
    @Order(17)
    void aMongoPrimaryStepsDownThroughTheWireStandIn() throws Exception {
        // no mongod can be installed here: a wire-level stand-in answers like a replica set primary
        java.util.concurrent.atomic.AtomicBoolean primary = new java.util.concurrent.atomic.AtomicBoolean(true);
        de.bwaldvogel.mongo.MongoServer mongo = new de.bwaldvogel.mongo.MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend() {
            @Override
            public de.bwaldvogel.mongo.bson.Document handleCommand(io.netty.channel.Channel channel, String database, String command,
                                                                  de.bwaldvogel.mongo.bson.Document query) {
                if (command.equalsIgnoreCase("hello") || command.equalsIgnoreCase("isMaster")) {
                    // the stand-in knows isMaster; hello is the same answer under its current name
                    de.bwaldvogel.mongo.bson.Document d = super.handleCommand(channel, database, "isMaster", query);
                    d.put("isWritablePrimary", primary.get());
                    d.put("ismaster", primary.get());
                    d.put("setName", "rs0");
                    return d;
                }
                if (command.equals("replSetStepDown")) {
                    primary.set(false);
                    de.bwaldvogel.mongo.bson.Document ok = new de.bwaldvogel.mongo.bson.Document();
                    ok.put("ok", 1.0);
                    return ok;
                }
                return super.handleCommand(channel, database, command, query);
            }
        });
        try {
            mongo.bind("127.0.0.1", 0);
            var address = mongo.getLocalAddress();
            String server = db.inventory().servers().get(0).name();
            db.inventory().upsertInstance(new InventoryInstance("demo-mongo-1", io.dbops.events.Engine.MONGO, null, server, address.getPort(),
                    "primary", "demo", null, "active", null, true));
            Run run = awaitEnd(service.onRequest(request("mongo_step_down", "dba1", Map.of("instance", "demo-mongo-1", "seconds", "30"),
                    false)).id());
            assertThat(run.state()).as(run.message()).isEqualTo(RunState.SUCCEEDED);
            assertThat(primary.get()).as("replSetStepDown reached the server").isFalse();
            Run again = awaitEnd(service.onRequest(request("mongo_step_down", "dba1", Map.of("instance", "demo-mongo-1"), false)).id());
            assertThat(again.state()).isEqualTo(RunState.FAILED);
            assertThat(again.message()).contains("is not the primary");
        } finally {
            mongo.shutdownNow();
            db.inventory().setRoleAndStatus("demo-mongo-1", "primary", "decommissioned");
        }
    }

    @Test
    @Order(18)
    void aWebhookIsNotified() throws Exception {
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
            Run run = awaitEnd(service.onRequest(request("notify", "dba1", Map.of("url", url, "message", "disk 91% on demo-mariadb-1"), false)).id());
            assertThat(run.state()).as(run.message()).isEqualTo(RunState.SUCCEEDED);
            String body = received.poll(5, TimeUnit.SECONDS);
            assertThat(body).contains("\"text\":\"disk 91% on demo-mariadb-1\"").contains(run.id());
        } finally {
            http.stop(0);
        }
    }

    @Test
    @Order(19)
    void aRedisSetWithoutSentinelsIsFailedOverByDirectPromotion() throws Exception {
        int base = stack.config().port("redis-2") + 80;
        String named = db.inventory().servers().get(db.inventory().servers().size() - 1).name();
        Run m = awaitEnd(service.onRequest(request("redis_provision", "dba1", Map.of("instance", "plain-redis-1", "port", Integer.toString(base),
                "business_line", "demo", "cluster", "plain-redis", "server", named), false)).id(), Duration.ofSeconds(120));
        assertThat(m.state()).as(m.message()).isEqualTo(RunState.SUCCEEDED);
        // naming the server is a DBA's decision, recorded beside what the ranking proposed
        PlacementHistory.Row decision = placements().forInstance("plain-redis-1");
        assertThat(decision.chosenBy()).isEqualTo("dba");
        assertThat(decision.chosen()).isEqualTo(named);
        assertThat(decision.proposed()).isNotNull();
        Run r = awaitEnd(service.onRequest(request("redis_provision", "dba1", Map.of("instance", "plain-redis-2", "port",
                Integer.toString(base + 1), "business_line", "demo", "replica_of", "plain-redis-1"), false)).id(), Duration.ofSeconds(120));
        assertThat(r.state()).as(r.message()).isEqualTo(RunState.SUCCEEDED);
        // a server that breaks a hard rule is refused even when named: nothing is registered or started
        // (filed against the set, so the rate limit of set-less provisioning requests does not apply)
        Run refused = awaitEnd(service.onRequest(new ActionRequest(1, Instant.now(), "req-" + UUID.randomUUID(), "redis_provision", "dba1", "demo",
                null, "plain-redis", null, "redis_provision", Map.of("instance", "plain-redis-x", "port", Integer.toString(base + 3),
                "business_line", "demo", "replica_of", "plain-redis-1", "server", named), false, "integration test")).id());
        assertThat(refused.state()).isEqualTo(RunState.FAILED);
        assertThat(refused.message()).contains("server " + named + " cannot take plain-redis-x: already holds a member of plain-redis");
        assertThat(db.inventory().instance("plain-redis-x")).isNull();
        try (var j = new redis.clients.jedis.Jedis("127.0.0.1", base)) {
            j.set("before-failover", "kept");
            j.waitReplicas(1, 2000);
        }
        stopProvisioned("plain-redis-1");
        db.inventory().setRoleAndStatus("plain-redis-1", "primary", "active"); // the inventory still believes in it, as after a crash
        Run fo = awaitEnd(service.onRequest(request("redis_failover", "dba1", Map.of("master", "plain-redis-1"), false)).id(), Duration.ofSeconds(60));
        assertThat(fo.state()).as(fo.message()).isEqualTo(RunState.SUCCEEDED);
        assertThat(fo.facts()).containsEntry("new_master", "plain-redis-2");
        try (var j = new redis.clients.jedis.Jedis("127.0.0.1", base + 1)) {
            assertThat(j.info("replication")).contains("role:master");
            assertThat(j.get("before-failover")).isEqualTo("kept");
            assertThat(j.set("after", "1")).isEqualTo("OK");
        }
        assertThat(role("plain-redis-2")).isEqualTo("primary");
        stopProvisioned("plain-redis-2");
    }

    // ---- helpers

    private void startWriter() {
        if (writer == null) {
            writer = new WriteProbe(WriteProbe.sql(() -> app(db.inventory().cluster(CLUSTER).stream().filter(i -> i.role().equals("primary"))
                    .map(InventoryInstance::id).findFirst().orElseThrow()), "demo.writes"));
            writer.start();
        }
    }

    /** Stops a server a test provisioned and takes it out of the inventory. */
    private void stopProvisioned(String id) throws Exception {
        InventoryInstance i = db.inventory().instance(id);
        Path pid = work.resolve("instances").resolve(id).resolve(i.engine() == io.dbops.events.Engine.REDIS ? "redis.pid" : "mariadbd.pid");
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
        db.inventory().setRoleAndStatus(id, i.role(), "decommissioned");
    }

    private long count(String instance) throws SQLException {
        try (Connection c = admin(instance); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM demo.writes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private BackupCatalog catalog() {
        return new BackupCatalog(db.dataSource());
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private Run awaitEnd(String id) {
        return awaitEnd(id, Duration.ofSeconds(60));
    }

    private Run awaitEnd(String id, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> store.run(id).orElseThrow(),
                r -> RunStore.isTerminal(r.state()));
    }

    private PlacementHistory placements() {
        return new PlacementHistory(db.dataSource());
    }

    static ActionRequest request(String playbook, String user, Map<String, String> params, boolean dryRun) {
        return new ActionRequest(1, Instant.now(), "req-" + UUID.randomUUID(), playbook, user, "demo", null, null, null, playbook, params,
                dryRun, "integration test");
    }

    private Alarm alarm(String instance, String type) throws SQLException {
        InventoryInstance i = db.inventory().instance(instance);
        return new Alarm(1, Instant.now(), "alarm-" + UUID.randomUUID(), AlarmStatus.FIRING, type, Severity.CRITICAL, i.ref(), i.server(),
                type, instance + " does not answer", 0.0, null, Map.of(), Instant.now(), null);
    }

    static Incident incident(Alarm a) {
        return new Incident(1, Instant.now(), "inc-" + UUID.randomUUID(), IncidentStatus.OPEN, "instance_down", a.summary(), Severity.CRITICAL,
                a.id(), List.of(a.id()), List.of(a.instance()), List.of(a.host()), List.of("demo"), Map.of(), Instant.now(), null);
    }

    private void publish(Alarm a, Incident i) throws Exception {
        producer.send(new ProducerRecord<>(Topic.ALARMS.topicName(), a.instance().id(), EventCodec.toBytes(a))).get();
        producer.send(new ProducerRecord<>(Topic.INCIDENTS.topicName(), i.id(), EventCodec.toBytes(i))).get();
    }

    private int runsOf(String incidentId) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM action_runs WHERE incident_id = '" + incidentId + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Triggers the service process has handled, from its health file. */
    private long handled() throws Exception {
        Path h = work.resolve("action-service-it.health");
        if (!Files.exists(h)) {
            return -1;
        }
        var m = java.util.regex.Pattern.compile("triggers=(\\d+)").matcher(Files.readString(h));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private Path serviceConfig() throws Exception {
        Map<String, String> m = stack.metadataConnection();
        Path config = work.resolve("action-service-it.properties");
        Files.writeString(config, "kafka.bootstrap=" + stack.kafkaBootstrap() + "\nmetadata.url=" + m.get("url") + "\nmetadata.user="
                + m.get("user") + "\nmetadata.password.secret=metadata.password\nsecrets.file=" + work.resolve("secrets.properties")
                + "\nworkers=1\nlease.ms=3000\nstep.delay.ms=1200\nworker.id=it-process\nbackup.dir=" + work.resolve("backups")
                + "\nhealth.file=" + work.resolve("action-service-it.health") + "\n");
        return config;
    }

    private Process startService(Path config, String name) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ActionServiceMain.class.getName(), config.toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target", "action-service-it-" + name + ".log").toFile()).start();
    }

    private long pid(String component) {
        return stack.status().stream().filter(s -> s.name().equals(component)).findFirst().orElseThrow().pid();
    }

    private TopologyChange lastTopology() {
        List<TopologyChange> all = new ArrayList<>();
        read(Topic.TOPOLOGY.topicName(), bytes -> all.add(EventCodec.fromBytes(bytes, TopologyChange.class)));
        return all.get(all.size() - 1);
    }

    private List<ActionEvent> actionEvents(String runId) {
        List<ActionEvent> out = new ArrayList<>();
        read(Topic.ACTION_EVENTS.topicName(), bytes -> {
            ActionEvent e = EventCodec.fromBytes(bytes, ActionEvent.class);
            if (e.runId().equals(runId)) {
                out.add(e);
            }
        });
        out.sort(java.util.Comparator.comparingLong(ActionEvent::seq));
        return out;
    }

    private void read(String topic, java.util.function.Consumer<byte[]> sink) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long idleSince = System.currentTimeMillis();
            boolean any = false;
            while (System.currentTimeMillis() - idleSince < (any ? 1500 : 8000)) {
                var records = consumer.poll(Duration.ofMillis(300));
                for (var r : records) {
                    sink.accept(r.value());
                    any = true;
                    idleSince = System.currentTimeMillis();
                }
            }
        }
    }

    private Connection admin(String instance) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port(instance) + "/?connectTimeout=2000", "dbops_admin",
                secrets.getProperty("fleet.mariadb.admin.password"));
    }

    private Connection app(String instance) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port(instance) + "/demo?connectTimeout=1000&socketTimeout=5000",
                "dbops_app", APP_PASSWORD);
    }

    private int port(String instance) throws SQLException {
        return db.inventory().instance(instance).port();
    }

    private String role(String instance) throws SQLException {
        return db.inventory().instance(instance).role();
    }

    private String status(String instance) throws SQLException {
        return db.inventory().instance(instance).status();
    }

    private String variable(String instance, String name) throws SQLException {
        try (Connection c = admin(instance); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@" + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private int replicaOfPort(String instance) throws Exception {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            try (Connection c = admin(instance); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                return rs.next() && "Yes".equals(rs.getString("Slave_IO_Running")) ? rs.getInt("Master_Port") : -1;
            }
        }, p -> p > 0);
    }

    private List<Long> lostOn(String instance) throws SQLException {
        try (Connection c = admin(instance)) {
            long at = System.currentTimeMillis();
            return writer.lost(WriteProbe.ids(c, "demo.writes"), at);
        }
    }

    private boolean replicaStatusConfigured(String instance) throws SQLException {
        try (Connection c = admin(instance); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() && !"No".equals(rs.getString("Slave_IO_Running"));
        }
    }
}
