package io.dbops.actions.playbooks;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Remediation for a primary whose disk fills with binary logs: purges the old ones, never past
 * what any replica still needs. Each replica's need is the binlog file its SQL thread is executing
 * ({@code Relay_Master_Log_File}); a replica that does not answer or has no such file blocks the
 * purge (its need is unknown), unless it is not active in the inventory. {@code keep} more files
 * are kept below that, for point-in-time recovery.
 */
public final class PurgeBinlogs extends NamedPlaybook {
    public static final String NAME = "purge_binlogs";

    public PurgeBinlogs() {
        super(NAME, "purge a primary's old binary logs, never past what a replica still needs", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.INSTANCE, "the primary"),
                Param.optional("keep", Param.Type.INT, "binlog files kept below the oldest one a replica needs (default 2)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("find_oldest_needed").readOnly().timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "ask every replica of " + ctx.param("instance") + " which binlog it still needs")
                        .does(PurgeBinlogs::oldestNeeded),
                Steps.named("purge").timeout(Duration.ofMinutes(10))
                        .describe(ctx -> "PURGE BINARY LOGS TO '" + ctx.fact("purge_to") + "' on " + ctx.param("instance"))
                        .does(ctx -> {
                            String to = ctx.requireFact("purge_to");
                            if (to.isEmpty()) {
                                ctx.out("nothing to purge");
                                return;
                            }
                            try (Connection c = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.param("instance"))); Statement st = c.createStatement()) {
                                List<String> before = binlogs(st);
                                st.execute("PURGE BINARY LOGS TO '" + to.replace("'", "") + "'");
                                List<String> after = binlogs(st);
                                ctx.out("purged " + (before.size() - after.size()) + " binlog files; oldest kept: " + after.get(0));
                            }
                        }));
    }

    private static void oldestNeeded(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance primary = instance(fleet, ctx.param("instance"));
        if (!"primary".equals(primary.role())) {
            throw StepFailure.fatal(primary.id() + " is not a primary (role " + primary.role() + "): replicas purge their own relay logs");
        }
        int keep = Integer.parseInt(ctx.param("keep", "2"));
        List<String> files;
        String current;
        try (Connection c = fleet.mariadb(primary); Statement st = c.createStatement()) {
            files = binlogs(st);
            try (ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                current = rs.getString("File");
            }
        }
        String needed = current;
        for (InventoryInstance r : MariaDbFailover.replicasOf(fleet, primary)) {
            try (Connection c = fleet.mariadb(r); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                if (!rs.next() || rs.getString("Relay_Master_Log_File") == null || rs.getString("Relay_Master_Log_File").isEmpty()) {
                    throw StepFailure.fatal(r.id() + " reports no binlog file it executes: its need is unknown, nothing is purged");
                }
                String file = rs.getString("Relay_Master_Log_File");
                ctx.out(r.id() + " executes " + file);
                if (file.compareTo(needed) < 0) {
                    needed = file;
                }
            } catch (SQLException e) {
                throw StepFailure.transientFailure(r.id() + " does not answer (" + e.getMessage() + "): its need is unknown, nothing is purged", e);
            }
        }
        int idx = files.indexOf(needed);
        int cut = Math.max(0, (idx < 0 ? 0 : idx) - keep);
        String purgeTo = cut == 0 ? "" : files.get(cut);
        ctx.putFact("purge_to", purgeTo);
        ctx.out(files.size() + " binlog files, the oldest still needed is " + needed + "; " + (purgeTo.isEmpty()
                ? "nothing to purge" : "purging up to (not including) " + purgeTo));
    }

    static List<String> binlogs(Statement st) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
