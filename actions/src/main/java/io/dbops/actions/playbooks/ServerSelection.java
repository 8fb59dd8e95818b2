package io.dbops.actions.playbooks;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.metadata.InventoryInstance;
import java.util.List;

/** The {@code select_server} step type: where a new instance goes (hard rules first, then a capacity and anti-affinity order). */
final class ServerSelection {
    private ServerSelection() {
    }

    /** The parameters every provisioning playbook takes, then its own. */
    static List<io.dbops.actions.run.Param> provisioningParams(String setName, io.dbops.actions.run.Param... own) {
        List<io.dbops.actions.run.Param> out = new java.util.ArrayList<>(List.of(
                io.dbops.actions.run.Param.required("instance", io.dbops.actions.run.Param.Type.STRING, "the new instance's id"),
                io.dbops.actions.run.Param.required("port", io.dbops.actions.run.Param.Type.INT, "its TCP port"),
                io.dbops.actions.run.Param.required("business_line", io.dbops.actions.run.Param.Type.STRING, "the business line that owns it"),
                io.dbops.actions.run.Param.optional("cluster", io.dbops.actions.run.Param.Type.STRING,
                        "a new " + setName + " it is the primary of (default: standalone)"),
                io.dbops.actions.run.Param.optional("replica_of", io.dbops.actions.run.Param.Type.INSTANCE,
                        "the primary it replicates from (it joins that set)"),
                io.dbops.actions.run.Param.optional("server", io.dbops.actions.run.Param.Type.STRING,
                        "the server to use (default: selected; naming one is recorded as a DBA's placement decision)"),
                io.dbops.actions.run.Param.optional("memory_gb", io.dbops.actions.run.Param.Type.INT, "memory it needs, GB (default: 4, Redis 1)"),
                io.dbops.actions.run.Param.optional("disk_gb", io.dbops.actions.run.Param.Type.INT, "disk it needs, GB (default: 20, Redis 2)")));
        out.addAll(List.of(own));
        return List.copyOf(out);
    }

    /** The last step of provisioning: the instance becomes active, so collectors poll it within 30 s. */
    static io.dbops.actions.run.Step activateStep(java.util.function.Function<StepContext, String> role) {
        return io.dbops.actions.run.Steps.named("activate").timeout(java.time.Duration.ofSeconds(30))
                .describe(ctx -> "mark " + ctx.param("instance") + " active: collectors poll it within 30 s")
                .does(ctx -> {
                    ctx.fleet().inventory().setRoleAndStatus(ctx.param("instance"), role.apply(ctx), "active");
                    ctx.out(ctx.param("instance") + " active");
                });
    }

    /**
     * Checks the new instance's id and port and selects its server through the fleet's
     * {@link LivePlacement} (hard rules, then the trained model or the heuristic): the one named, if
     * it passes the rules, else the best ranked. Records the facts server and address.
     */
    static void select(StepContext ctx, String cluster) throws Exception {
        Fleet fleet = ctx.fleet();
        String id = ctx.param("instance");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw StepFailure.fatal("parameter 'instance' must be letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        InventoryInstance existing = fleet.inventory().instance(id);
        if (existing != null && !"provisioning".equals(existing.status())) {
            throw StepFailure.fatal("instance " + id + " exists already (" + existing.status() + " on " + existing.server() + ")");
        }
        selectRanked(ctx, fleet.placement(), id, cluster, Integer.parseInt(ctx.param("port")));
    }

    /** The new instance's role for placement: replica when it replicates, primary when it starts a set, else standalone. */
    private static String role(StepContext ctx, String cluster) {
        return ctx.param("replica_of") != null ? "replica" : cluster == null ? "standalone" : "primary";
    }

    /** Memory and disk the new instance needs (GB): the parameters, else the engine's defaults. */
    static double[] need(StepContext ctx) {
        double[] d = LivePlacement.defaults(ctx.run().playbook());
        return new double[] {ctx.param("memory_gb") != null ? Integer.parseInt(ctx.param("memory_gb")) : d[0],
                ctx.param("disk_gb") != null ? Integer.parseInt(ctx.param("disk_gb")) : d[1]};
    }

    /**
     * Hard rules first, then the model (or the heuristic) ranks the feasible servers; a server the
     * DBA named must pass the same rules and is recorded as their decision. Nothing is selected on
     * an infeasible server.
     */
    private static void selectRanked(StepContext ctx, LivePlacement placement, String id, String cluster, int port) throws Exception {
        double[] need = need(ctx);
        String engine = ctx.run().playbook().startsWith("redis") ? "redis" : "mariadb";
        LivePlacement.Proposal p = placement.propose(id, engine, need[0], need[1], ctx.param("business_line"), cluster, role(ctx, cluster), port);
        ctx.out("ranked by " + p.method());
        String named = ctx.param("server");
        LivePlacement.Option chosen;
        if (named != null) {
            chosen = p.ranked().stream().filter(o -> o.candidate().server().equals(named)).findFirst().orElse(null);
            if (chosen == null) {
                String why = p.refused().stream().filter(r -> r.server().equals(named)).map(LivePlacement.Refusal::reason).findFirst()
                        .orElse("unknown server");
                throw StepFailure.fatal("server " + named + " cannot take " + id + ": " + why);
            }
        } else if (p.ranked().isEmpty()) {
            throw StepFailure.fatal(p.whyNone());
        } else {
            chosen = p.ranked().get(0);
        }
        int shown = 0;
        for (LivePlacement.Option o : p.ranked()) {
            if (shown++ < 5 || o == chosen) {
                ctx.out(String.format(java.util.Locale.ROOT, "%s: score %.3f, %.1f GB memory and %.0f GB disk free, %d instances%s%s", o.candidate().server(),
                        o.score(), o.candidate().memFreeGb(), o.candidate().diskFreeGb(), o.candidate().instances(),
                        o.reasons().isEmpty() ? "" : "; " + String.join(", ", o.reasons()), o == chosen ? "  <- chosen" : ""));
            }
        }
        for (LivePlacement.Refusal r : p.refused()) {
            ctx.out(r.server() + ": not feasible, " + r.reason());
        }
        String by = named != null ? "dba" : p.modelVersion() != null ? "model" : "heuristic";
        placement.record(ctx.run().id(), p, chosen.candidate().server(), by);
        ctx.putFact("server", chosen.candidate().server());
        ctx.putFact("address", chosen.address());
        ctx.putFact("memory_gb", Double.toString(need[0]));
        ctx.putFact("disk_gb", Double.toString(need[1]));
    }

    /** Records what the new instance was given (after it is registered), so later placements count it. */
    static void recordAllocation(StepContext ctx) throws Exception {
        if (ctx.fact("memory_gb") != null) {
            ctx.fleet().inventory().setAllocation(ctx.param("instance"), Double.parseDouble(ctx.fact("memory_gb")),
                    Double.parseDouble(ctx.fact("disk_gb")));
        }
    }
}
