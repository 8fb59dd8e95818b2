package io.dbops.actions.playbooks;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        List<InventoryInstance> all = fleet.inventory().instances();
        Map<String, Long> load = new LinkedHashMap<>();
        for (InventoryInstance i : all) {
            if (!"decommissioned".equals(i.status())) {
                load.merge(i.server(), 1L, Long::sum);
            }
        }
        int port = Integer.parseInt(ctx.param("port"));
        List<InventoryServer> servers = fleet.inventory().servers();
        List<InventoryServer> candidates = servers.stream()
                .filter(s -> ctx.param("server") == null || s.name().equals(ctx.param("server")))
                .filter(s -> all.stream().noneMatch(i -> i.server().equals(s.name()) && i.port() == port && !i.id().equals(id)
                        && !"decommissioned".equals(i.status())))
                .toList();
        if (candidates.isEmpty()) {
            throw StepFailure.fatal(ctx.param("server") != null ? "server " + ctx.param("server") + " is unknown or has port " + port + " taken"
                    : "no server has port " + port + " free");
        }
        List<InventoryServer> usable = candidates.stream().filter(s -> !s.maintenance()).toList();
        if (usable.isEmpty()) {
            throw StepFailure.fatal("every candidate server is in maintenance: " + candidates.stream().map(InventoryServer::name).toList());
        }
        InventoryServer chosen = usable.stream().min(Comparator
                .comparing((InventoryServer s) -> cluster != null && all.stream().anyMatch(i -> cluster.equals(i.cluster()) && i.server().equals(s.name())))
                .thenComparing(s -> load.getOrDefault(s.name(), 0L))
                .thenComparing(InventoryServer::name)).orElseThrow();
        for (InventoryServer s : usable) {
            ctx.out(s.name() + ": " + load.getOrDefault(s.name(), 0L) + " instances" + (s.name().equals(chosen.name()) ? "  <- chosen" : ""));
        }
        ctx.putFact("server", chosen.name());
        ctx.putFact("address", chosen.address());
    }
}
