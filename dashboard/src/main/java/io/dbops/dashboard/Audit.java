package io.dbops.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The audit trail: every request, approval, rule or user change and manual action, with who and from where. */
public final class Audit {
    private final DataSource ds;

    public Audit(DataSource ds) {
        this.ds = ds;
    }

    public record Entry(long id, Instant time, String user, String action, String target, String businessLine, String detail,
                        String remote) {
    }

    public void record(String user, String action, String target, String businessLine, String detail, String remote) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (user_name, action, target, business_line, detail, remote) "
                     + "VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, user);
            ps.setString(2, action);
            ps.setString(3, target);
            ps.setString(4, businessLine);
            ps.setString(5, detail);
            ps.setString(6, remote);
            ps.executeUpdate();
        }
    }

    public List<Entry> recent(int limit, String user) throws SQLException {
        List<Entry> out = new ArrayList<>();
        String sql = "SELECT id, time, user_name, action, target, business_line, detail, remote FROM audit_log "
                + (user == null ? "" : "WHERE user_name = ? ") + "ORDER BY id DESC LIMIT " + Math.max(1, Math.min(limit, 1000));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (user != null) {
                ps.setString(1, user);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    out.add(new Entry(rs.getLong(1), t.toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }
}
