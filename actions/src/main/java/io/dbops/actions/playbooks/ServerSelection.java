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
                io.dbops.actions.run.Param.optional("server", io.dbops.actions.run.Param.Type.STRING, "the server to use (default: selected)")));
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
     * Checks the new instance's id and port and selects its server: the one named, or (until the
     * learned ranker lands) a server not in maintenance, with no member of {@code cluster} if
     * another allows it, then with the fewest instances. Records the facts server and address.
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
        int port = Integer.parseInt(ctx.param("port"));
        List<Placement.Candidate> ranked = Placement.rank(fleet.inventory().servers(), fleet.inventory().instances(), cluster, port,
                ctx.param("server"), id);
        if (ranked.isEmpty() || ranked.stream().allMatch(c -> c.reason().startsWith("port"))) {
            throw StepFailure.fatal(ctx.param("server") != null ? "server " + ctx.param("server") + " is unknown or has port " + port + " taken"
                    : "no server has port " + port + " free");
        }
        if (!ranked.get(0).feasible()) {
            throw StepFailure.fatal("every candidate server is in maintenance: " + ranked.stream().map(Placement.Candidate::server).toList());
        }
        Placement.Candidate chosen = ranked.get(0);
        for (Placement.Candidate c : ranked) {
            if (c.feasible()) {
                ctx.out(c.server() + ": " + c.instances() + " instances" + (c == chosen ? "  <- chosen" : ""));
            }
        }
        ctx.putFact("server", chosen.server());
        ctx.putFact("address", chosen.address());
    }
}
