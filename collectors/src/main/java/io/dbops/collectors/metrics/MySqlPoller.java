package io.dbops.collectors.metrics;

import io.dbops.events.MetricSample;
import io.dbops.sql.Fingerprinter;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * Polls a MySQL or MariaDB server with the monitor user: global status, key variables,
 * replication (MariaDB {@code SHOW ALL SLAVES STATUS}, MySQL {@code SHOW REPLICA STATUS}; the
 * flavour comes from {@code SELECT VERSION()}), InnoDB transactions and history length, a
 * processlist summary, and the data directory's disk when the server runs on this host.
 *
 * <p>Measurements: {@code mysql_status}, {@code mysql_variables}, {@code mysql_replication} (one
 * per channel, only on replicas), {@code mysql_innodb}, {@code mysql_processlist},
 * {@code mysql_disk}. Field lists: docs/metrics.md.
 */
public final class MySqlPoller implements Poller {
    private static final Executor ABORT = Runnable::run;
    private final MetricsTarget target;
    private final String user;
    private final String password;
    private final Timeouts timeouts;
    private final Fingerprinter fingerprinter;
    private final boolean local;
    private final Connections<Connection> connections = new Connections<>(this::connect, MySqlPoller::abort);
    private Boolean mariadb;
    private String version;
    /** When table sizes were last read: they change slowly and the query is not free on servers with many tables. */
    private Instant tablesReadAt = Instant.EPOCH;
    static final java.time.Duration TABLE_SIZE_INTERVAL = java.time.Duration.ofMinutes(5);
    static final int TABLE_SIZE_LIMIT = 500;

