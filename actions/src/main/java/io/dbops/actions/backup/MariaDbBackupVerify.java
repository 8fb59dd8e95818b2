package io.dbops.actions.backup;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.Compensation;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.actions.steps.ShellStep;
import io.dbops.metadata.InventoryInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Proves a MariaDB backup restores: its checksum is checked, it is restored into a scratch server
 * (a logical dump loaded, a physical one copied back), a replica of the cluster is paused, the
 * scratch replicates from the cluster's primary starting at the backup's GTID position up to the
 * position the replica paused at, and every table's {@code CHECKSUM TABLE} and row count must
 * agree between the two. The result goes to the
 * catalog; the replica resumes and the scratch is removed whatever happens.
 */
public final class MariaDbBackupVerify extends NamedPlaybook {
    public static final String NAME = "mariadb_backup_verify";
    private static final String SYSTEM = "('mysql', 'information_schema', 'performance_schema', 'sys')";

    public MariaDbBackupVerify() {
        super(NAME, "restore a backup into a scratch server and compare every table with the cluster at the same GTID position", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.INSTANCE, "the instance whose backup is checked"),
                Param.optional("backup", Param.Type.STRING, "the backup id (default: its latest)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("choose").readOnly().timeout(Duration.ofMinutes(30))
                        .describe(ctx -> "find " + (ctx.param("backup") != null ? ctx.param("backup") : "the latest backup of " + ctx.param("instance"))
                                + " and check its SHA-256")
                        .does(MariaDbBackupVerify::choose),
                Steps.named("restore").timeout(Duration.ofHours(6))
                        .describe(ctx -> "restore " + ctx.fact("backup_id") + " into a scratch server")
                        .compensation(ctx -> ctx.fact("scratch_dir") == null ? null : new Compensation("stop and remove the scratch server",
                                c -> new ScratchServer(Path.of(c.requireFact("scratch_dir"))).destroy(c)))
                        .does(MariaDbBackupVerify::restore),
                Steps.named("catch_up").timeout(Duration.ofMinutes(30))
                        .describe(ctx -> "pause " + ctx.fact("reference") + " and replicate the restore from " + ctx.fact("backup_position")
                                + " to the position it paused at")
                        .compensation(ctx -> ctx.fact("reference") == null ? null : new Compensation("resume replication on "
                                + ctx.fact("reference"), MariaDbBackupVerify::resumeReference))
                        .does(MariaDbBackupVerify::catchUp),
                Steps.named("compare").timeout(Duration.ofHours(2))
                        .describe(ctx -> "CHECKSUM TABLE and row counts: scratch vs " + ctx.fact("reference"))
                        .does(MariaDbBackupVerify::compare),
                Steps.named("cleanup").timeout(Duration.ofMinutes(5))
                        .describe(ctx -> "stop and remove the scratch server")
                        .does(ctx -> new ScratchServer(Path.of(ctx.requireFact("scratch_dir"))).destroy(ctx)),
                Steps.named("record").timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "record the result in the catalog")
                        .does(ctx -> {
                            boolean pass = "0".equals(ctx.requireFact("mismatches"));
                            ctx.fleet().catalog().verified(ctx.requireFact("backup_id"), pass, ctx.fact("detail"));
                            if (!pass) {
                                throw StepFailure.fatal("backup " + ctx.fact("backup_id") + " FAILED verification: " + ctx.fact("detail"));
                            }
                            ctx.out("backup " + ctx.fact("backup_id") + " verified: " + ctx.fact("detail"));
                        }));
    }

    private static void choose(StepContext ctx) throws Exception {
        BackupCatalog catalog = ctx.fleet().catalog();
        var entry = ctx.param("backup") != null ? catalog.get(ctx.param("backup")) : catalog.latest(ctx.param("instance"), null);
        if (entry.isEmpty() || entry.get().deletedAt() != null) {
            throw StepFailure.fatal("no backup " + (ctx.param("backup") != null ? ctx.param("backup") : "of " + ctx.param("instance")) + " in the catalog");
        }
        BackupCatalog.Entry e = entry.get();
        if (e.kind().equals("rdb")) {
            throw StepFailure.fatal(e.id() + " is a Redis RDB backup: not verified by this playbook");
        }
        Path path = Path.of(e.path());
        if (!Files.exists(path)) {
            throw StepFailure.fatal(e.path() + " is gone");
        }
        String sum = "sha256:" + MariaDbBackup.sha256(path);
        if (!sum.equals(e.checksum())) {
            catalog.verified(e.id(), false, "checksum " + sum + " differs from the catalogue's " + e.checksum());
            throw StepFailure.fatal(e.id() + " is corrupt: " + sum + " is not the catalogue's " + e.checksum());
        }
        InventoryInstance source = instance(ctx.fleet(), e.instance());
        InventoryInstance primary = ctx.fleet().inventory().cluster(source.cluster()).stream()
                .filter(i -> i.role().equals("primary") && i.status().equals("active")).findFirst()
                .orElseThrow(() -> StepFailure.fatal(source.cluster() + " has no active primary to replicate from"));
        InventoryInstance reference = ctx.fleet().inventory().cluster(source.cluster()).stream()
                .filter(i -> i.role().equals("replica") && i.status().equals("active")).findFirst()
                .orElseThrow(() -> StepFailure.fatal(source.cluster() + " has no replica to compare with (a primary is never paused)"));
        ctx.putFact("backup_id", e.id());
        ctx.putFact("kind", e.kind());
        ctx.putFact("path", e.path());
        ctx.putFact("backup_position", e.position() == null ? "" : e.position());
        ctx.putFact("primary", primary.id());
        ctx.putFact("reference", reference.id());
        ctx.putFact("scratch_dir", ctx.fleet().backupDir().resolve(".scratch").resolve(ctx.run().id()).toString());
        ctx.out(e.id() + " (" + e.kind() + ", " + e.sizeBytes() + " bytes, at " + e.position() + "): checksum ok");
    }

    private static void restore(StepContext ctx) throws Exception {
        ScratchServer scratch = new ScratchServer(Path.of(ctx.requireFact("scratch_dir")));
        if (scratch.running().isPresent() && ctx.fact("scratch_port") != null && "yes".equals(readMarker(scratch))) {
            ctx.out("the scratch server restored before a restart is still up: reused");
            return;
        }
        scratch.destroy(ctx); // a half-done restore starts over
        int port = ScratchServer.freePort();
        Path backup = Path.of(ctx.requireFact("path"));
        if (ctx.requireFact("kind").equals("physical")) {
            Files.createDirectories(scratch.dir());
            ShellStep.run(ctx, List.of("mariadb-backup", "--copy-back", "--target-dir=" + backup, "--datadir=" + scratch.data()),
                    null, Map.of(), Duration.ofHours(2));
            scratch.start(ctx, port, 1000 + (int) (Math.random() * 10_000));
        } else {
            scratch.install(ctx);
            scratch.start(ctx, port, 1000 + (int) (Math.random() * 10_000));
            scratch.sql(ctx, backup, null);
            scratch.sql(ctx, null, "FLUSH PRIVILEGES");
        }
        ctx.putFact("scratch_port", Integer.toString(port));
        Files.writeString(scratch.dir().resolve("restored"), "yes");
        ctx.out("restored " + ctx.fact("backup_id") + " into the scratch server on port " + port);
    }

    private static String readMarker(ScratchServer s) throws java.io.IOException {
        Path m = s.dir().resolve("restored");
        return Files.exists(m) ? Files.readString(m).trim() : "";
    }

    private static void catchUp(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance primary = instance(fleet, ctx.requireFact("primary"));
        InventoryInstance reference = instance(fleet, ctx.requireFact("reference"));
        // the replica is frozen first: its position is the common point the restore must reach
        String until;
        try (Connection r = fleet.mariadb(reference); Statement st = r.createStatement()) {
            st.execute("STOP SLAVE");
            try (ResultSet rs = st.executeQuery("SELECT @@gtid_slave_pos")) {
                rs.next();
                until = rs.getString(1);
            }
        }
        ctx.putFact("compare_position", until);
        ctx.out(reference.id() + " paused at " + until);
        try (Connection s = scratch(ctx); Statement st = s.createStatement()) {
            st.execute("STOP SLAVE");
            st.execute("SET GLOBAL gtid_slave_pos = '" + ctx.requireFact("backup_position") + "'");
            st.execute("CHANGE MASTER TO MASTER_HOST='" + fleet.address(primary) + "', MASTER_PORT=" + primary.port() + ", MASTER_USER='"
                    + fleet.replicationUser() + "', MASTER_PASSWORD='" + fleet.replicationPassword().replace("'", "\\'")
                    + "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
            st.execute("START SLAVE UNTIL master_gtid_pos = '" + until + "'");
            try (var ps = s.prepareStatement("SELECT MASTER_GTID_WAIT(?, 600)")) {
                ps.setString(1, until);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) != 0) {
                        throw StepFailure.transientFailure("the restore did not reach " + until + " within 600 s", null);
                    }
                }
            }
        }
        ctx.out("the restore replicated from " + ctx.fact("backup_position") + " up to " + until);
    }

    private static void compare(StepContext ctx) throws Exception {
        Map<String, String> ours;
        Map<String, String> theirs;
        try (Connection s = scratch(ctx)) {
            ctx.out("scratch at " + position(s));
            ours = checksums(s);
        }
        try (Connection r = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.requireFact("reference")))) {
            ctx.out(ctx.fact("reference") + " at " + position(r));
            theirs = checksums(r);
        }
        resumeReference(ctx);
        List<String> diff = new ArrayList<>();
        for (String t : theirs.keySet()) {
            if (!ours.containsKey(t)) {
                diff.add(t + " missing from the restore");
            } else if (!ours.get(t).equals(theirs.get(t))) {
                diff.add(t + ": restore " + ours.get(t) + " vs cluster " + theirs.get(t));
            }
        }
        for (String t : ours.keySet()) {
            if (!theirs.containsKey(t)) {
                diff.add(t + " only in the restore");
            }
        }
        diff.forEach(ctx::err);
        ctx.putFact("mismatches", Integer.toString(diff.size()));
        ctx.putFact("detail", diff.isEmpty() ? theirs.size() + " tables equal at " + ctx.fact("compare_position")
                : diff.size() + " of " + theirs.size() + " tables differ: " + String.join("; ", diff.subList(0, Math.min(5, diff.size()))));
        ctx.out(ctx.fact("detail"));
    }

    private static String position(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@gtid_slave_pos, @@gtid_binlog_pos")) {
            rs.next();
            String pos = "gtid_slave_pos " + rs.getString(1) + ", gtid_binlog_pos " + rs.getString(2);
            try (ResultSet ss = st.executeQuery("SHOW SLAVE STATUS")) {
                if (ss.next()) {
                    pos += ", IO " + ss.getString("Slave_IO_Running") + ", SQL " + ss.getString("Slave_SQL_Running")
                            + (ss.getString("Last_SQL_Error") == null || ss.getString("Last_SQL_Error").isEmpty() ? "" : ", SQL error " + ss.getString("Last_SQL_Error"))
                            + (ss.getString("Last_IO_Error") == null || ss.getString("Last_IO_Error").isEmpty() ? "" : ", IO error " + ss.getString("Last_IO_Error"));
                }
            }
            return pos;
        }
    }

    /** "checksum/rows" of every user table, by schema.table. */
    private static Map<String, String> checksums(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
                + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN " + SYSTEM)) {
            while (rs.next()) {
                tables.add("`" + rs.getString(1) + "`.`" + rs.getString(2) + "`");
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (String t : tables) {
            try (Statement st = c.createStatement()) {
                String sum;
                try (ResultSet rs = st.executeQuery("CHECKSUM TABLE " + t + " EXTENDED")) {
                    rs.next();
                    sum = rs.getString(2);
                }
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t)) {
                    rs.next();
                    out.put(t, sum + "/" + rs.getLong(1) + " rows");
                }
            }
        }
        return out;
    }

    private static void resumeReference(StepContext ctx) throws Exception {
        try (Connection r = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.requireFact("reference"))); Statement st = r.createStatement()) {
            st.execute("STOP SLAVE");
            st.execute("START SLAVE");
        }
        ctx.out(ctx.fact("reference") + " replicates again");
    }

    private static Connection scratch(StepContext ctx) throws Exception {
        // the restored grant tables hold the platform's accounts, including the administrative one
        return ctx.fleet().mariadbAt("127.0.0.1", Integer.parseInt(ctx.requireFact("scratch_port")));
    }
}
