package io.dbops.actions.backup;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;

import io.dbops.actions.run.Param;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.actions.steps.WaitUntil;
import io.dbops.metadata.InventoryInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * RDB backup of a Redis instance: BGSAVE, wait until the save that started after it finished
 * (LASTSAVE moves, no save in progress, last status ok), copy the RDB file from the server's
 * {@code dir} (on the service's host; remote hosts need a copy step over SSH), checksum, catalog
 * with the replication offset, retention.
 */
public final class RedisBackup extends NamedPlaybook {
    public static final String NAME = "redis_backup";

    public RedisBackup() {
        super(NAME, "RDB backup of a Redis instance (BGSAVE, copy, checksum) into the catalog, with retention", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.INSTANCE, "the Redis instance (a replica spares the master)"),
                Param.optional("retention", Param.Type.DURATION, "how long the backup is kept (default 7d)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("prepare").readOnly().timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "find " + ctx.param("instance") + "'s RDB file")
                        .does(RedisBackup::prepare),
                Steps.named("bgsave").timeout(Duration.ofHours(2))
                        .describe(ctx -> "BGSAVE on " + ctx.param("instance") + " and wait for it")
                        .does(RedisBackup::bgsave),
                Steps.named("copy").timeout(Duration.ofHours(1))
                        .describe(ctx -> "copy " + ctx.fact("rdb") + " to " + ctx.fact("path"))
                        .does(ctx -> {
                            Path to = Path.of(ctx.requireFact("path"));
                            Files.createDirectories(to.getParent());
                            Files.copy(Path.of(ctx.requireFact("rdb")), to, StandardCopyOption.REPLACE_EXISTING);
                            ctx.putFact("finished_at", Instant.now().toString());
                            ctx.out("copied " + Files.size(to) + " bytes");
                        }),
                MariaDbBackup.checksumStep(),
                MariaDbBackup.catalogStep("rdb"),
                MariaDbBackup.expireStep());
    }

    private static void prepare(StepContext ctx) throws Exception {
        InventoryInstance i = instance(ctx.fleet(), ctx.param("instance"));
        if (i.role().equals("sentinel")) {
            throw StepFailure.fatal(i.id() + " is a Sentinel: it holds no data");
        }
        try (Jedis j = ctx.fleet().redis(i)) {
            String dir = j.configGet("dir").get("dir");
            String file = j.configGet("dbfilename").get("dbfilename");
            Path rdb = Path.of(dir).resolve(file);
            String id = "bk-" + ctx.run().id().substring(ctx.run().id().indexOf('-') + 1);
            ctx.putFact("rdb", rdb.toString());
            ctx.putFact("backup_id", id);
            ctx.putFact("path", ctx.fleet().backupDir().resolve(i.id()).resolve(id + ".rdb").toString());
            ctx.putFact("started_at", Instant.now().toString());
            ctx.out(i.id() + " saves to " + rdb);
        }
    }

    private static void bgsave(StepContext ctx) throws Exception {
        InventoryInstance i = instance(ctx.fleet(), ctx.param("instance"));
        long before;
        try (Jedis j = ctx.fleet().redis(i)) {
            before = j.lastsave();
            String info = j.info("replication");
            ctx.putFact("position", "master_repl_offset=" + field(info, "master_repl_offset"));
            try {
                ctx.out("BGSAVE: " + j.bgsave());
            } catch (RuntimeException e) {
                if (e.getMessage() == null || !e.getMessage().contains("in progress")) {
                    throw e;
                }
                ctx.out("a save is already in progress: waiting for the next one to finish");
            }
        }
        WaitUntil.await(ctx, "BGSAVE of " + i.id(), c -> {
            try (Jedis j = c.fleet().redis(i)) {
                String p = j.info("persistence");
                if (!"0".equals(field(p, "rdb_bgsave_in_progress"))) {
                    return "saving";
                }
                if (j.lastsave() <= before) {
                    // LASTSAVE has a one-second grain: a save in the same second looks like no save yet
                    j.bgsave();
                    return "LASTSAVE has not moved";
                }
                if (!"ok".equals(field(p, "rdb_last_bgsave_status"))) {
                    throw StepFailure.transientFailure("the save failed: rdb_last_bgsave_status " + field(p, "rdb_last_bgsave_status"), null);
                }
                return null;
            }
        }, Duration.ofHours(2), Duration.ofMillis(300));
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
