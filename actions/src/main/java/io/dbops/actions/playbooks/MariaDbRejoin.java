package io.dbops.actions.playbooks;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.RetryPolicy;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.events.TopologyChange;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Brings a fenced former primary back as a replica of the current primary, after checking it for
 * errant transactions: GTIDs it wrote that never reached the server promoted in its place. The new
 * primary's {@code gtid_slave_pos} is where it stopped applying the old primary's transactions; the
 * old primary's own binlog position beyond that, in any domain, is errant, and the rejoin is
 * refused with those GTIDs listed (they need a DBA: apply them elsewhere or rebuild the server).
 */
public final class MariaDbRejoin extends NamedPlaybook {
    public static final String NAME = "mariadb_rejoin";

    public MariaDbRejoin() {
        super(NAME, "make a fenced former primary a replica again, refusing when it has errant transactions", false);
    }

    @Override
    public List<Param> params() {
        return List.of(Param.required("instance", Param.Type.INSTANCE, "the fenced former primary"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("check_errant").readOnly().timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "compare " + ctx.param("instance") + "'s GTIDs with the current primary's")
                        .does(MariaDbRejoin::checkErrant),
                Steps.named("make_replica").timeout(Duration.ofSeconds(60))
                        .retry(RetryPolicy.attempts(5, Duration.ofSeconds(1), "a server with errant GTIDs (checked before)"))
                        .describe(ctx -> "make " + ctx.param("instance") + " a read-only replica of " + ctx.fact("primary"))
                        .does(ctx -> {
                            Fleet fleet = ctx.fleet();
                            InventoryInstance primary = instance(fleet, ctx.requireFact("primary"));
                            try (Connection c = fleet.mariadb(instance(fleet, ctx.param("instance")))) {
                                ctx.out(MariaDb.repoint(c, fleet.address(primary), primary.port(), fleet.replicationUser(),
                                        fleet.replicationPassword(), "current_pos"));
                                Thread.sleep(500);
                                MariaDb.ReplicaStatus s = MariaDb.replicaStatus(c);
                                if (s.lastIoError() != null && s.lastIoError().contains("1236")
                                        || s.lastIoError() != null && s.lastIoError().contains("not in the master's binlog")) {
                                    MariaDb.exec(c, "STOP SLAVE");
                                    throw StepFailure.fatal("the primary refuses " + ctx.param("instance") + "'s position (errant transactions): "
                                            + s.lastIoError());
                                }
                                if (!s.ioYes() || !"Yes".equals(s.sqlRunning())) {
                                    throw StepFailure.transientFailure("replication not running yet: IO " + s.ioRunning() + ", SQL "
                                            + s.sqlRunning() + (MariaDbFailover.blank(s.lastIoError()) ? "" : " (" + s.lastIoError() + ")"), null);
                                }
                                ctx.out("replicating: IO Yes, SQL Yes");
                            }
                        }),
                Steps.named("update_inventory").timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "record " + ctx.param("instance") + " as an active replica")
                        .does(ctx -> {
                            ctx.fleet().inventory().setRoleAndStatus(ctx.param("instance"), "replica", "active");
                            ctx.out("inventory: " + ctx.param("instance") + " replica, active");
                        }),
                Steps.named("publish_topology").timeout(Duration.ofSeconds(40))
                        .describe(ctx -> "publish the replica set on dbops.topology")
                        .does(ctx -> {
                            Fleet fleet = ctx.fleet();
                            InventoryInstance primary = instance(fleet, ctx.requireFact("primary"));
                            var replicas = fleet.inventory().cluster(primary.cluster()).stream()
                                    .filter(i -> i.role().equals("replica") && i.status().equals("active")).map(InventoryInstance::ref).toList();
                            fleet.publishTopology(new TopologyChange(TopologyChange.SCHEMA, Instant.now(), primary.cluster(), primary.engine(),
                                    "replica_added", primary.ref(), null, replicas, null, ctx.run().id(), ctx.param("instance") + " rejoined"));
                        }));
    }

    private static void checkErrant(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance old = instance(fleet, ctx.param("instance"));
        InventoryInstance primary = fleet.inventory().cluster(old.cluster()).stream()
                .filter(i -> i.role().equals("primary") && i.status().equals("active")).findFirst()
                .orElseThrow(() -> StepFailure.fatal("cluster " + old.cluster() + " has no active primary in the inventory"));
        if (primary.id().equals(old.id())) {
            throw StepFailure.fatal(old.id() + " is the primary of " + old.cluster() + ": nothing to rejoin");
        }
        GtidPosition oldPos;
        GtidPosition applied;
        try (Connection c = fleet.mariadb(old)) {
            oldPos = GtidPosition.parse(MariaDb.variable(c, "gtid_binlog_pos"));
        } catch (java.sql.SQLException e) {
            throw StepFailure.transientFailure(old.id() + " does not answer: " + e.getMessage(), e);
        }
        GtidPosition current;
        try (Connection c = fleet.mariadb(primary)) {
            applied = GtidPosition.parse(MariaDb.variable(c, "gtid_slave_pos"));
            current = GtidPosition.parse(MariaDb.variable(c, "gtid_binlog_pos"));
        }
        List<String> errant = oldPos.errantAgainst(applied, current);
        if (!errant.isEmpty()) {
            throw StepFailure.fatal(old.id() + " has errant transactions the primary " + primary.id() + " never received: "
                    + String.join(", ", errant) + " (its binlog is at " + oldPos + "; the primary applied up to " + applied
                    + " and is at " + current + "); resolve them by hand or rebuild " + old.id());
        }
        ctx.putFact("primary", primary.id());
        ctx.out(old.id() + " at " + oldPos + ": no errant transactions against " + primary.id() + " (applied " + applied + ")");
    }
}
