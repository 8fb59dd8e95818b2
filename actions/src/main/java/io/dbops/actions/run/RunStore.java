package io.dbops.actions.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbops.events.ActionEventType;
import io.dbops.events.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Runs, steps and run logs in the metadata DB. Each state change is one transaction, written
 * before (step started) and after (step finished) the work, so a crash leaves a precise record.
 */
public final class RunStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_OUTPUT = 64 * 1024;
    private static final String RUN_COLUMNS = "id, playbook, dedupe_key, request_id, incident_id, cluster, target, business_line, "
            + "requested_by, policy, dry_run, params, facts, state, message, approved_by, approved_at, created_at, started_at, ended_at";

    private final DataSource ds;

    public RunStore(DataSource ds) {
        this.ds = ds;
    }

    /** The result of {@link #create}: the run, and whether it is new (false: the dedupe key had a run already). */
    public record Created(Run run, boolean created) {
    }

    /**
     * Creates a run unless one with the same dedupe key exists (a redelivered incident or request),
     * in which case that one is returned and nothing is created.
     */
    public Created create(Run.Spec spec, RunState initial) throws SQLException {
        String id = "run-" + UUID.randomUUID().toString().substring(0, 13);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO action_runs (id, playbook, dedupe_key, request_id, incident_id, "
                     + "cluster, target, business_line, requested_by, policy, dry_run, params, facts, state) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)")) {
            ps.setString(1, id);
            ps.setString(2, spec.playbook());
            ps.setString(3, spec.dedupeKey());
            ps.setString(4, spec.requestId());
            ps.setString(5, spec.incidentId());
            ps.setString(6, spec.cluster());
            ps.setString(7, spec.target());
            ps.setString(8, spec.businessLine());
            ps.setString(9, spec.requestedBy());
            ps.setString(10, spec.policy());
            ps.setBoolean(11, spec.dryRun());
            ps.setString(12, json(spec.params()));
            ps.setString(13, stateName(initial));
            ps.executeUpdate();
        } catch (SQLIntegrityConstraintViolationException e) {
            Run existing = byDedupeKey(spec.dedupeKey()).orElseThrow(() -> e);
            return new Created(existing, false);
        }
        return new Created(run(id).orElseThrow(), true);
    }

    public Optional<Run> run(String id) throws SQLException {
        return one("SELECT " + RUN_COLUMNS + " FROM action_runs WHERE id = ?", id);
    }

    public Optional<Run> byDedupeKey(String key) throws SQLException {
        return one("SELECT " + RUN_COLUMNS + " FROM action_runs WHERE dedupe_key = ?", key);
    }

    /** The most recent runs, newest first. */
    public List<Run> recent(int limit) throws SQLException {
        return many("SELECT " + RUN_COLUMNS + " FROM action_runs ORDER BY created_at DESC, id LIMIT " + Math.max(1, limit));
    }

    /** Runs of a playbook on a cluster created since {@code since} (for rate limits). */
    public int countSince(String playbook, String cluster, Instant since) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM action_runs WHERE playbook = ? AND cluster <=> ? "
                     + "AND created_at >= ? AND dry_run = FALSE")) {
            ps.setString(1, playbook);
            ps.setString(2, cluster);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Takes the lease of the oldest runnable run (pending or running, with no live lease) for
     * {@code owner}; empty when there is none. Two workers never get the same run.
     */
    public Optional<Run> claim(String owner, Duration lease) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                String id = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM action_runs WHERE state IN ('pending', 'running') "
                        + "AND (lease_until IS NULL OR lease_until < NOW(3)) ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED");
                     ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                    }
                }
                if (id == null) {
                    c.commit();
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE action_runs SET lease_owner = ?, "
                        + "lease_until = NOW(3) + INTERVAL ? MICROSECOND WHERE id = ?")) {
                    ps.setString(1, owner);
                    ps.setLong(2, lease.toMillis() * 1000);
                    ps.setString(3, id);
                    ps.executeUpdate();
                }
                c.commit();
                return run(id);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Extends the lease; false when {@code owner} no longer holds it (another worker took the run). */
    public boolean renew(String runId, String owner, Duration lease) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE action_runs SET lease_until = NOW(3) + INTERVAL ? MICROSECOND "
                     + "WHERE id = ? AND lease_owner = ?")) {
            ps.setLong(1, lease.toMillis() * 1000);
            ps.setString(2, runId);
            ps.setString(3, owner);
            return ps.executeUpdate() > 0;
        }
    }

    public void release(String runId, String owner) throws SQLException {
        update("UPDATE action_runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", runId, owner);
    }

    public void setState(String runId, RunState state, String message) throws SQLException {
        boolean terminal = isTerminal(state);
        update("UPDATE action_runs SET state = ?, message = ?, started_at = COALESCE(started_at, "
                + "CASE WHEN ? = 'running' THEN NOW(3) END), ended_at = CASE WHEN ? THEN NOW(3) ELSE ended_at END WHERE id = ?",
                stateName(state), message, stateName(state), terminal, runId);
    }

    public static boolean isTerminal(RunState s) {
        return s == RunState.SUCCEEDED || s == RunState.FAILED || s == RunState.REJECTED || s == RunState.CANCELLED
                || s == RunState.COMPENSATED || s == RunState.BLOCKED;
    }

    /**
     * Approves a run waiting for approval: it becomes pending again for a worker, with who approved
     * and when. False when the run is not waiting for approval.
     */
    public boolean approve(String runId, String user) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE action_runs SET state = 'pending', approved_by = ?, approved_at = NOW(3) "
                     + "WHERE id = ? AND state = 'awaiting_approval'")) {
            ps.setString(1, user);
            ps.setString(2, runId);
            return ps.executeUpdate() > 0;
        }
    }

    /** Rejects a run waiting for approval; false when it is not waiting. */
    public boolean reject(String runId, String user, String reason) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE action_runs SET state = 'rejected', approved_by = ?, message = ?, "
                     + "ended_at = NOW(3) WHERE id = ? AND state = 'awaiting_approval'")) {
            ps.setString(1, user);
            ps.setString(2, "rejected by " + user + (reason == null || reason.isBlank() ? "" : ": " + reason));
            ps.setString(3, runId);
            return ps.executeUpdate() > 0;
        }
    }

    public List<StepRecord> steps(String runId) throws SQLException {
        List<StepRecord> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT run_id, idx, name, state, attempts, compensation, output, error, "
                     + "started_at, ended_at FROM action_steps WHERE run_id = ? ORDER BY idx")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepRecord(rs.getString(1), rs.getInt(2), rs.getString(3), state(rs.getString(4)), rs.getInt(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10))));
                }
            }
        }
        return out;
    }

    /** Records that a step is about to execute (one more attempt), with its compensation registered first. */
    public void stepStarting(String runId, int idx, String name, String compensation) throws SQLException {
        update("INSERT INTO action_steps (run_id, idx, name, state, attempts, compensation, started_at) VALUES (?, ?, ?, 'running', 1, ?, NOW(3)) "
                + "ON DUPLICATE KEY UPDATE state = 'running', attempts = attempts + 1, compensation = VALUES(compensation), "
                + "started_at = NOW(3), ended_at = NULL, error = NULL", runId, idx, name, compensation);
    }

    /** Records a step's end and, in the same transaction, the facts it decided. */
    public void stepFinished(String runId, int idx, String name, RunState state, String output, String error,
                             Map<String, String> facts) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO action_steps (run_id, idx, name, state, attempts, output, error, "
                        + "ended_at) VALUES (?, ?, ?, ?, 0, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE state = VALUES(state), "
                        + "output = VALUES(output), error = VALUES(error), ended_at = NOW(3)")) {
                    ps.setString(1, runId);
                    ps.setInt(2, idx);
                    ps.setString(3, name);
                    ps.setString(4, stateName(state));
                    ps.setString(5, clip(output));
                    ps.setString(6, clip(error));
                    ps.executeUpdate();
                }
                if (facts != null) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE action_runs SET facts = ? WHERE id = ?")) {
                        ps.setString(1, json(facts));
                        ps.setString(2, runId);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A stored run event, as {@code dbops.actions.events} carries it. */
    public record LogRow(String runId, long seq, Instant time, ActionEventType type, Integer stepIndex, String step,
                         String stream, RunState state, String message) {
    }

    /** Appends an event to the run's log with the next gap-free sequence number, and returns it. */
    public LogRow append(String runId, ActionEventType type, Integer stepIndex, String step, String stream, RunState state,
                         String message) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long seq;
                try (PreparedStatement ps = c.prepareStatement("SELECT next_seq FROM action_runs WHERE id = ? FOR UPDATE")) {
                    ps.setString(1, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("no run " + runId);
                        }
                        seq = rs.getLong(1);
                    }
                }
                Instant now = Instant.now();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO action_log (run_id, seq, time, type, step_idx, step, stream, "
                        + "state, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, runId);
                    ps.setLong(2, seq);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setString(4, type.name().toLowerCase());
                    ps.setObject(5, stepIndex);
                    ps.setString(6, step);
                    ps.setString(7, stream);
                    ps.setString(8, state == null ? null : stateName(state));
                    ps.setString(9, clip(message));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE action_runs SET next_seq = ? WHERE id = ?")) {
                    ps.setLong(1, seq + 1);
                    ps.setString(2, runId);
                    ps.executeUpdate();
                }
                c.commit();
                return new LogRow(runId, seq, now, type, stepIndex, step, stream, state, message);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Marks events as acknowledged by the broker. */
    public void markPublished(List<Map.Entry<String, Long>> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE action_log SET published = TRUE WHERE run_id = ? AND seq = ?")) {
            for (var e : events) {
                ps.setString(1, e.getKey());
                ps.setLong(2, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Events not acknowledged by the broker and older than {@code before}, in run and seq order (at most {@code limit}). */
    public List<LogRow> unpublished(Instant before, int limit) throws SQLException {
        List<LogRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT run_id, seq, time, type, step_idx, step, stream, state, message "
                     + "FROM action_log WHERE published = FALSE AND time < ? ORDER BY run_id, seq LIMIT " + Math.max(1, limit))) {
            ps.setTimestamp(1, Timestamp.from(before));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    private static LogRow row(ResultSet rs) throws SQLException {
        Object idx = rs.getObject(5);
        return new LogRow(rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3)),
                ActionEventType.valueOf(rs.getString(4).toUpperCase()), idx == null ? null : ((Number) idx).intValue(),
                rs.getString(6), rs.getString(7), rs.getString(8) == null ? null : state(rs.getString(8)), rs.getString(9));
    }

    /** A run's log from sequence number {@code from} on. */
    public List<LogRow> log(String runId, long from) throws SQLException {
        List<LogRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT run_id, seq, time, type, step_idx, step, stream, state, message "
                     + "FROM action_log WHERE run_id = ? AND seq >= ? ORDER BY seq")) {
            ps.setString(1, runId);
            ps.setLong(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    // ---- guards: anti-flap blocks, refusals, switches, maintenance windows

    /** The live anti-flap block of a cluster: the run that set it and until when; empty when none. */
    public Optional<Map.Entry<String, Instant>> block(String cluster) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT run_id, blocked_until FROM action_blocks WHERE cluster = ? "
                     + "AND blocked_until > NOW(3)")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Map.entry(rs.getString(1), rs.getTimestamp(2).toInstant())) : Optional.empty();
            }
        }
    }

    public void setBlock(String cluster, String playbook, String runId, Duration period) throws SQLException {
        update("INSERT INTO action_blocks (cluster, playbook, run_id, blocked_until) VALUES (?, ?, ?, NOW(3) + INTERVAL ? MICROSECOND) "
                + "ON DUPLICATE KEY UPDATE playbook = VALUES(playbook), run_id = VALUES(run_id), blocked_until = VALUES(blocked_until), "
                + "created_at = NOW(3)", cluster, playbook, runId, period.toMillis() * 1000);
    }

    /** Lifts a cluster's block; false when there was none. */
    public boolean unblock(String cluster) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM action_blocks WHERE cluster = ?")) {
            ps.setString(1, cluster);
            return ps.executeUpdate() > 0;
        }
    }

    public void refusal(String playbook, String cluster, String triggerId, String reason) throws SQLException {
        update("INSERT INTO action_refusals (playbook, cluster, trigger_id, reason) VALUES (?, ?, ?, ?)", playbook, cluster, triggerId, reason);
    }

    /** Refusals recorded for a trigger (incident or request id), oldest first. */
    public List<String> refusals(String triggerId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT reason FROM action_refusals WHERE trigger_id = ? ORDER BY id")) {
            ps.setString(1, triggerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public void setSwitch(String name, String value, String user) throws SQLException {
        update("INSERT INTO action_switches (name, value, updated_by) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), "
                + "updated_by = VALUES(updated_by)", name, value, user);
    }

    /** A switch's value and who set it, or empty. */
    public Optional<Map.Entry<String, String>> getSwitch(String name) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT value, updated_by FROM action_switches WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Map.entry(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    public void addMaintenance(String instance, String cluster, String businessLine, Instant from, Instant to, String reason,
                               String user) throws SQLException {
        update("INSERT INTO maintenance_windows (instance, cluster, business_line, starts_at, ends_at, reason, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", instance, cluster, businessLine, Timestamp.from(from), Timestamp.from(to), reason, user);
    }

    /** The maintenance window in force now over an instance, its cluster or business line, described; empty when none. */
    public Optional<String> maintenance(String instance, String cluster, String businessLine) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, reason, created_by, ends_at, instance, cluster, business_line "
                     + "FROM maintenance_windows WHERE starts_at <= NOW(3) AND ends_at > NOW(3) "
                     + "AND (instance IS NULL OR instance <=> ?) AND (cluster IS NULL OR cluster <=> ?) "
                     + "AND (business_line IS NULL OR business_line <=> ?) ORDER BY id LIMIT 1")) {
            ps.setString(1, instance);
            ps.setString(2, cluster);
            ps.setString(3, businessLine);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String scope = rs.getString(5) != null ? "instance " + rs.getString(5) : rs.getString(6) != null ? "cluster " + rs.getString(6)
                        : rs.getString(7) != null ? "business line " + rs.getString(7) : "the whole fleet";
                return Optional.of("maintenance window " + rs.getLong(1) + " on " + scope + " until " + rs.getTimestamp(4).toInstant()
                        + " (" + rs.getString(2) + ", by " + rs.getString(3) + ")");
            }
        }
    }

    /** A user's role (developer, dba, admin), or empty for an unknown user. */
    public Optional<String> role(String user) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT role FROM users WHERE name = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void upsertUser(String name, String role, String businessLines) throws SQLException {
        update("INSERT INTO users (name, role, business_lines) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE role = VALUES(role), "
                + "business_lines = VALUES(business_lines)", name, role, businessLines);
    }

    // ---- plumbing

    private Optional<Run> one(String sql, String arg) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private List<Run> many(String sql) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static Run read(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getBoolean(11), map(rs.getString(12)),
                map(rs.getString(13)), state(rs.getString(14)), rs.getString(15), rs.getString(16), instant(rs.getTimestamp(17)),
                instant(rs.getTimestamp(18)), instant(rs.getTimestamp(19)), instant(rs.getTimestamp(20)));
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    static String stateName(RunState s) {
        return s.name().toLowerCase();
    }

    static RunState state(String s) {
        return RunState.valueOf(s.toUpperCase());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_OUTPUT ? s : s.substring(0, MAX_OUTPUT) + "\n... (cut at " + MAX_OUTPUT + " characters)";
    }

    private static String json(Map<String, String> m) {
        try {
            return JSON.writeValueAsString(m == null ? Map.of() : m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> map(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("unreadable JSON in the run table: " + e.getMessage());
        }
    }
}
