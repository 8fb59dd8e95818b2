package io.dbops.actions.backup;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.RetryPolicy;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.actions.steps.ShellStep;
import io.dbops.metadata.InventoryInstance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backup of a MariaDB/MySQL instance: logical ({@code mariadb-dump --single-transaction --gtid},
 * every database, routines, events and triggers) or physical ({@code mariadb-backup --backup}
 * then {@code --prepare}, on the server's host). The GTID position it is consistent with, its size,
 * duration and SHA-256 go to the catalog with an expiry; expired backups of the instance are
 * deleted afterwards (retention). Credentials reach the tools through a private option file.
 */
public final class MariaDbBackup extends NamedPlaybook {
    public static final String NAME = "mariadb_backup";
    private static final Pattern DUMP_GTID = Pattern.compile("gtid_slave_pos\\s*=\\s*'([0-9,\\-]*)'");

    public MariaDbBackup() {
        super(NAME, "logical or physical backup of a MariaDB/MySQL instance into the catalog, with retention", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.INSTANCE, "the instance to back up (a replica spares the primary)"),
                Param.optional("kind", Param.Type.STRING, "logical (mariadb-dump) or physical (mariadb-backup); default logical"),
                Param.optional("retention", Param.Type.DURATION, "how long the backup is kept (default 7d)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("prepare").readOnly().timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "check " + ctx.param("instance") + " and choose where the " + kind(ctx) + " backup goes")
                        .does(MariaDbBackup::prepare),
                Steps.named("dump").timeout(Duration.ofHours(6))
                        .retry(RetryPolicy.attempts(2, Duration.ofSeconds(5), "a server that refuses the backup user"))
                        .describe(ctx -> (kind(ctx).equals("physical") ? "mariadb-backup --backup and --prepare" : "mariadb-dump --single-transaction --gtid")
                                + " of " + ctx.param("instance") + " into " + ctx.fact("path"))
                        .does(MariaDbBackup::dump),
                Steps.named("record_position").timeout(Duration.ofSeconds(60))
                        .describe(ctx -> "read the GTID position the backup is consistent with")
                        .does(ctx -> {
                            String pos = kind(ctx).equals("physical") ? physicalPosition(Path.of(ctx.requireFact("path")))
                                    : dumpPosition(Path.of(ctx.requireFact("path")));
                            ctx.putFact("position", pos);
                            ctx.out("consistent with GTID position " + pos);
                        }),
                checksumStep(),
                catalogStep("logical"),
                expireStep());
    }

    static String kind(StepContext ctx) {
        return ctx.param("kind", "logical");
    }

    private static void prepare(StepContext ctx) throws Exception {
        String kind = kind(ctx);
        if (!kind.equals("logical") && !kind.equals("physical")) {
            throw StepFailure.fatal("parameter 'kind' must be logical or physical, got '" + kind + "'");
        }
        InventoryInstance i = instance(ctx.fleet(), ctx.param("instance"));
        try (var c = ctx.fleet().mariadb(i); var st = c.createStatement(); var rs = st.executeQuery("SELECT @@version, @@datadir")) {
            rs.next();
            ctx.out(i.id() + ": " + rs.getString(1) + ", datadir " + rs.getString(2));
        } catch (java.sql.SQLException e) {
            throw StepFailure.transientFailure(i.id() + " does not answer: " + e.getMessage(), e);
        }
        String id = "bk-" + ctx.run().id().substring(ctx.run().id().indexOf('-') + 1);
        Path path = ctx.fleet().backupDir().resolve(i.id()).resolve(id + (kind.equals("physical") ? "" : ".sql"));
        ctx.putFact("backup_id", id);
        ctx.putFact("path", path.toString());
        ctx.putFact("started_at", Instant.now().toString());
    }

    private static void dump(StepContext ctx) throws Exception {
        Fleet fleet = ctx.fleet();
        InventoryInstance i = instance(fleet, ctx.param("instance"));
        Path path = Path.of(ctx.requireFact("path"));
        Files.createDirectories(path.getParent());
        Files2.deleteTree(path); // a resumed run starts the dump again from nothing
        Path options = fleet.clientOptionFile(path.getParent());
        try {
            String host = fleet.address(i);
            List<String> cmd = new ArrayList<>();
            if (kind(ctx).equals("physical")) {
                cmd.addAll(List.of("mariadb-backup", "--defaults-extra-file=" + options, "--backup", "--target-dir=" + path,
                        "--host=" + host, "--port=" + i.port()));
                ShellStep.run(ctx, cmd, null, Map.of(), Duration.ofHours(5));
                ShellStep.run(ctx, List.of("mariadb-backup", "--prepare", "--target-dir=" + path), null, Map.of(), Duration.ofHours(1));
            } else {
                cmd.addAll(List.of("mariadb-dump", "--defaults-extra-file=" + options, "--host=" + host, "--port=" + i.port(),
                        "--single-transaction", "--gtid", "--master-data=2", "--all-databases", "--routines", "--events", "--triggers",
                        "--hex-blob", "--result-file=" + path));
                ShellStep.run(ctx, cmd, null, Map.of(), Duration.ofHours(5));
            }
        } finally {
            Files.deleteIfExists(options);
        }
        ctx.putFact("finished_at", Instant.now().toString());
        ctx.out("written " + path + " (" + size(path) + " bytes)");
    }

    /**
     * The position a dump is consistent with: with --gtid --master-data=2 mariadb-dump writes the
     * {@code SET GLOBAL gtid_slave_pos='...'} to use near the end of the file (it is deferred after
     * the data), so the last 64 KiB are read, then the head.
     */
    static String dumpPosition(Path dump) throws IOException, StepFailure {
        long size = Files.size(dump);
        try (var f = new java.io.RandomAccessFile(dump.toFile(), "r")) {
            for (long from : new long[] {Math.max(0, size - 65_536), 0}) {
                byte[] buf = new byte[(int) Math.min(65_536, size - from)];
                f.seek(from);
                f.readFully(buf);
                Matcher m = DUMP_GTID.matcher(new String(buf, java.nio.charset.StandardCharsets.ISO_8859_1));
                String last = null;
                while (m.find()) {
                    last = m.group(1);
                }
                if (last != null) {
                    return last;
                }
            }
        }
        throw StepFailure.fatal(dump + " has no gtid_slave_pos (was it written with --gtid --master-data?)");
    }

    /** The position mariadb-backup recorded: the third field of mariadb_backup_binlog_info (xtrabackup_binlog_info before 10.x). */
    static String physicalPosition(Path dir) throws IOException, StepFailure {
        for (String name : List.of("mariadb_backup_binlog_info", "xtrabackup_binlog_info")) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                String[] fields = Files.readString(f).trim().split("\\s+");
                return fields.length >= 3 ? fields[2] : "";
            }
        }
        throw StepFailure.fatal(dir + " has no binlog info file: not a mariadb-backup directory");
    }

    static Step checksumStep() {
        return Steps.named("checksum").timeout(Duration.ofHours(1))
                .describe(ctx -> "SHA-256 of " + ctx.fact("path"))
                .does(ctx -> {
                    Path path = Path.of(ctx.requireFact("path"));
                    ctx.putFact("checksum", "sha256:" + sha256(path));
                    ctx.putFact("size", Long.toString(size(path)));
                    ctx.out(ctx.fact("checksum") + ", " + ctx.fact("size") + " bytes");
                });
    }

    static Step catalogStep(String defaultKind) {
        return Steps.named("catalog").timeout(Duration.ofSeconds(30))
                .describe(ctx -> "record the backup in the catalog")
                .does(ctx -> {
                    InventoryInstance i = instance(ctx.fleet(), ctx.param("instance"));
                    Instant started = Instant.parse(ctx.requireFact("started_at"));
                    Instant finished = Instant.parse(ctx.requireFact("finished_at"));
                    Duration keep = Param.parseDuration(ctx.param("retention", "7d"));
                    ctx.fleet().catalog().record(new BackupCatalog.Entry(ctx.requireFact("backup_id"), i.id(), i.cluster(),
                            i.engine().name().toLowerCase(), ctx.param("kind", defaultKind), ctx.requireFact("path"),
                            Long.parseLong(ctx.requireFact("size")), Duration.between(started, finished).toMillis(), ctx.requireFact("checksum"),
                            ctx.fact("position"), ctx.run().id(), started, finished, finished.plus(keep), null, null, null));
                    ctx.out("catalogued " + ctx.fact("backup_id") + ", kept until " + finished.plus(keep));
                });
    }

    static Step expireStep() {
        return Steps.named("expire").timeout(Duration.ofMinutes(10))
                .describe(ctx -> "delete the backups of " + ctx.param("instance") + " past their retention")
                .does(ctx -> {
                    List<BackupCatalog.Entry> old = ctx.fleet().catalog().expired(ctx.param("instance"), Instant.now());
                    for (BackupCatalog.Entry e : old) {
                        Files2.deleteTree(Path.of(e.path()));
                        ctx.fleet().catalog().markDeleted(e.id());
                        ctx.out("deleted " + e.id() + " (expired " + e.expiresAt() + ")");
                    }
                    ctx.out(old.size() + " expired backups deleted");
                });
    }

    static long size(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        if (!Files.isDirectory(p)) {
            return Files.size(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** SHA-256 of a file, or of a directory's files (relative names and contents, in name order). */
    public static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(p);
        }
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            if (Files.isDirectory(p)) {
                md.update(p.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            try (InputStream in = Files.newInputStream(f)) {
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
