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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provisions a new MariaDB server, empty, restored from a backup ({@code from_backup}: restore to
 * a new instance), or as a new replica of a replication set ({@code replica_of}: seeded from the
 * set's latest physical backup unless one is named, then replicating by GTID from the backup's
 * position). A server is selected ({@link LivePlacement}: hard rules, then the trained ranker or the
 * most-free-memory heuristic; a named server must pass the same rules), the instance is
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
        return ServerSelection.provisioningParams("replication set",
                Param.optional("buffer_pool", Param.Type.STRING, "innodb_buffer_pool_size (default 128M)"),
                Param.optional("from_backup", Param.Type.STRING, "a catalogued backup to restore into it (restore to a new instance)"));
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
                            if (ctx.param("cluster") != null && ctx.param("replica_of") == null) {
                                inv.upsertCluster(ctx.param("cluster"), Engine.MARIADB, ctx.param("business_line"), "provisioned by " + ctx.run().id());
                            }
                            inv.upsertInstance(new InventoryInstance(ctx.param("instance"), Engine.MARIADB, cluster(ctx), ctx.requireFact("server"),
                                    Integer.parseInt(ctx.param("port")), role(ctx), ctx.param("business_line"), "fleet.mariadb.monitor", "provisioning",
                                    ctx.fleet().provisionDir().resolve(ctx.param("instance")).resolve("slow.log").toString(), true));
                            ServerSelection.recordAllocation(ctx);
                            ctx.out("registered " + ctx.param("instance") + " (" + role(ctx) + ", provisioning)");
                        }),
                Steps.named("ansible").timeout(Duration.ofMinutes(60))
                        .compensation(ctx -> new Compensation("stop the server if it was started", MariaDbProvision::stopStarted))
                        .describe(ctx -> "ansible-playbook provision-mariadb.yml on " + ctx.fact("server")
                                + (ctx.fact("seed_kind") == null || ctx.fact("seed_kind").equals("none") ? "" : ", data from " + ctx.fact("seed_backup")))
                        .does(MariaDbProvision::ansible),
                Steps.named("replicate").timeout(Duration.ofMinutes(30))
                        .describe(ctx -> ctx.param("replica_of") == null ? "no replication (not a replica)"
                                : "replicate from " + ctx.param("replica_of") + " starting at " + ctx.fact("seed_position"))
                        .does(MariaDbProvision::replicate),
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
                ServerSelection.activateStep(MariaDbProvision::role));
    }

    static String role(StepContext ctx) {
        return ctx.param("replica_of") != null ? "replica" : ctx.param("cluster") == null ? "standalone" : "primary";
    }

    /** The cluster it joins: the primary's when it is a replica, else the one asked for (or none). */
    static String cluster(StepContext ctx) throws Exception {
        if (ctx.param("replica_of") != null) {
            return MariaDbFailover.instance(ctx.fleet(), ctx.param("replica_of")).cluster();
        }
        return ctx.param("cluster");
    }

    private static void selectServer(StepContext ctx) throws Exception {
        String cluster = cluster(ctx);
        chooseSeed(ctx, cluster);
        ServerSelection.select(ctx, cluster);
    }

    /** The backup the new server starts from, if any: the one named, or for a replica the set's latest physical one. */
    private static void chooseSeed(StepContext ctx, String cluster) throws Exception {
        var catalog = ctx.fleet().catalog();
        io.dbops.actions.backup.BackupCatalog.Entry seed = null;
        if (ctx.param("from_backup") != null) {
            seed = catalog.get(ctx.param("from_backup")).filter(e -> e.deletedAt() == null)
                    .orElseThrow(() -> StepFailure.fatal("parameter 'from_backup': no backup " + ctx.param("from_backup") + " in the catalog"));
            if (seed.kind().equals("rdb")) {
                throw StepFailure.fatal("parameter 'from_backup': " + seed.id() + " is a Redis backup");
            }
        } else if (ctx.param("replica_of") != null) {
            for (InventoryInstance member : ctx.fleet().inventory().cluster(cluster)) {
                var latest = catalog.latest(member.id(), "physical");
                if (latest.isPresent() && (seed == null || latest.get().finishedAt().isAfter(seed.finishedAt()))) {
                    seed = latest.get();
                }
            }
            if (seed == null) {
                throw StepFailure.fatal("no physical backup of " + cluster + " to seed the replica from: take one first (mariadb_backup kind=physical)");
            }
        }
        if (ctx.param("replica_of") != null && (seed.position() == null || seed.position().isBlank())) {
            throw StepFailure.fatal("backup " + seed.id() + " has no GTID position: a replica cannot start from it");
        }
        if (seed != null) {
            String sum = "sha256:" + io.dbops.actions.backup.MariaDbBackup.sha256(java.nio.file.Path.of(seed.path()));
            if (!sum.equals(seed.checksum())) {
                throw StepFailure.fatal("backup " + seed.id() + " is corrupt (" + sum + ", the catalogue says " + seed.checksum() + "): not restored");
            }
        }
        ctx.putFact("seed_kind", seed == null ? "none" : seed.kind());
        ctx.putFact("seed_backup", seed == null ? "" : seed.id());
        ctx.putFact("seed_path", seed == null ? "" : seed.path());
        ctx.putFact("seed_position", seed == null || seed.position() == null ? "" : seed.position());
        if (seed != null) {
            ctx.out("data from backup " + seed.id() + " (" + seed.kind() + " of " + seed.instance() + " at " + seed.position() + ")");
        }
    }

    private static void replicate(StepContext ctx) throws Exception {
        if (ctx.param("replica_of") == null) {
            ctx.out("not a replica: nothing to do");
            return;
        }
        Fleet fleet = ctx.fleet();
        InventoryInstance primary = MariaDbFailover.instance(fleet, ctx.param("replica_of"));
        InventoryInstance self = MariaDbFailover.instance(fleet, ctx.param("instance"));
        try (Connection c = fleet.mariadb(self); Statement st = c.createStatement()) {
            MariaDb.ReplicaStatus s = MariaDb.replicaStatus(c);
            if (s.configured() && s.masterPort() == primary.port() && s.ioYes()) {
                ctx.out("already replicating from " + primary.id());
            } else {
                st.execute("STOP SLAVE");
                st.execute("RESET SLAVE ALL");
                st.execute("SET GLOBAL gtid_slave_pos = '" + ctx.requireFact("seed_position").replace("'", "") + "'");
                ctx.out(MariaDb.repoint(c, fleet.address(primary), primary.port(), fleet.replicationUser(), fleet.replicationPassword(), "slave_pos"));
            }
            String target;
            try (Connection p = fleet.mariadb(primary)) {
                target = MariaDb.variable(p, "gtid_binlog_pos");
            }
            io.dbops.actions.steps.WaitUntil.await(ctx, "catch up with " + primary.id() + " at " + target, w -> {
                MariaDb.ReplicaStatus rs = MariaDb.replicaStatus(c);
                if (rs.lastIoError() != null && (rs.lastIoError().contains("1236") || rs.lastIoError().contains("binlog"))) {
                    throw StepFailure.fatal("the primary cannot serve the backup's position (" + rs.lastIoError()
                            + "): its binlogs were purged since; take a fresh physical backup and provision again");
                }
                try (var ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, 1)")) {
                    ps.setString(1, target);
                    try (var r = ps.executeQuery()) {
                        r.next();
                        return r.getInt(1) == 0 ? null : "IO " + rs.ioRunning() + ", SQL " + rs.sqlRunning() + ", received " + rs.gtidIoPos();
                    }
                }
            }, Duration.ofMinutes(20), Duration.ofMillis(200));
        }
    }

    /** Stops a server this run started on this host (its PID file); a remote one is left to the DBA, and said so. */
    private static void stopStarted(StepContext ctx) throws Exception {
        String address = ctx.fact("address");
        java.nio.file.Path pid = ctx.fleet().provisionDir().resolve(ctx.param("instance")).resolve("mariadbd.pid");
        if (address != null && !AnsibleStep.isLocal(address)) {
            ctx.err("the server on " + ctx.fact("server") + " may be running: stop it there (" + pid + ")");
            return;
        }
        if (java.nio.file.Files.exists(pid)) {
            var p = ProcessHandle.of(Long.parseLong(java.nio.file.Files.readString(pid).trim()));
            if (p.isPresent()) {
                p.get().destroy();
                p.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                ctx.out("stopped the server this run started (pid " + p.get().pid() + ")");
            }
        }
    }

    private static void ansible(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        String server = ctx.requireFact("server");
        String address = ctx.requireFact("address");
        boolean local = AnsibleStep.isLocal(address);
        Map<String, Object> vars = new LinkedHashMap<>(fleet.platformAccounts());
        vars.put("instance", ctx.param("instance"));
        vars.put("target_host", server);
        vars.put("base_dir", fleet.provisionDir().toString());
        vars.put("mariadb_port", Integer.parseInt(ctx.param("port")));
        vars.put("server_id", 1000 + Math.floorMod(ctx.param("instance").hashCode(), 1_000_000));
        vars.put("bind_address", local ? "127.0.0.1" : "0.0.0.0");
        vars.put("client_host", local ? "127.0.0.1" : "%");
        vars.put("buffer_pool", ctx.param("buffer_pool", "128M"));
        vars.put("seed_kind", ctx.requireFact("seed_kind"));
        vars.put("seed_path", ctx.requireFact("seed_path"));
        AnsibleStep.run(ctx, "provision-mariadb.yml", Map.of(server, address), vars, Duration.ofMinutes(15));
    }
}
