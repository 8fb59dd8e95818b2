package io.dbops.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** What DBAs do to alarms from the dashboard: acknowledge incidents, silence alarms, maintenance windows. */
public final class OpsStore {
    private final DataSource ds;

    public OpsStore(DataSource ds) {
        this.ds = ds;
    }

    public record Ack(String incidentId, String user, String note, Instant at) {
    }

    public record Silence(long id, String instance, String cluster, String alarmType, String businessLine, Instant startsAt, Instant endsAt,
                          String reason, String createdBy) {
        /** Whether an alarm of this type on this instance/cluster is muted at {@code now}. */
        public boolean covers(String alarmInstance, String alarmCluster, String type, Instant now) {
            return !now.isBefore(startsAt) && now.isBefore(endsAt)
                    && (instance == null || instance.equals(alarmInstance))
                    && (cluster == null || cluster.equals(alarmCluster))
                    && (alarmType == null || alarmType.equals(type));
        }
    }

    public record Window(long id, String instance, String cluster, String businessLine, Instant startsAt, Instant endsAt, String reason,
                         String createdBy) {
    }

    public void ack(String incidentId, String user, String note) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO incident_acks (incident_id, user_name, note) VALUES (?, ?, ?) "
                     + "ON DUPLICATE KEY UPDATE user_name = VALUES(user_name), note = VALUES(note), acked_at = CURRENT_TIMESTAMP(3)")) {
            ps.setString(1, incidentId);
            ps.setString(2, user);
            ps.setString(3, note);
            ps.executeUpdate();
        }
    }

    public Map<String, Ack> acks() throws SQLException {
        Map<String, Ack> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT incident_id, user_name, note, acked_at FROM incident_acks");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new Ack(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
            }
        }
        return out;
    }

    public long silence(String instance, String cluster, String alarmType, String businessLine, Instant from, Instant to, String reason,
                        String user) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO silences (instance, cluster, alarm_type, business_line, starts_at, ends_at, "
                     + "reason, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, instance);
            ps.setString(2, cluster);
            ps.setString(3, alarmType);
            ps.setString(4, businessLine);
            ps.setTimestamp(5, Timestamp.from(from));
            ps.setTimestamp(6, Timestamp.from(to));
            ps.setString(7, reason);
            ps.setString(8, user);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Silences that have not ended. */
    public List<Silence> silences(Instant now) throws SQLException {
        List<Silence> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, instance, cluster, alarm_type, business_line, starts_at, ends_at, reason, created_by "
                     + "FROM silences WHERE ends_at > ? ORDER BY starts_at")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Silence(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9)));
                }
            }
        }
        return out;
    }

    /** Maintenance windows that have not ended (the action service refuses automation inside them). */
    public List<Window> windows(Instant now) throws SQLException {
        List<Window> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, instance, cluster, business_line, starts_at, ends_at, reason, created_by "
                     + "FROM maintenance_windows WHERE ends_at > ? ORDER BY starts_at")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Window(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                            rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }
}
