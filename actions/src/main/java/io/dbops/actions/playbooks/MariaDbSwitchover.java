package io.dbops.actions.playbooks;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;
import static io.dbops.actions.playbooks.MariaDbFailover.list;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.Compensation;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.RetryPolicy;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.events.InstanceRef;
import io.dbops.events.TopologyChange;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Planned switchover of a MariaDB replication set to a chosen replica, losing no acknowledged
 * write: the old primary goes read-only and its client sessions are killed (writes blocked from
 * here), the candidate applies everything up to the old primary's last GTID, is promoted (writes
 * accepted again), the other replicas and the old primary replicate from it. If a step fails
 * before the promotion, the old primary is made writable again (the registered compensation).
 */
public final class MariaDbSwitchover extends NamedPlaybook {
    public static final String NAME = "mariadb_switchover";

    public MariaDbSwitchover() {
        super(NAME, "planned switchover to a chosen replica with writes blocked only while it catches up", true);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("candidate", Param.Type.INSTANCE, "the replica to promote"),
                Param.optional("max_lag", Param.Type.DURATION, "refuse when the candidate is further behind (default 10s)"),
                Param.optional("catch_up_timeout", Param.Type.DURATION, "how long writes may stay blocked while it catches up (default 10s)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("check").readOnly().timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "check that " + ctx.param("candidate") + " replicates from the primary with little lag")
                        .does(MariaDbSwitchover::check),
                Steps.named("block_writes").timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "set read_only on " + ctx.fact("old_primary") + " and kill its client sessions")
                        .compensation(ctx -> ctx.fact("old_primary") == null ? null : new Compensation(
                                "make " + ctx.fact("old_primary") + " writable again (read_only=OFF)", c -> {
                                    try (Connection conn = c.fleet().mariadb(instance(c.fleet(), c.requireFact("old_primary")))) {
                                        MariaDb.exec(conn, "SET GLOBAL read_only = OFF");
                                    }
                                    c.out(c.fact("old_primary") + " writable again");
                                }))
                        .does(ctx -> {
                            try (Connection conn = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.requireFact("old_primary")))) {
                                int killed = MariaDb.fence(conn);
                                ctx.putFact("fence_pos", MariaDb.variable(conn, "gtid_binlog_pos"));
                                ctx.out("writes blocked on " + ctx.fact("old_primary") + " at " + ctx.fact("fence_pos") + ", " + killed
                                        + " client sessions killed");
                            }
                        }),
                Steps.named("wait_catch_up").timeout(Duration.ofSeconds(60))
                        .describe(ctx -> "wait for " + ctx.param("candidate") + " to apply up to " + (ctx.fact("fence_pos") != null
                                ? ctx.fact("fence_pos") : "the old primary's last GTID once writes are blocked"))
                        .does(ctx -> {
                            int seconds = (int) Param.parseDuration(ctx.param("catch_up_timeout", "10s")).toSeconds();
                            try (Connection conn = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.param("candidate")))) {
                                MariaDb.waitForGtid(conn, ctx.fact("fence_pos"), seconds);
                            }
                            ctx.out(ctx.param("candidate") + " has every transaction of " + ctx.fact("old_primary"));
                        }),
                Steps.named("promote").timeout(Duration.ofSeconds(30))
                        .retry(RetryPolicy.attempts(3, Duration.ofMillis(300), "nothing: promotion is idempotent"))
                        .describe(ctx -> "promote " + ctx.param("candidate"))
                        .does(ctx -> {
                            try (Connection conn = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.param("candidate")))) {
                                MariaDb.promote(conn);
                                ctx.putFact("promoted_gtid", MariaDb.variable(conn, "gtid_current_pos"));
                            }
                            ctx.putFact("promoted_at", Instant.now().toString());
                            ctx.out(ctx.param("candidate") + " is primary, writable");
                        }),
                Steps.named("repoint_replicas").timeout(Duration.ofSeconds(60))
                        .retry(RetryPolicy.attempts(3, Duration.ofMillis(500), "nothing: repointing is idempotent"))
                        .describe(ctx -> "repoint " + ctx.fact("others") + " and " + ctx.fact("old_primary") + " to " + ctx.param("candidate"))
                        .does(ctx -> {
                            Fleet fleet = ctx.fleet();
                            InventoryInstance c = instance(fleet, ctx.param("candidate"));
                            String host = fleet.address(c);
                            for (String id : list(ctx.fact("others"))) {
                                try (Connection conn = fleet.mariadb(instance(fleet, id))) {
                                    ctx.out(id + ": " + MariaDb.repoint(conn, host, c.port(), fleet.replicationUser(), fleet.replicationPassword(), "slave_pos"));
                                }
                            }
                            try (Connection conn = fleet.mariadb(instance(fleet, ctx.requireFact("old_primary")))) {
                                ctx.out(ctx.fact("old_primary") + ": " + MariaDb.repoint(conn, host, c.port(), fleet.replicationUser(),
                                        fleet.replicationPassword(), "current_pos"));
                            }
                        }),
                Steps.named("update_inventory").timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "record " + ctx.param("candidate") + " as primary and " + ctx.fact("old_primary") + " as replica")
                        .does(ctx -> {
                            ctx.fleet().inventory().setRoleAndStatus(ctx.param("candidate"), "primary", "active");
                            ctx.fleet().inventory().setRoleAndStatus(ctx.requireFact("old_primary"), "replica", "active");
                        }),
                Steps.named("publish_topology").timeout(Duration.ofSeconds(40))
                        .describe(ctx -> "publish the new primary on dbops.topology")
                        .does(ctx -> {
                            Fleet fleet = ctx.fleet();
                            InventoryInstance c = instance(fleet, ctx.param("candidate"));
                            InventoryInstance old = instance(fleet, ctx.requireFact("old_primary"));
                            List<InstanceRef> replicas = new ArrayList<>();
                            replicas.add(old.ref());
                            for (String id : list(ctx.fact("others"))) {
                                replicas.add(instance(fleet, id).ref());
                            }
                            fleet.publishTopology(new TopologyChange(TopologyChange.SCHEMA, Instant.parse(ctx.requireFact("promoted_at")),
                                    c.cluster(), c.engine(), "switchover", c.ref(), old.ref(), replicas, ctx.fact("promoted_gtid"),
                                    ctx.run().id(), "planned switchover to " + c.id()));
                        }));
    }

    private static void check(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance cand = instance(fleet, ctx.param("candidate"));
        if (!"replica".equals(cand.role()) || !"active".equals(cand.status())) {
            throw StepFailure.fatal(cand.id() + " is not an active replica (role " + cand.role() + ", status " + cand.status() + ")");
        }
        InventoryInstance primary = fleet.inventory().cluster(cand.cluster()).stream()
                .filter(i -> i.role().equals("primary") && i.status().equals("active")).findFirst()
                .orElseThrow(() -> StepFailure.fatal("cluster " + cand.cluster() + " has no active primary in the inventory"));
        long maxLag = Param.parseDuration(ctx.param("max_lag", "10s")).toSeconds();
        try (Connection p = fleet.mariadb(primary)) {
            MariaDb.variable(p, "read_only");
        } catch (SQLException e) {
            throw StepFailure.fatal("primary " + primary.id() + " does not answer (" + e.getMessage() + "): that is a failover");
        }
        try (Connection c = fleet.mariadb(cand); var st = c.createStatement(); var rs = st.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next() || rs.getInt("Master_Port") != primary.port() || !"Yes".equals(rs.getString("Slave_IO_Running"))
                    || !"Yes".equals(rs.getString("Slave_SQL_Running"))) {
                throw StepFailure.fatal(cand.id() + " does not replicate from " + primary.id() + " with both threads running");
            }
            Object lag = rs.getObject("Seconds_Behind_Master");
            if (lag == null || ((Number) lag).longValue() > maxLag) {
                throw StepFailure.fatal(cand.id() + " is " + (lag == null ? "an unknown time" : lag + " s") + " behind (max " + maxLag + " s)");
            }
        }
        List<String> others = new ArrayList<>();
        for (InventoryInstance r : MariaDbFailover.replicasOf(fleet, primary)) {
            if (!r.id().equals(cand.id())) {
                others.add(r.id());
            }
        }
        ctx.putFact("old_primary", primary.id());
        ctx.putFact("others", String.join(",", others));
        ctx.out("switching " + cand.cluster() + " from " + primary.id() + " to " + cand.id());
    }
}
