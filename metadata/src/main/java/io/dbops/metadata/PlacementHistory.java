package io.dbops.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Placement decisions in the metadata DB ({@code placement_decisions}): recorded when a
 * provisioning run selects its server (or imported), their outcome counted as incidents open, read
 * back to retrain the ranker. Request and candidates are kept as the history's JSON text; this class
 * does not interpret them.
 */
public final class PlacementHistory {
    private final DataSource dataSource;

    public PlacementHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One stored decision. */
    public record Row(String requestId, String instance, String engine, String businessLine, String chosen, String chosenBy, String proposed,
                      String modelVersion, String requestJson, String candidatesJson, int incidents30d, Instant decidedAt) {
    }

    /** Records a decision; a second record for the same request id (a retried step) replaces the first. */
    public void record(Row r) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO placement_decisions (request_id, instance, engine, business_line, chosen, "
                     + "chosen_by, proposed, model_version, request, candidates, incidents_30d, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     + "ON DUPLICATE KEY UPDATE instance = VALUES(instance), chosen = VALUES(chosen), chosen_by = VALUES(chosen_by), "
                     + "proposed = VALUES(proposed), model_version = VALUES(model_version), request = VALUES(request), "
                     + "candidates = VALUES(candidates), decided_at = VALUES(decided_at)")) {
            ps.setString(1, r.requestId());
            ps.setString(2, r.instance());
            ps.setString(3, r.engine());
            ps.setString(4, r.businessLine());
            ps.setString(5, r.chosen());
            ps.setString(6, r.chosenBy());
            ps.setString(7, r.proposed());
            ps.setString(8, r.modelVersion());
            ps.setString(9, r.requestJson());
            ps.setString(10, r.candidatesJson());
            ps.setInt(11, r.incidents30d());
            ps.setTimestamp(12, Timestamp.from(r.decidedAt() == null ? Instant.now() : r.decidedAt()));
            ps.executeUpdate();
        }
    }

    private static final String COLUMNS = "SELECT request_id, instance, engine, business_line, chosen, chosen_by, proposed, model_version, "
            + "request, candidates, incidents_30d, decided_at FROM placement_decisions ";

    /** Every decision, oldest first, streamed to {@code sink}; returns how many. */
    public long forEach(Consumer<Row> sink) throws SQLException {
        long n = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COLUMNS + "ORDER BY decided_at, id")) {
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(row(rs));
                    n++;
                }
            }
        }
        return n;
    }

    public List<Row> all() throws SQLException {
        List<Row> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /** The latest decision that placed {@code instance}, or null. */
    public Row forInstance(String instance) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(COLUMNS + "WHERE instance = ? ORDER BY decided_at DESC, id DESC LIMIT 1")) {
            ps.setString(1, instance);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getInt(11), rs.getTimestamp(12).toInstant());
    }

    /** An incident touching {@code instance} opened at {@code at}: counts against its placement if within 30 days of it. */
    public int countIncident(String instance, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE placement_decisions SET incidents_30d = incidents_30d + 1 "
                     + "WHERE instance = ? AND decided_at <= ? AND decided_at >= ?")) {
            ps.setString(1, instance);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setTimestamp(3, Timestamp.from(at.minus(java.time.Duration.ofDays(30))));
            return ps.executeUpdate();
        }
    }
}
