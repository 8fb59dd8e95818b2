package io.dbops.actions.playbooks;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.Compensation;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.actions.steps.AnsibleStep;
import io.dbops.actions.steps.WaitUntil;
import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Provisions a new Redis server through the Ansible playbook {@code provision-redis.yml}: a master
 * of a new set, a standalone server, or a replica of a master ({@code replica_of}: it syncs from it,
 * and the set's Sentinels discover it by themselves). Registered as {@code provisioning}, checked
 * (a replica's link to its master up), then {@code active}: collectors poll it within 30 s.
 */
public final class RedisProvision extends NamedPlaybook {
    public static final String NAME = "redis_provision";

    public RedisProvision() {
        super(NAME, "a new Redis server through Ansible (master, standalone or replica), registered and monitored", false);
    }

    @Override
    public List<Param> params() {
        return ServerSelection.provisioningParams("set", Param.optional("maxmemory", Param.Type.STRING, "maxmemory (default 256mb)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("select_server").readOnly().timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "select a server for " + ctx.param("instance"))
                        .does(ctx -> ServerSelection.select(ctx, cluster(ctx))),
                Steps.named("register").timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "register " + ctx.param("instance") + " as provisioning")
                        .compensation(ctx -> new Compensation("mark " + ctx.param("instance") + " decommissioned",
                                c -> c.fleet().inventory().setRoleAndStatus(c.param("instance"), role(c), "decommissioned")))
                        .does(ctx -> {
                            if (ctx.param("cluster") != null && ctx.param("replica_of") == null) {
                                ctx.fleet().inventory().upsertCluster(ctx.param("cluster"), Engine.REDIS, ctx.param("business_line"),
                                        "provisioned by " + ctx.run().id());
                            }
                            ctx.fleet().inventory().upsertInstance(new InventoryInstance(ctx.param("instance"), Engine.REDIS, cluster(ctx),
                                    ctx.requireFact("server"), Integer.parseInt(ctx.param("port")), role(ctx), ctx.param("business_line"), null,
                                    "provisioning", null, true));
                            ServerSelection.recordAllocation(ctx);
                            ctx.out("registered " + ctx.param("instance") + " (" + role(ctx) + ", provisioning)");
                        }),
                Steps.named("ansible").timeout(Duration.ofMinutes(20))
                        .describe(ctx -> "ansible-playbook provision-redis.yml on " + ctx.fact("server"))
                        .does(RedisProvision::ansible),
                Steps.named("check").readOnly().timeout(Duration.ofMinutes(10))
                        .describe(ctx -> "PING " + ctx.param("instance") + (ctx.param("replica_of") != null ? " and wait for its link to the master" : ""))
                        .does(RedisProvision::check),
                ServerSelection.activateStep(RedisProvision::role));
    }

    static String role(StepContext ctx) {
        return ctx.param("replica_of") != null ? "replica" : ctx.param("cluster") == null ? "standalone" : "primary";
    }

    static String cluster(StepContext ctx) throws Exception {
        if (ctx.param("replica_of") != null) {
            InventoryInstance master = MariaDbFailover.instance(ctx.fleet(), ctx.param("replica_of"));
            if (master.engine() != Engine.REDIS) {
                throw StepFailure.fatal("parameter 'replica_of': " + master.id() + " is not a Redis instance");
            }
            return master.cluster();
        }
        return ctx.param("cluster");
    }

    private static void ansible(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        String address = ctx.requireFact("address");
        boolean local = AnsibleStep.isLocal(address);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("instance", ctx.param("instance"));
        vars.put("target_host", ctx.requireFact("server"));
        vars.put("base_dir", fleet.provisionDir().toString());
        vars.put("redis_port", Integer.parseInt(ctx.param("port")));
        vars.put("bind_address", local ? "127.0.0.1" : "0.0.0.0");
        vars.put("maxmemory", ctx.param("maxmemory", "256mb"));
        vars.put("maxmemory_policy", "noeviction");
        if (ctx.param("replica_of") != null) {
            InventoryInstance master = MariaDbFailover.instance(fleet, ctx.param("replica_of"));
            vars.put("master_host", fleet.address(master));
            vars.put("master_port", master.port());
        } else {
            vars.put("master_host", "");
            vars.put("master_port", 0);
        }
        AnsibleStep.run(ctx, "provision-redis.yml", Map.of(ctx.requireFact("server"), address), vars, Duration.ofMinutes(15));
    }

    private static void check(StepContext ctx) throws Exception {
        InventoryInstance self = MariaDbFailover.instance(ctx.fleet(), ctx.param("instance"));
        WaitUntil.await(ctx, ctx.param("instance") + " ready", c -> {
            try (Jedis j = c.fleet().redis(self)) {
                if (!"PONG".equals(j.ping())) {
                    return "no PONG";
                }
                if (c.param("replica_of") == null) {
                    return null;
                }
                String info = j.info("replication");
                return info.contains("master_link_status:up") ? null : "link to the master not up yet";
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        }, Duration.ofMinutes(5), Duration.ofMillis(300));
    }
}
