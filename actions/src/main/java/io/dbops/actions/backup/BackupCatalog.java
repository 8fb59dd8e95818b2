package io.dbops.actions.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The backup catalog and the backup schedules in the metadata DB. */
public final class BackupCatalog {
    /** One catalogued backup. */
    public record Entry(String id, String instance, String cluster, String engine, String kind, String path, long sizeBytes,
                        long durationMs, String checksum, String position, String runId, Instant startedAt, Instant finishedAt,
                        Instant expiresAt, Instant deletedAt, String verified, String verifyDetail) {
    }

    /** A schedule: a cron expression for an instance or a business line's primaries. */
    public record Schedule(long id, String instance, String businessLine, String cron, String kind, String retention) {
    }

    private final DataSource ds;

    public BackupCatalog(DataSource ds) {
        this.ds = ds;
    }

    /** Records a backup; recording the same id again (a resumed run) replaces it. */
    public void record(Entry e) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO backups (id, instance, cluster, "
                + "engine, kind, path, size_bytes, duration_ms, checksum, position, run_id, started_at, finished_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE path = VALUES(path), size_bytes = VALUES(size_bytes), "
                + "duration_ms = VALUES(duration_ms), checksum = VALUES(checksum), position = VALUES(position), "
                + "finished_at = VALUES(finished_at), expires_at = VALUES(expires_at)")) {
            ps.setString(1, e.id());
            ps.setString(2, e.instance());
            ps.setString(3, e.cluster());
            ps.setString(4, e.engine());
            ps.setString(5, e.kind());
            ps.setString(6, e.path());
            ps.setLong(7, e.sizeBytes());
            ps.setLong(8, e.durationMs());
            ps.setString(9, e.checksum());
            ps.setString(10, e.position());
            ps.setString(11, e.runId());
            ps.setTimestamp(12, Timestamp.from(e.startedAt()));
            ps.setTimestamp(13, Timestamp.from(e.finishedAt()));
            ps.setTimestamp(14, Timestamp.from(e.expiresAt()));
            ps.executeUpdate();
        }
    }

    public Optional<Entry> get(String id) throws SQLException {
        List<Entry> l = query("WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The newest backup of an instance that is not deleted, of a kind (null: any). */
    public Optional<Entry> latest(String instance, String kind) throws SQLException {
        return query("WHERE instance = ? AND deleted_at IS NULL ORDER BY finished_at DESC", instance).stream()
                .filter(e -> kind == null || e.kind().equals(kind)).findFirst();
    }

    public List<Entry> list(String instance) throws SQLException {
        return instance == null ? query("ORDER BY finished_at DESC") : query("WHERE instance = ? ORDER BY finished_at DESC", instance);
    }

    /** Backups of an instance past their expiry and not yet deleted. */
    public List<Entry> expired(String instance, Instant now) throws SQLException {
        List<Entry> out = new ArrayList<>();
        for (Entry e : query("WHERE instance = ? AND deleted_at IS NULL", instance)) {
            if (e.expiresAt().isBefore(now)) {
                out.add(e);
            }
        }
        return out;
    }

    public void markDeleted(String id) throws SQLException {
        update("UPDATE backups SET deleted_at = NOW(3) WHERE id = ?", id);
    }

    public void verified(String id, boolean pass, String detail) throws SQLException {
        update("UPDATE backups SET verified = ?, verified_at = NOW(3), verify_detail = ? WHERE id = ?", pass ? "pass" : "fail", detail, id);
    }

    public long addSchedule(String instance, String businessLine, String cron, String kind, String retention, String user)
            throws SQLException {
        Cron.parse(cron); // refuses a bad expression before it is stored
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO backup_schedules (instance, "
                + "business_line, cron, kind, retention, created_by) VALUES (?, ?, ?, ?, ?, ?)", java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, instance);
            ps.setString(2, businessLine);
            ps.setString(3, cron);
            ps.setString(4, kind);
            ps.setString(5, retention);
            ps.setString(6, user);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public List<Schedule> schedules() throws SQLException {
        List<Schedule> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, instance, business_line, cron, kind, retention FROM backup_schedules ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Schedule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return out;
    }

    private List<Entry> query(String where, Object... args) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, instance, cluster, engine, kind, path, "
                + "size_bytes, duration_ms, checksum, position, run_id, started_at, finished_at, expires_at, deleted_at, verified, "
                + "verify_detail FROM backups " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11), instant(rs.getTimestamp(12)),
                            instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)), rs.getString(16),
                            rs.getString(17)));
                }
            }
        }
        return out;
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
