package io.dbops.dashboard;

import io.dbops.events.SlowSqlDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Slow-SQL digests (one per instance, query id and window, from {@code dbops.slowsql.stats}) kept
 * for the slow-SQL pages. Writes are idempotent: a digest delivered again overwrites its own row,
 * and an EXPLAIN published later on the digest is kept on the query class.
 */
public final class SlowSqlStore {
    private final DataSource ds;

    public SlowSqlStore(DataSource ds) {
        this.ds = ds;
    }

    /** Where the top list looks: one instance, one cluster, one business line, or (null) everything. */
    public record Scope(String instance, String cluster, String businessLine) {
        public static final Scope ALL = new Scope(null, null, null);
    }

    /** One query class over a time range: totals, the worst window p95, and its fingerprint. */
    public record Top(String queryId, String fingerprint, String db, long calls, double totalSec, double maxSec, double p95Sec,
                      double rowsExamined, int instances, Instant firstSeen) {
    }

    public record Point(Instant windowStart, String instance, long calls, double totalSec, double p95Sec, double maxSec) {
    }

    public record QueryClass(String queryId, String fingerprint, String db, String example, String explain, Instant firstSeen, Instant lastSeen) {
    }

    public void save(SlowSqlDigest d) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO slow_sql_windows (instance, query_id, window_start, window_end, cluster, "
                    + "business_line, calls, time_sum, time_max, time_p95, lock_sum, rows_sent_sum, rows_examined_sum) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE window_end = VALUES(window_end), "
                    + "calls = VALUES(calls), time_sum = VALUES(time_sum), time_max = VALUES(time_max), time_p95 = VALUES(time_p95), "
                    + "lock_sum = VALUES(lock_sum), rows_sent_sum = VALUES(rows_sent_sum), rows_examined_sum = VALUES(rows_examined_sum)")) {
                ps.setString(1, d.instance().id());
                ps.setString(2, d.queryId());
                ps.setTimestamp(3, Timestamp.from(d.windowStart()));
                ps.setTimestamp(4, Timestamp.from(d.windowEnd()));
                ps.setString(5, d.instance().cluster());
                ps.setString(6, d.instance().businessLine());
                ps.setLong(7, d.calls());
                ps.setDouble(8, d.queryTimeSec().sum());
                ps.setDouble(9, d.queryTimeSec().max());
                ps.setDouble(10, d.queryTimeSec().p95());
                ps.setObject(11, d.lockTimeSec() == null ? null : d.lockTimeSec().sum());
                ps.setObject(12, d.rowsSent() == null ? null : d.rowsSent().sum());
                ps.setObject(13, d.rowsExamined() == null ? null : d.rowsExamined().sum());
                ps.executeUpdate();
            }
            Instant first = d.firstSeen() != null && d.firstSeen().isBefore(d.windowStart()) ? d.firstSeen() : d.windowStart();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO slow_sql_classes (query_id, fingerprint, db, example, explain_json, "
                    + "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                    + "db = COALESCE(db, VALUES(db)), example = COALESCE(VALUES(example), example), "
                    + "explain_json = COALESCE(VALUES(explain_json), explain_json), first_seen = LEAST(first_seen, VALUES(first_seen)), "
                    + "last_seen = GREATEST(last_seen, VALUES(last_seen))")) {
                ps.setString(1, d.queryId());
                ps.setString(2, d.fingerprint());
                ps.setString(3, d.database());
                ps.setString(4, d.example());
                ps.setString(5, d.explain());
                ps.setTimestamp(6, Timestamp.from(first));
                ps.setTimestamp(7, Timestamp.from(d.windowEnd()));
                ps.executeUpdate();
            }
        }
    }

    /**
     * The top {@code limit} query classes in [from, to) by {@code order} (total, p95 or calls),
     * restricted to {@code visibleLines} unless null (a developer's business lines).
     */
    public List<Top> top(Scope scope, Instant from, Instant to, String order, int limit, Set<String> visibleLines) throws SQLException {
        String orderBy = switch (order) {
            case "p95" -> "p95 DESC";
            case "calls" -> "calls DESC";
            default -> "total DESC";
        };
        StringBuilder sql = new StringBuilder("SELECT w.query_id, c.fingerprint, c.db, SUM(w.calls) AS calls, SUM(w.time_sum) AS total, "
                + "MAX(w.time_max), MAX(w.time_p95) AS p95, COALESCE(SUM(w.rows_examined_sum), 0), COUNT(DISTINCT w.instance), c.first_seen "
                + "FROM slow_sql_windows w JOIN slow_sql_classes c ON c.query_id = w.query_id WHERE w.window_start >= ? AND w.window_start < ?");
        List<Object> args = new ArrayList<>(List.of(Timestamp.from(from), Timestamp.from(to)));
        scopeSql(scope, visibleLines, sql, args);
        sql.append(" GROUP BY w.query_id, c.fingerprint, c.db, c.first_seen ORDER BY ").append(orderBy).append(" LIMIT ").append(Math.max(1, Math.min(limit, 500)));
        List<Top> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Top(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getDouble(5), rs.getDouble(6),
                            rs.getDouble(7), rs.getDouble(8), rs.getInt(9), rs.getTimestamp(10).toInstant()));
                }
            }
        }
        return out;
    }

    public Optional<QueryClass> queryClass(String queryId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT query_id, fingerprint, db, example, explain_json, first_seen, last_seen "
                     + "FROM slow_sql_classes WHERE query_id = ?")) {
            ps.setString(1, queryId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new QueryClass(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant())) : Optional.empty();
            }
        }
    }

    /** The windows of one query class in [from, to), oldest first, within what the user may see. */
    public List<Point> history(String queryId, Instant from, Instant to, Set<String> visibleLines) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT window_start, instance, calls, time_sum, time_p95, time_max FROM slow_sql_windows w "
                + "WHERE query_id = ? AND window_start >= ? AND window_start < ?");
        List<Object> args = new ArrayList<>(List.of(queryId, Timestamp.from(from), Timestamp.from(to)));
        scopeSql(Scope.ALL, visibleLines, sql, args);
        sql.append(" ORDER BY window_start LIMIT 5000");
        List<Point> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Point(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)));
                }
            }
        }
        return out;
    }

    /** Business lines a query class was seen on (a developer sees a class only when one of them is theirs). */
    public Set<String> businessLines(String queryId) throws SQLException {
        Set<String> out = new java.util.HashSet<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT business_line FROM slow_sql_windows WHERE query_id = ?")) {
            ps.setString(1, queryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static void scopeSql(Scope scope, Set<String> visibleLines, StringBuilder sql, List<Object> args) {
        if (scope.instance() != null) {
            sql.append(" AND w.instance = ?");
            args.add(scope.instance());
        }
        if (scope.cluster() != null) {
            sql.append(" AND w.cluster = ?");
            args.add(scope.cluster());
        }
        if (scope.businessLine() != null) {
            sql.append(" AND w.business_line = ?");
            args.add(scope.businessLine());
        }
        if (visibleLines != null) {
            if (visibleLines.isEmpty()) {
                sql.append(" AND FALSE");
            } else {
                sql.append(" AND w.business_line IN (").append(String.join(",", java.util.Collections.nCopies(visibleLines.size(), "?"))).append(")");
                args.addAll(visibleLines);
            }
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }
}
