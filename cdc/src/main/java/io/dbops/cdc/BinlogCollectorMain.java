package io.dbops.cdc;

import io.dbops.collectors.KafkaProducers;
import io.dbops.collectors.ServiceConfig;
import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binlog collector: {@code java io.dbops.cdc.BinlogCollectorMain binlog-collector.properties}.
 * Captures the binlog of every active MariaDB primary in the inventory into {@code dbops.binlog},
 * one capture per replication set, re-reading the inventory every {@code refresh.ms}: a new set
 * is picked up, and when a set's primary moved (a failover or switchover recorded the new roles) the
 * capture moves to the new primary and resumes from the set's offsets by GTID. Keys: kafka.bootstrap,
 * metadata.url, metadata.user, metadata.password.secret, secrets.file, state.dir; optional
 * mariadb.user and mariadb.password.secret (an account with REPLICATION SLAVE, BINLOG MONITOR,
 * REPLICA MONITOR, SELECT, RELOAD, SHOW DATABASES, LOCK TABLES), server.id.base, refresh.ms,
 * health.file, capture.sets (comma-separated patterns of the sets to capture, {@code *} and
 * {@code ?}; default every set). A bad config lists every problem and exits 2.
 */
public final class BinlogCollectorMain {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogCollectorMain.class);
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "metadata.url", "metadata.user", "metadata.password.secret",
            "secrets.file", "state.dir");
    static final List<String> OPTIONAL = List.of("mariadb.user", "mariadb.password.secret", "server.id.base", "refresh.ms", "health.file",
            "capture.sets");

    private BinlogCollectorMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("binlog collector", args, REQUIRED, OPTIONAL, List.of("server.id.base", "refresh.ms"));
        Properties secrets = config.secrets();
        String user = config.get("mariadb.user") == null ? "dbops_admin" : config.get("mariadb.user");
        String secretKey = config.get("mariadb.password.secret") == null ? "fleet.mariadb.admin.password" : config.get("mariadb.password.secret");
        String password = secrets.getProperty(secretKey);
        if (password == null) {
            System.err.println("binlog collector: secret '" + secretKey + "' not in " + config.get("secrets.file"));
            System.exit(2);
        }
        Path state = Path.of(config.get("state.dir"));
        long serverIdBase = config.number("server.id.base", 54_000);
        long refresh = config.number("refresh.ms", 30_000);
        String sets = config.get("capture.sets") == null ? "*" : config.get("capture.sets");
        Path health = config.healthFile();
        Map<String, BinlogCapture> captures = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        try (MetadataDb db = config.metadataOrExit(); KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(config.get("kafka.bootstrap"))) {
            db.migrate();
            KafkaBinlogSink sink = new KafkaBinlogSink(producer);
            CaptureAlarms alarms = new CaptureAlarms(a -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    io.dbops.events.Topic.ALARMS.topicName(), a.instance().id(), io.dbops.events.EventCodec.toBytes(a))).get());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> captures.values().forEach(BinlogCollectorMain::closeQuietly)));
            long next = 0;
            while (true) {
                if (System.currentTimeMillis() >= next) {
                    next = System.currentTimeMillis() + refresh;
                    reconcile(db, sets, captures, problems, sink, state, user, password, serverIdBase, alarms);
                }
                if (health != null) {
                    long published = captures.values().stream().mapToLong(BinlogCapture::published).sum();
                    Files.writeString(health, Instant.now() + " sets=" + captures.size() + " published=" + published
                            + (problems.isEmpty() ? "" : " problems=" + problems) + "\n");
                }
                Thread.sleep(1000);
            }
        }
    }

    /** One capture per replication set on its current primary; moves, starts and restarts captures as the inventory says. */
    static void reconcile(MetadataDb db, String sets, Map<String, BinlogCapture> captures, Map<String, String> problems, BinlogCapture.Sink sink, Path state,
                          String user, String password, long serverIdBase, CaptureAlarms alarms) {
        try {
            Map<String, String> addresses = db.inventory().serverAddresses();
            Map<String, InventoryInstance> primaries = new LinkedHashMap<>();
            for (InventoryInstance i : db.inventory().instances()) {
                if (i.engine() == Engine.MARIADB && "active".equals(i.status()) && ("primary".equals(i.role()) || "standalone".equals(i.role()))) {
                    String set = i.cluster() == null ? i.id() : i.cluster();
                    if (io.dbops.events.Glob.anyMatches(sets, set)) {
                        primaries.put(set, i);
                    }
                }
            }
            for (String set : new ArrayList<>(captures.keySet())) {
                BinlogCapture c = captures.get(set);
                InventoryInstance p = primaries.get(set);
                boolean moved = p == null || !p.id().equals(c.target().instance().id());
                if (c.failure() != null) {
                    alarms.failed(set, c.target().instance(), c.failure());
                }
                if (moved || c.failure() != null) {
                    LOG.info("capture of {} on {} stops: {}", set, c.target().instance().id(),
                            p == null ? "no active primary" : moved ? "the primary is now " + p.id() : "it failed: " + c.failure());
                    closeQuietly(c);
                    captures.remove(set);
                }
            }
            for (var e : captures.entrySet()) {
                if (e.getValue().published() > 0) {
                    alarms.recovered(e.getKey(), e.getValue().target().instance());
                }
            }
            for (var e : primaries.entrySet()) {
                if (captures.containsKey(e.getKey())) {
                    continue;
                }
                InventoryInstance p = e.getValue();
                String host = addresses.getOrDefault(p.server(), p.server());
                BinlogCapture c = new BinlogCapture(new BinlogCapture.Target(p.ref(), host, p.port(), user, password,
                        serverIdBase + Math.floorMod(e.getKey().hashCode(), 1000)), state.resolve(e.getKey()), sink);
                try {
                    c.start();
                    captures.put(e.getKey(), c);
                    problems.remove(e.getKey());
                } catch (Exception ex) {
                    problems.put(e.getKey(), ex.getMessage());
                    LOG.error("cannot capture {} on {}: {}", e.getKey(), p.id(), ex.getMessage());
                    alarms.failed(e.getKey(), p.ref(), ex.getMessage());
                    closeQuietly(c);
                }
            }
        } catch (Exception e) {
            LOG.warn("cannot read the inventory (tried again): {}", e.toString());
        }
    }

    private static void closeQuietly(BinlogCapture c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing the capture of {}: {}", c.target().instance().id(), e.toString());
        }
    }
}
