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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Failover of a Redis primary/replica set. With Sentinels (the set's cluster has sentinel members
 * in the inventory; the cluster name is the Sentinel master name) the Sentinels decide: the
 * playbook asks them for a failover only when {@code planned=true} (SENTINEL FAILOVER), waits until
 * a majority report a new master, checks it answers as master, and records it. Without Sentinels it
 * promotes the replica itself (REPLICAOF NO ONE) and repoints the others.
 */
public final class RedisFailover extends NamedPlaybook {
    public static final String NAME = "redis_failover";

    public RedisFailover() {
        super(NAME, "record (or, planned, ask for) a Sentinel failover; promote directly where there are no Sentinels", true);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("master", Param.Type.INSTANCE, "the failed (or, planned, the current) master"),
                Param.optional("planned", Param.Type.BOOL, "ask the Sentinels for the failover (SENTINEL FAILOVER); default false"),
                Param.optional("timeout", Param.Type.DURATION, "how long to wait for the new master (default 30s)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("inspect").readOnly().timeout(Duration.ofSeconds(15))
                        .describe(ctx -> "find the Sentinels and replicas of " + ctx.param("master"))
                        .does(RedisFailover::inspect),
                Steps.named("failover").timeout(Duration.ofSeconds(90))
                        .retry(RetryPolicy.attempts(2, Duration.ofSeconds(1), "a set with no replica to promote"))
                        .describe(ctx -> MariaDbFailover.blank(ctx.fact("sentinels"))
                                ? "promote " + ctx.fact("replicas") + " with REPLICAOF NO ONE"
                                : ("true".equals(ctx.param("planned")) ? "ask the Sentinels for a failover and wait" : "wait for the Sentinels' failover")
                                + " of " + ctx.fact("master_name"))
                        .does(RedisFailover::failover),
                Steps.named("update_inventory").timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "record " + ctx.fact("new_master") + " as the master")
                        .does(ctx -> {
                            ctx.fleet().inventory().setRoleAndStatus(ctx.requireFact("new_master"), "primary", "active");
                            ctx.fleet().inventory().setRoleAndStatus(ctx.param("master"), "replica", "active");
                            ctx.out("inventory: " + ctx.fact("new_master") + " primary, " + ctx.param("master") + " replica");
                        }),
                Steps.named("publish_topology").timeout(Duration.ofSeconds(40))
                        .describe(ctx -> "publish the new master on dbops.topology")
                        .does(ctx -> {
                            Fleet fleet = ctx.fleet();
                            InventoryInstance now = instance(fleet, ctx.requireFact("new_master"));
                            InventoryInstance old = instance(fleet, ctx.param("master"));
                            fleet.publishTopology(new TopologyChange(TopologyChange.SCHEMA, Instant.now(), now.cluster(), now.engine(),
                                    "true".equals(ctx.param("planned")) ? "switchover" : "failover", now.ref(), old.ref(), List.of(old.ref()),
                                    null, ctx.run().id(), "master " + old.id() + " replaced by " + now.id()));
                        }));
    }

    private static void inspect(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance master = instance(fleet, ctx.param("master"));
        List<String> sentinels = new ArrayList<>();
        List<String> replicas = new ArrayList<>();
        for (InventoryInstance i : fleet.inventory().cluster(master.cluster())) {
            if (i.role().equals("sentinel")) {
                sentinels.add(i.id());
            } else if (!i.id().equals(master.id()) && !i.status().equals("decommissioned")) {
                replicas.add(i.id());
            }
        }
        if (replicas.isEmpty()) {
            throw StepFailure.fatal(master.cluster() + " has no replica to promote");
        }
        ctx.putFact("master_name", master.cluster());
        ctx.putFact("old_address", fleet.address(master) + ":" + master.port());
        ctx.putFact("sentinels", String.join(",", sentinels));
        ctx.putFact("replicas", String.join(",", replicas));
        ctx.out(master.cluster() + ": master " + master.id() + " at " + ctx.fact("old_address") + ", replicas " + replicas
                + ", sentinels " + (sentinels.isEmpty() ? "none" : sentinels));
    }

    private static void failover(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        List<String> sentinels = MariaDbFailover.list(ctx.fact("sentinels"));
        String name = ctx.requireFact("master_name");
        String old = ctx.requireFact("old_address");
        long deadline = System.currentTimeMillis() + Param.parseDuration(ctx.param("timeout", "30s")).toMillis();
        if (sentinels.isEmpty()) {
            promoteDirectly(ctx);
            return;
        }
        if ("true".equals(ctx.param("planned")) && !old.equals(majorityMaster(ctx, sentinels, name, false))) {
            ctx.out("the Sentinels already moved the master away from " + old);
        } else if ("true".equals(ctx.param("planned"))) {
            try (Jedis s = fleet.redis(instance(fleet, sentinels.get(0)))) {
                ctx.out("SENTINEL FAILOVER " + name + ": " + s.sendCommand(redis.clients.jedis.Protocol.Command.SENTINEL, "FAILOVER", name));
            }
        }
        while (true) {
            String addr = majorityMaster(ctx, sentinels, name, true);
            if (addr != null && !addr.equals(old)) {
                String id = instanceAt(fleet, ctx.fact("replicas"), addr);
                try (Jedis j = fleet.redis(instance(fleet, id))) {
                    String role = j.role().get(0).toString();
                    if (role.equals("master")) {
                        ctx.putFact("new_master", id);
                        ctx.out("a majority of Sentinels report " + addr + " (" + id + "), which answers as master");
                        return;
                    }
                    ctx.out(addr + " is reported but still answers as " + role);
                } catch (RuntimeException e) {
                    ctx.err(addr + " does not answer yet: " + e.getMessage());
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw StepFailure.transientFailure("no new master for " + name + " reported by a majority of Sentinels in time", null);
            }
            Thread.sleep(200);
        }
    }

    /** The address a majority of Sentinels give for the master, or null when they disagree or do not answer. */
    private static String majorityMaster(StepContext ctx, List<String> sentinels, String name, boolean quiet) throws Exception {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (String id : sentinels) {
            try (Jedis s = ctx.fleet().redis(instance(ctx.fleet(), id))) {
                List<String> hp = s.sentinelGetMasterAddrByName(name);
                if (hp != null && hp.size() == 2) {
                    votes.merge(hp.get(0) + ":" + hp.get(1), 1, Integer::sum);
                }
            } catch (RuntimeException e) {
                if (!quiet) {
                    ctx.err("Sentinel " + id + " does not answer: " + e.getMessage());
                }
            }
        }
        for (var e : votes.entrySet()) {
            if (e.getValue() > sentinels.size() / 2) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String instanceAt(Fleet fleet, String csv, String addr) throws Exception {
        for (String id : MariaDbFailover.list(csv)) {
            InventoryInstance i = instance(fleet, id);
            if ((fleet.address(i) + ":" + i.port()).equals(addr)) {
                return id;
            }
        }
        throw StepFailure.fatal("the Sentinels' master " + addr + " is not a known member of the set");
    }

    private static void promoteDirectly(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        List<String> replicas = MariaDbFailover.list(ctx.requireFact("replicas"));
        String chosen = null;
        long best = -1;
        for (String id : replicas) {
            try (Jedis j = fleet.redis(instance(fleet, id))) {
                String info = j.info("replication");
                long offset = field(info, "slave_repl_offset");
                ctx.out(id + " replication offset " + offset);
                if (offset > best) {
                    best = offset;
                    chosen = id;
                }
            } catch (RuntimeException e) {
                ctx.err(id + " does not answer: " + e.getMessage());
            }
        }
        if (chosen == null) {
            throw StepFailure.fatal("no replica answers");
        }
        InventoryInstance c = instance(fleet, chosen);
        try (Jedis j = fleet.redis(c)) {
            j.replicaofNoOne();
        }
        for (String id : replicas) {
            if (!id.equals(chosen)) {
                try (Jedis j = fleet.redis(instance(fleet, id))) {
                    j.replicaof(fleet.address(c), c.port());
                }
            }
        }
        ctx.putFact("new_master", chosen);
        ctx.out(chosen + " promoted (REPLICAOF NO ONE), the other replicas follow it");
    }

    private static long field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }
}
