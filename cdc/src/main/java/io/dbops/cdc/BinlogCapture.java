package io.dbops.cdc;

import io.dbops.events.BinlogChange;
import io.dbops.events.InstanceRef;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.embedded.Connect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one primary's binlog with the Debezium embedded engine (the MariaDB connector for
 * MariaDB, never the MySQL one: it loses events after a restart there) and hands each batch of
 * changes to a {@link Sink}; the batch's offsets are committed only after the sink returned, so a
 * crash re-sends at most the unacknowledged batches (at-least-once; consumers dedupe on
 * replication set, gtid, eventIndex, rowIndex).
 *
 * <p>State lives in {@code stateDir}: {@code offsets.dat} (the binlog position with its GTID set)
 * and {@code schema-history.dat} (the DDL history the connector replays to know each table's
 * columns). One directory per replication set, not per server: after a failover the capture of
 * the new primary continues by GTID right after the last transaction recorded (the new primary's
 * binlog holds the old primary's transactions under their own GTIDs; see {@link GtidStateDriver}).
 */
public final class BinlogCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogCapture.class);

    /** Where to read from. {@code serverId} must be unique among the server's replicas. */
    public record Target(InstanceRef instance, String host, int port, String user, String password, long serverId) {
    }

    /** Takes a batch of changes; returns only once they are durable (e.g. acknowledged by Kafka). */
    public interface Sink {
        void publish(List<BinlogChange> batch) throws Exception;
    }

    private final Target target;
    private final Path stateDir;
    private final Sink sink;
    private final AtomicLong published = new AtomicLong();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "binlog-capture");
        t.setDaemon(true);
        return t;
    });
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile boolean closing;
    private volatile String failure;

    public BinlogCapture(Target target, Path stateDir, Sink sink) {
        this.target = target;
        this.stateDir = stateDir;
        this.sink = sink;
    }

    /**
     * What must be fixed on the server before capture can work: binlog off, a format other than
     * ROW, a row image other than FULL (before images would be partial: no flashback, no audit of
     * what changed). Empty when the server is ready.
     */
    public static List<String> problems(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            if (!version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
                // the flavour from the server itself, not the driver: the MariaDB connector loses events on MySQL after a restart
                out.add("this is MySQL " + version + ": capturing MySQL needs Debezium's MySQL connector, which this build does not "
                        + "include; the MariaDB connector is never used on MySQL");
                return out;
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image")) {
            rs.next();
            if (rs.getInt(1) != 1) {
                out.add("the binary log is off: start the server with log_bin");
            }
            if (!"ROW".equalsIgnoreCase(rs.getString(2))) {
                out.add("binlog_format is " + rs.getString(2) + ": row changes need binlog_format=ROW (SET GLOBAL binlog_format=ROW and my.cnf)");
            }
            if (!"FULL".equalsIgnoreCase(rs.getString(3))) {
                out.add("binlog_row_image is " + rs.getString(3) + ": before images are partial, flashback and change audit need "
                        + "binlog_row_image=FULL");
            }
        }
        java.util.Set<String> granted = new java.util.HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
                + "WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')")) {
            while (rs.next()) {
                granted.add(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String needed : List.of("REPLICATION SLAVE", "BINLOG MONITOR", "SELECT", "RELOAD", "SHOW DATABASES")) {
            if (!granted.contains(needed) && !granted.contains("SUPER")) {
                missing.add(needed);
            }
        }
        if (!missing.isEmpty()) {
            out.add("the capture account lacks " + String.join(", ", missing) + ": GRANT " + String.join(", ", missing)
                    + " ON *.* TO the account (it also needs REPLICA MONITOR and LOCK TABLES)");
        }
        return out;
    }

    public void start() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + target.host() + ":" + target.port() + "/", target.user(),
                target.password())) {
            List<String> problems = problems(c);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot capture " + target.instance().id() + ": " + String.join("; ", problems));
            }
        }
        Files.createDirectories(stateDir);
        GtidStateDriver.install();
        engine = DebeziumEngine.create(io.debezium.engine.format.ChangeEventFormat.of(Connect.class)).using(properties()).notifying(this::handleBatch)
                .using((success, message, error) -> {
                    if (!success && !closing) {
                        failure = explain(message + (error == null ? "" : ": " + error));
                        LOG.error("capture of {} stopped: {}", target.instance().id(), failure);
                    }
                }).build();
        runner.execute(engine);
        LOG.info("capturing the binlog of {} ({}:{}), state in {}", target.instance().id(), target.host(), target.port(), stateDir);
    }

    Properties properties() {
        Properties p = new Properties();
        // the offsets are stored under the connector's name: it names the set (the state folder), not the server
        p.setProperty("name", connectorName());
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        // written so that a kill -9 leaves the old or the new position, never a damaged file (see DurableOffsetStore)
        p.setProperty("offset.storage", DurableOffsetStore.class.getName());
        p.setProperty(DurableOffsetStore.FILE, stateDir.resolve("offsets.dat").toString());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", stateDir.resolve("schema-history.dat").toString());
        p.setProperty("database.hostname", target.host());
        p.setProperty("database.port", String.valueOf(target.port()));
        p.setProperty("database.user", target.user());
        p.setProperty("database.password", target.password());
        p.setProperty("database.server.id", String.valueOf(target.serverId()));
        p.setProperty("database.ssl.mode", "disable");
        p.setProperty("topic.prefix", "dbops");
        p.setProperty("include.schema.changes", "true");
        // no copy of existing rows: the audit starts at the current binlog position
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("binary.handling.mode", "base64");
        // temporal values keep their microseconds (the mapper writes them as ISO-8601 text)
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("max.batch.size", "4096");
        p.setProperty("poll.interval.ms", "50");
        return p;
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<BinlogChange> batch = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> r : records) {
            BinlogChange c = ChangeMapper.map(r.record(), target.instance());
            if (c != null) {
                batch.add(c);
            }
        }
        long backoff = 200;
        while (!batch.isEmpty()) {
            try {
                sink.publish(batch);
                published.addAndGet(batch.size());
                break;
            } catch (Exception e) {
                if (closing) {
                    throw new InterruptedException("closing with an unpublished batch (it is read again at the next start)");
                }
                LOG.warn("publishing {} changes of {} failed, retrying in {} ms: {}", batch.size(), target.instance().id(), backoff, e.toString());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
        for (RecordChangeEvent<SourceRecord> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();

    }

    /** A connector failure in words a DBA acts on; the connector's own text follows. */
    static String explain(String raw) {
        if (raw.contains("trying to read change stream starting at") || raw.contains("no longer available on the server")) {
            return "the set's recorded binlog position is not available on this server (its binlogs were purged, or it is a new "
                    + "primary the connector cannot continue on by GTID): changes after that position are not captured; " + raw;
        }
        return raw;
    }

    /** The connector's name, under which its offsets are recorded: it names the set (the state folder), not the server. */
    String connectorName() {
        return "dbops-" + stateDir.getFileName();
    }

    public long published() {
        return published.get();
    }

    /** Why the engine stopped by itself, or null while it runs. */
    public String failure() {
        return failure;
    }

    public Target target() {
        return target;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        if (engine != null) {
            engine.close();
        }
        runner.shutdown();
        runner.awaitTermination(30, TimeUnit.SECONDS);
    }
}
