package io.dbops.actions.playbooks;

import io.dbops.actions.Fleet;
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
import java.util.Arrays;
import java.util.List;

/**
 * Failover of a MariaDB/MySQL replication set whose primary is dead, in the manner of orchestrator
 * and MHA: confirmed dead (the platform cannot reach it AND its replicas lost their IO thread), the
 * most advanced replica by GTID is chosen, applies its relay log, is promoted, the other replicas
 * are repointed by GTID, the old primary is fenced (read-only and sessions killed if it answers,
 * marked fenced in the inventory either way, so it cannot rejoin before {@link MariaDbRejoin}
 * checked it), the inventory is updated and the change published on {@code dbops.topology}.
 */
public final class MariaDbFailover extends NamedPlaybook {
    public static final String NAME = "mariadb_failover";

    public MariaDbFailover() {
        super(NAME, "promote the most advanced replica of a replication set whose primary is dead", true);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("primary", Param.Type.INSTANCE, "the dead primary"),
                Param.optional("candidate", Param.Type.INSTANCE, "the replica to promote (default: the most advanced by GTID)"),
                Param.optional("relay_timeout", Param.Type.DURATION, "how long the candidate may take to apply its relay log (default 30s)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("confirm_dead").readOnly().timeout(Duration.ofSeconds(20))
                        .retry(RetryPolicy.attempts(6, Duration.ofMillis(300), "a primary that answers: that is a switchover, never a failover"))
                        .describe(ctx -> "check that " + ctx.param("primary") + " does not answer and that its replicas lost their IO thread")
                        .does(MariaDbFailover::confirmDead),
                Steps.named("choose_candidate").readOnly().timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "choose the most advanced replica by GTID" + (ctx.param("candidate") != null
                                ? " (asked for: " + ctx.param("candidate") + ")" : ""))
                        .does(MariaDbFailover::chooseCandidate),
                Steps.named("apply_relay_log").timeout(Duration.ofSeconds(120))
                        .retry(RetryPolicy.attempts(3, Duration.ofSeconds(1), "a candidate that cannot be reached"))
                        .describe(ctx -> "wait for " + ctx.fact("candidate") + " to apply its relay log up to " + ctx.fact("candidate_io_pos"))
                        .does(ctx -> {
                            InventoryInstance c = instance(ctx.fleet(), ctx.requireFact("candidate"));
                            int seconds = (int) Param.parseDuration(ctx.param("relay_timeout", "30s")).toSeconds();
                            try (Connection conn = ctx.fleet().mariadb(c)) {
                                MariaDb.waitForGtid(conn, ctx.fact("candidate_io_pos"), seconds);
                            }
                            ctx.out(c.id() + " applied everything it received (" + ctx.fact("candidate_io_pos") + ")");
                        }),
                Steps.named("promote").timeout(Duration.ofSeconds(30))
                        .retry(RetryPolicy.attempts(3, Duration.ofMillis(500), "nothing: promotion is idempotent"))
                        .describe(ctx -> "promote " + ctx.fact("candidate") + ": stop replication, reset it, read_only=OFF")
                        .does(ctx -> {
                            InventoryInstance c = instance(ctx.fleet(), ctx.requireFact("candidate"));
                            try (Connection conn = ctx.fleet().mariadb(c)) {
                                MariaDb.promote(conn);
                                ctx.putFact("promoted_gtid", MariaDb.variable(conn, "gtid_current_pos"));
                            }
                            ctx.putFact("promoted_at", Instant.now().toString());
                            ctx.out(c.id() + " is primary, writable, at " + ctx.fact("promoted_gtid"));
                        }),
                Steps.named("repoint_replicas").timeout(Duration.ofSeconds(60))
                        .retry(RetryPolicy.attempts(3, Duration.ofMillis(500), "nothing: repointing is idempotent"))
                        .describe(ctx -> "repoint " + (blank(ctx.fact("others")) ? "no other replica" : ctx.fact("others"))
                                + " to " + ctx.fact("candidate") + " by GTID")
                        .does(MariaDbFailover::repointOthers),
                Steps.named("fence_old_primary").timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "fence " + ctx.param("primary") + ": read_only and sessions killed if it answers, fenced in the inventory")
                        .does(ctx -> {
                            InventoryInstance old = instance(ctx.fleet(), ctx.param("primary"));
                            if (MariaDb.reachable(ctx.fleet(), old)) {
                                try (Connection conn = ctx.fleet().mariadb(old)) {
                                    int killed = MariaDb.fence(conn);
                                    ctx.out(old.id() + " answers again: read_only=ON, " + killed + " client sessions killed");
                                }
                            } else {
                                ctx.out(old.id() + " does not answer: fenced in the inventory only");
                            }
                            ctx.fleet().inventory().setRoleAndStatus(old.id(), "replica", "fenced");
                            ctx.out(old.id() + " marked fenced: it rejoins only through mariadb_rejoin (errant GTIDs checked)");
                        }),
                Steps.named("update_inventory").timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "record " + ctx.fact("candidate") + " as the primary of " + ctx.run().cluster())
                        .does(ctx -> {
                            ctx.fleet().inventory().setRoleAndStatus(ctx.requireFact("candidate"), "primary", "active");
                            ctx.out("inventory: " + ctx.fact("candidate") + " primary");
                        }),
                Steps.named("publish_topology").timeout(Duration.ofSeconds(40))
                        .retry(RetryPolicy.attempts(3, Duration.ofSeconds(1), "nothing: the topic is compacted by cluster"))
                        .describe(ctx -> "publish the new primary on dbops.topology")
                        .does(ctx -> {
                            Fleet fleet = ctx.fleet();
                            InventoryInstance c = instance(fleet, ctx.requireFact("candidate"));
                            InventoryInstance old = instance(fleet, ctx.param("primary"));
                            List<InstanceRef> replicas = new ArrayList<>();
                            for (String id : list(ctx.fact("others"))) {
                                replicas.add(instance(fleet, id).ref());
                            }
                            fleet.publishTopology(new TopologyChange(TopologyChange.SCHEMA, Instant.parse(ctx.requireFact("promoted_at")),
                                    c.cluster(), c.engine(), "failover", c.ref(), old.ref(), replicas, ctx.fact("promoted_gtid"),
                                    ctx.run().id(), "primary " + old.id() + " dead; " + c.id() + " promoted"));
                            ctx.out("published: " + c.cluster() + " primary is " + c.id());
                        }));
    }

    private static void confirmDead(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance primary = instance(fleet, ctx.param("primary"));
        if (!"primary".equals(primary.role())) {
            throw StepFailure.fatal(primary.id() + " is not the primary of " + primary.cluster() + " in the inventory (role "
                    + primary.role() + ", status " + primary.status() + ")");
        }
        if (MariaDb.reachable(fleet, primary)) {
            throw StepFailure.fatal(primary.id() + " answers: not dead, no failover (a planned change is mariadb_switchover)");
        }
        ctx.out(primary.id() + " does not answer");
        List<String> reachable = new ArrayList<>();
        List<String> stillConnected = new ArrayList<>();
        for (InventoryInstance r : replicasOf(fleet, primary)) {
            try (Connection c = fleet.mariadb(r)) {
                MariaDb.ReplicaStatus s = MariaDb.replicaStatus(c);
                ctx.out(r.id() + ": IO " + s.ioRunning() + ", SQL " + s.sqlRunning() + ", received " + s.gtidIoPos()
                        + (blank(s.lastIoError()) ? "" : ", IO error: " + s.lastIoError()));
                reachable.add(r.id());
                if (s.ioYes()) {
                    stillConnected.add(r.id());
                }
            } catch (SQLException e) {
                ctx.err(r.id() + " does not answer either: " + e.getMessage());
            }
        }
        if (reachable.isEmpty()) {
            throw StepFailure.fatal("no replica of " + primary.cluster() + " answers: nothing to promote");
        }
        if (!stillConnected.isEmpty()) {
            // the primary may only be unreachable from here: the replicas' view decides
            throw StepFailure.transientFailure(String.join(", ", stillConnected) + " still receive from " + primary.id()
                    + ": not confirmed dead", null);
        }
        ctx.putFact("replicas", String.join(",", reachable));
        ctx.out("confirmed dead: unreachable from the platform and from " + reachable.size() + " replicas");
    }

    private static void chooseCandidate(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        String best = null;
        GtidPosition bestPos = null;
        java.util.Map<String, GtidPosition> positions = new java.util.LinkedHashMap<>();
        for (String id : list(ctx.requireFact("replicas"))) {
            try (Connection c = fleet.mariadb(instance(fleet, id))) {
                MariaDb.ReplicaStatus s = MariaDb.replicaStatus(c);
                // what it received (IO) covers what it applied; a replica without IO position falls back to applied
                GtidPosition pos = GtidPosition.parse(!blank(s.gtidIoPos()) ? s.gtidIoPos() : MariaDb.variable(c, "gtid_slave_pos"));
                positions.put(id, pos);
                ctx.out(id + " received up to " + pos);
                if (best == null || pos.compareAdvance(bestPos) > 0) {
                    best = id;
                    bestPos = pos;
                }
            } catch (SQLException e) {
                ctx.err(id + " stopped answering: " + e.getMessage());
            }
        }
        if (best == null) {
            throw StepFailure.fatal("no replica answers any more");
        }
        String asked = ctx.param("candidate");
        if (asked != null) {
            if (!positions.containsKey(asked)) {
                throw StepFailure.fatal("candidate " + asked + " is not an answering replica of the cluster (answering: "
                        + String.join(", ", positions.keySet()) + ")");
            }
            if (!positions.get(asked).contains(bestPos)) {
                throw StepFailure.fatal("candidate " + asked + " is behind " + best + " (" + positions.get(asked) + " vs " + bestPos
                        + "): promoting it would lose " + String.join(", ", bestPos.beyond(positions.get(asked))));
            }
            best = asked;
            bestPos = positions.get(asked);
        }
        List<String> others = new ArrayList<>(positions.keySet());
        others.remove(best);
        ctx.putFact("candidate", best);
        ctx.putFact("candidate_io_pos", bestPos.toString());
        ctx.putFact("others", String.join(",", others));
        ctx.out("candidate: " + best + " at " + bestPos);
    }

    private static void repointOthers(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance c = instance(fleet, ctx.requireFact("candidate"));
        String host = fleet.address(c);
        List<String> failed = new ArrayList<>();
        for (String id : list(ctx.fact("others"))) {
            try (Connection conn = fleet.mariadb(instance(fleet, id))) {
                ctx.out(id + ": " + MariaDb.repoint(conn, host, c.port(), fleet.replicationUser(), fleet.replicationPassword(), "slave_pos"));
            } catch (SQLException e) {
                failed.add(id + " (" + e.getMessage() + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw StepFailure.transientFailure("could not repoint " + String.join(", ", failed), null);
        }
    }

    static List<InventoryInstance> replicasOf(Fleet fleet, InventoryInstance primary) throws SQLException {
        return fleet.inventory().cluster(primary.cluster()).stream()
                .filter(i -> i.role().equals("replica") && i.status().equals("active") && !i.id().equals(primary.id()))
                .toList();
    }

    public static InventoryInstance instance(Fleet fleet, String id) throws SQLException, StepFailure {
        InventoryInstance i = id == null ? null : fleet.inventory().instance(id);
        if (i == null) {
            throw StepFailure.fatal("instance " + id + " is not in the inventory");
        }
        return i;
    }

    public static List<String> list(String csv) {
        return blank(csv) ? List.of() : Arrays.asList(csv.split(","));
    }

    public static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
