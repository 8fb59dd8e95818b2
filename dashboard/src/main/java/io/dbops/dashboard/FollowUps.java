package io.dbops.dashboard;

import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.events.ActionRequest;
import io.dbops.events.EventCodec;
import io.dbops.events.RunState;
import io.dbops.events.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests that wait for another (table {@code request_followups}): the replicas of a set asked for
 * in one form, and for MariaDB the backup they are seeded from. {@link #sweep} files each one once
 * the run of the request before it succeeded, on behalf of whoever approved that run (a DBA's
 * approval covers the set), and cancels it when that run ended otherwise. Every dashboard process
 * sweeps; a request filed twice is one run (the action service dedupes by request id).
 */
public final class FollowUps {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUps.class);
    private final DataSource ds;
    private final RunStore runs;
    private final DashboardApp.Publisher publisher;

    public FollowUps(DataSource ds, RunStore runs, DashboardApp.Publisher publisher) {
        this.ds = ds;
        this.runs = runs;
        this.publisher = publisher;
    }

    /** One waiting request: filed after {@code afterRequest}'s run succeeded. */
    public record FollowUp(String afterRequest, ActionRequest request) {
    }

    public void add(List<FollowUp> followUps) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO request_followups (after_request, request_id, request_json) VALUES (?, ?, ?)")) {
            for (FollowUp f : followUps) {
                ps.setString(1, f.afterRequest());
                ps.setString(2, f.request().id());
                ps.setString(3, EventCodec.toJson(f.request()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private record Waiting(long id, String afterRequest, ActionRequest request) {
    }

    /** Files what is due and cancels what can no longer be; returns how many were filed. */
    public int sweep() throws Exception {
        List<Waiting> waiting = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, after_request, request_json FROM request_followups WHERE state = 'waiting' "
                     + "ORDER BY id LIMIT 200");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                waiting.add(new Waiting(rs.getLong(1), rs.getString(2), EventCodec.fromJson(rs.getString(3), ActionRequest.class)));
            }
        }
        int filed = 0;
        for (Waiting w : waiting) {
            Optional<Run> before = runs.byDedupeKey("request:" + w.afterRequest());
            if (before.isEmpty() || !RunStore.isTerminal(before.get().state())) {
                continue;
            }
            Run parent = before.get();
            if (parent.state() != RunState.SUCCEEDED || parent.dryRun()) {
                mark(w.id(), "cancelled", "the run before it, " + parent.id() + ", ended " + parent.state().name().toLowerCase());
                continue;
            }
            // the approval of the first member covers the set: the follow-up is filed by its approver
            String by = parent.approvedBy() != null ? parent.approvedBy() : parent.requestedBy();
            ActionRequest r = w.request();
            ActionRequest asFiled = new ActionRequest(r.schema(), Instant.now(), r.id(), r.kind(), by, r.businessLine(), r.target(), r.cluster(),
                    r.incidentId(), r.playbook(), r.parameters(), r.dryRun(), r.reason());
            publisher.publish(Topic.ACTION_REQUESTS, asFiled.id(), asFiled);
            mark(w.id(), "filed", "after " + parent.id() + ", filed for " + by);
            LOG.info("filed {} ({}) after run {} of {}", asFiled.id(), asFiled.playbook(), parent.id(), w.afterRequest());
            filed++;
        }
        return filed;
    }

    private void mark(long id, String state, String detail) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE request_followups SET state = ?, detail = ?, filed_at = CURRENT_TIMESTAMP(3) "
                     + "WHERE id = ? AND state = 'waiting'")) {
            ps.setString(1, state);
            ps.setString(2, detail);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** Sweeps every {@code periodMs} on a daemon thread. */
    public void start(long periodMs) {
        io.dbops.dashboard.web.Periodic.every("followups", periodMs, () -> true, LOG, this::sweep);
    }
}