    public MySqlPoller(MetricsTarget target, String user, String password, Timeouts timeouts, Fingerprinter fingerprinter,
                       boolean local) {
        this.target = target;
        this.user = user;
        this.password = password;
        this.timeouts = timeouts;
        this.fingerprinter = fingerprinter;
        this.local = local;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Long.toString(timeouts.connect().toMillis()));
        p.setProperty("socketTimeout", Long.toString(timeouts.read().toMillis()));
        Connection c = DriverManager.getConnection("jdbc:mariadb://" + target.host() + ":" + target.port() + "/", p);
        c.setReadOnly(true);
        return c;
    }

    @Override
    public void ping() throws Exception {
        connections.live(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                return rs.next();
            }
        });
    }

    @Override
    public List<MetricSample> poll(Instant now) throws Exception {
        return connections.poll(c -> collect(c, now));
    }

    private List<MetricSample> collect(Connection c, Instant now) throws SQLException {
        List<MetricSample> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, timeouts.read().toSeconds()));
            if (mariadb == null) {
                try (ResultSet rs = st.executeQuery("SELECT VERSION()")) {
                    rs.next();
                    version = rs.getString(1);
                    mariadb = MySqlMetrics.isMariaDb(version);
                }
            }
            Map<String, String> status = pairs(st, "SHOW GLOBAL STATUS");
            Map<String, String> vars = pairs(st, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('"
                    + String.join("','", MySqlMetrics.VARIABLES) + "','datadir')");
            Map<String, String> info = new LinkedHashMap<>();
            info.put("info.version", version);
            out.add(Poller.sample(target, now, "mysql_status", info, MySqlMetrics.numericFields(status)));
            out.add(Poller.sample(target, now, "mysql_variables", null, MySqlMetrics.numericFields(vars)));
            for (Map<String, String> row : rows(st, mariadb ? "SHOW ALL SLAVES STATUS" : "SHOW REPLICA STATUS")) {
                MySqlMetrics.Replication r = MySqlMetrics.replication(row);
                Map<String, Double> fields = new LinkedHashMap<>(r.fields());
                if (mariadb) {
                    try (ResultSet rs = st.executeQuery("SELECT @@gtid_slave_pos")) {
                        if (rs.next()) {
                            Double seq = MySqlMetrics.gtidSequence(rs.getString(1));
                            if (seq != null) {
                                fields.put("gtid_slave_seq", seq);
                            }
                        }
                    }
                }
                out.add(Poller.sample(target, now, "mysql_replication", r.tags(), fields));
            }
            out.add(Poller.sample(target, now, "mysql_innodb", null, innodb(st, status)));
            long own;
            try (ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                own = rs.getLong(1);
            }
            List<MySqlMetrics.Process> procs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT ID, USER, COMMAND, TIME, INFO FROM information_schema.PROCESSLIST")) {
                while (rs.next()) {
                    procs.add(new MySqlMetrics.Process(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                }
            }
            MySqlMetrics.ProcesslistSummary p = MySqlMetrics.processlist(procs, own, fingerprinter);
            out.add(Poller.sample(target, now, "mysql_processlist", p.tags(), p.fields()));
            if (!now.isBefore(tablesReadAt.plus(TABLE_SIZE_INTERVAL))) {
                tablesReadAt = now;
                out.addAll(tables(st, now));
            }
            MetricSample disk = disk(vars.get("datadir"), now);
            if (disk != null) {
                out.add(disk);
            }
        }
        return out;
    }

    private Map<String, Double> innodb(Statement st, Map<String, String> status) throws SQLException {
        Map<String, Double> f = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(MAX(TIMESTAMPDIFF(SECOND, trx_started, NOW())), 0),"
                + " COALESCE(SUM(trx_state = 'LOCK WAIT'), 0) FROM information_schema.INNODB_TRX")) {
            rs.next();
            f.put("trx_count", rs.getDouble(1));
            f.put("longest_trx_seconds", rs.getDouble(2));
            f.put("trx_lock_waits", rs.getDouble(3));
        }
        Map<String, String> metrics = pairs(st, "SELECT NAME, COUNT FROM information_schema.INNODB_METRICS"
                + " WHERE NAME IN ('trx_rseg_history_len', 'lock_deadlocks')");
        Double history = MySqlMetrics.number(status.getOrDefault("Innodb_history_list_length", metrics.get("trx_rseg_history_len")));
        if (history != null) {
            f.put("history_list_length", history);
        }
        Double deadlocks = MySqlMetrics.number(status.getOrDefault("Innodb_deadlocks", metrics.get("lock_deadlocks")));
        if (deadlocks != null) {
            f.put("deadlocks", deadlocks);
        }
        for (String k : List.of("Innodb_row_lock_current_waits", "Innodb_row_lock_waits", "Innodb_buffer_pool_pages_free",
                "Innodb_buffer_pool_pages_total", "Innodb_buffer_pool_pages_dirty")) {
            Double d = MySqlMetrics.number(status.get(k));
            if (d != null) {
                f.put(k.substring("Innodb_".length()).toLowerCase(java.util.Locale.ROOT), d);
            }
        }
        return f;
    }

    /**
     * The largest user tables' estimated rows and sizes ({@code mysql_table}, tags db and table):
     * what the binlog job compares mass deletes and updates with. Only tables the monitoring
     * account may see are listed (information_schema shows no others).
     */
    private List<MetricSample> tables(Statement st, Instant now) throws SQLException {
        List<MetricSample> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')"
                + " ORDER BY DATA_LENGTH DESC LIMIT " + TABLE_SIZE_LIMIT)) {
            while (rs.next()) {
                Map<String, Double> f = new LinkedHashMap<>();
                f.put("rows_estimate", rs.getDouble(3));
                f.put("data_bytes", rs.getDouble(4));
                f.put("index_bytes", rs.getDouble(5));
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("db", rs.getString(1));
                tags.put("table", rs.getString(2));
                out.add(Poller.sample(target, now, "mysql_table", tags, f));
            }
        }
        return out;
    }

    /** The data directory's file system, only when the server runs on this host (else the path means nothing here). */
    private MetricSample disk(String datadir, Instant now) {
        if (!local || datadir == null) {
            return null;
        }
        try {
            FileStore store = Files.getFileStore(Path.of(datadir));
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("datadir_total_bytes", (double) store.getTotalSpace());
            f.put("datadir_free_bytes", (double) store.getUsableSpace());
            f.put("datadir_used_bytes", (double) (store.getTotalSpace() - store.getUnallocatedSpace()));
            return Poller.sample(target, now, "mysql_disk", null, f);
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, String> pairs(Statement st, String sql) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static List<Map<String, String>> rows(Statement st, String sql) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static void abort(Connection c) {
        try {
            // abort, not close: close would wait for a hung statement
            c.abort(ABORT);
        } catch (SQLException e) {
            // the connection is being thrown away either way
        }
    }

    @Override
    public void close() {
        connections.close();
    }
}
