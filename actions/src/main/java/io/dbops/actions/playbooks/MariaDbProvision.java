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
import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provisions a new MariaDB server: a server is selected (the one named, or the capacity and
 * anti-affinity heuristic until the learned ranker lands: not in maintenance, no member of the
 * same cluster if another server allows it, then the fewest instances), the instance is
 * registered as {@code provisioning}, the Ansible playbook {@code provision-mariadb.yml} creates
 * its folders, configuration, system tables, starts it and creates the platform's accounts, the
 * server is checked, and the instance becomes {@code active}: collectors poll it within 30 s.
 */
public final class MariaDbProvision extends NamedPlaybook {
    public static final String NAME = "mariadb_provision";

    public MariaDbProvision() {
        super(NAME, "a new MariaDB server through Ansible, registered in the inventory and monitored", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.STRING, "the new instance's id"),
                Param.required("port", Param.Type.INT, "its TCP port"),
                Param.required("business_line", Param.Type.STRING, "the business line that owns it"),
                Param.optional("cluster", Param.Type.STRING, "a new replication set it is the primary of (default: standalone)"),
                Param.optional("server", Param.Type.STRING, "the server to use (default: selected)"),
                Param.optional("buffer_pool", Param.Type.STRING, "innodb_buffer_pool_size (default 128M)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("select_server").readOnly().timeout(Duration.ofSeconds(30))
                        .describe(ctx -> ctx.param("server") != null ? "check server " + ctx.param("server") : "select a server for " + ctx.param("instance"))
                        .does(MariaDbProvision::selectServer),
                Steps.named("register").timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "register " + ctx.param("instance") + " on " + ctx.fact("server") + ":" + ctx.param("port") + " as provisioning")
                        .compensation(ctx -> new Compensation("mark " + ctx.param("instance") + " decommissioned",
                                c -> c.fleet().inventory().setRoleAndStatus(c.param("instance"), role(c), "decommissioned")))
                        .does(ctx -> {
                            var inv = ctx.fleet().inventory();
                            if (ctx.param("cluster") != null) {
                                inv.upsertCluster(ctx.param("cluster"), Engine.MARIADB, ctx.param("business_line"), "provisioned by " + ctx.run().id());
                            }
                            inv.upsertInstance(new InventoryInstance(ctx.param("instance"), Engine.MARIADB, ctx.param("cluster"), ctx.requireFact("server"),
                                    Integer.parseInt(ctx.param("port")), role(ctx), ctx.param("business_line"), "fleet.mariadb.monitor", "provisioning",
                                    ctx.fleet().provisionDir().resolve(ctx.param("instance")).resolve("slow.log").toString(), true));
                            ctx.out("registered " + ctx.param("instance") + " (" + role(ctx) + ", provisioning)");
                        }),
                Steps.named("ansible").timeout(Duration.ofMinutes(20))
                        .describe(ctx -> "ansible-playbook provision-mariadb.yml on " + ctx.fact("server"))
                        .does(MariaDbProvision::ansible),
                Steps.named("check").readOnly().timeout(Duration.ofSeconds(60))
                        .describe(ctx -> "connect to " + ctx.param("instance") + " with the platform's account")
                        .does(ctx -> {
                            InventoryInstance i = MariaDbFailover.instance(ctx.fleet(), ctx.param("instance"));
                            try (Connection c = ctx.fleet().mariadb(i); Statement st = c.createStatement();
                                 ResultSet rs = st.executeQuery("SELECT VERSION(), @@server_id, @@read_only")) {
                                rs.next();
                                ctx.out(i.id() + " answers: " + rs.getString(1) + ", server_id " + rs.getLong(2) + ", read_only " + rs.getInt(3));
                            }
                        }),
                Steps.named("activate").timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "mark " + ctx.param("instance") + " active: collectors poll it within 30 s")
                        .does(ctx -> {
                            ctx.fleet().inventory().setRoleAndStatus(ctx.param("instance"), role(ctx), "active");
                            ctx.out(ctx.param("instance") + " active");
                        }));
    }

    static String role(StepContext ctx) {
        return ctx.param("cluster") == null ? "standalone" : "primary";
    }

    private static void selectServer(StepContext ctx) throws Exception {
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
        String cluster = ctx.param("cluster");
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

    private static void ansible(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        String server = ctx.requireFact("server");
        String address = ctx.requireFact("address");
        boolean local = address.startsWith("127.") || address.equals("localhost");
        Map<String, Object> vars = new LinkedHashMap<>(fleet.platformAccounts());
        vars.put("instance", ctx.param("instance"));
        vars.put("target_host", server);
        vars.put("base_dir", fleet.provisionDir().toString());
        vars.put("port", Integer.parseInt(ctx.param("port")));
        vars.put("server_id", 1000 + Math.floorMod(ctx.param("instance").hashCode(), 1_000_000));
        vars.put("bind_address", local ? "127.0.0.1" : "0.0.0.0");
        vars.put("client_host", local ? "127.0.0.1" : "%");
        vars.put("buffer_pool", ctx.param("buffer_pool", "128M"));
        AnsibleStep.run(ctx, "provision-mariadb.yml", Map.of(server, address), vars, Duration.ofMinutes(15));
    }
}
