package io.dbops.flinkjobs.binlog;

import io.dbops.flinkjobs.JobRuntime;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the binlog job on a local MiniCluster (the default platform); {@link BinlogJob#build} is what
 * a cluster submission runs.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092          # required
 * checkpoint.dir=/path/checkpoints         # required
 * metadata.url / metadata.user / metadata.password.secret / secrets.file   # optional: protected_tables
 * protected.refresh.ms=30000               # optional
 * protect.1=cluster:shop-db/shop.orders    # optional, more: protect.N=[cluster:NAME/|instance:ID/]db.table
 * large.transaction.rows=10000             # optional
 * mass.rows.per.minute=50000               # optional
 * mass.table.percent=20                    # optional: of the table's estimated rows
 * mass.min.table.rows=1000                 # optional: smaller tables use the row threshold only
 * quiet.seconds=60                         # optional: alarms resolve after this long without the condition
 * bucket.seconds=10                        # optional: write-count resolution
 * ddl.context.seconds=600                  # optional: how long a DDL alarm stays firing as incident context
 * checkpoint.interval.ms=1000              # optional: alarms are committed at each checkpoint (JobRuntime.ALARM_CHECKPOINT_MS)
 * health.file=/path/health                 # optional
 * </pre>
 */
public final class BinlogJobMain {
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "checkpoint.dir");
    static final List<String> OPTIONAL = List.of("metadata.url", "metadata.user", "metadata.password.secret", "secrets.file", "protected.refresh.ms",
            "large.transaction.rows", "mass.rows.per.minute", "mass.table.percent", "mass.min.table.rows", "quiet.seconds", "bucket.seconds",
            "ddl.context.seconds", "checkpoint.interval.ms", "health.file", JobRuntime.FLINK_REST);
    static final List<String> NUMBERS = List.of("protected.refresh.ms", "large.transaction.rows", "mass.rows.per.minute", "mass.table.percent",
            "mass.min.table.rows", "quiet.seconds", "bucket.seconds", "ddl.context.seconds", "checkpoint.interval.ms");

    private BinlogJobMain() {
    }

    /** Every problem of the config: unknown or missing keys, bad numbers, bad protect.N rules, a half-given metadata connection. */
    static List<String> problems(Properties c) {
        List<String> problems = new ArrayList<>(JobRuntime.problems(c, REQUIRED, OPTIONAL, NUMBERS, List.of("protect.")));
        for (String k : c.stringPropertyNames()) {
            if (k.startsWith("protect.")) {
                try {
                    ProtectedTables.parse(c.getProperty(k), null);
                } catch (IllegalArgumentException e) {
                    problems.add(k + ": " + e.getMessage());
                }
            }
        }
        long given = java.util.stream.Stream.of("metadata.url", "metadata.user", "metadata.password.secret", "secrets.file")
                .filter(k -> c.getProperty(k) != null).count();
        if (given != 0 && given != 4) {
            problems.add("metadata.url, metadata.user, metadata.password.secret and secrets.file go together (for protected_tables)");
        }
        return problems;
    }

    static BinlogJob.Settings settings(Properties c) {
        TableRules.Settings t = TableRules.Settings.defaults();
        TransactionRules.Settings x = TransactionRules.Settings.defaults();
        long quiet = number(c, "quiet.seconds", t.quietMillis() / 1000) * 1000;
        return new BinlogJob.Settings(new TableRules.Settings(number(c, "mass.rows.per.minute", t.massRowsPerMinute()),
                number(c, "mass.table.percent", Math.round(t.massTableFraction() * 100)) / 100.0, number(c, "mass.min.table.rows", t.massMinTableRows()),
                number(c, "bucket.seconds", t.bucketMillis() / 1000) * 1000, quiet, t.txnPartRows(),
                number(c, "ddl.context.seconds", t.ddlContextMillis() / 1000) * 1000),
                new TransactionRules.Settings(number(c, "large.transaction.rows", x.largeRows()), Math.min(quiet, x.quietMillis())));
    }

    static List<ProtectedTables.Rule> fixedRules(Properties c) {
        List<ProtectedTables.Rule> out = new ArrayList<>();
        c.stringPropertyNames().stream().filter(k -> k.startsWith("protect.")).sorted()
                .forEach(k -> out.add(ProtectedTables.parse(c.getProperty(k), "job config " + k)));
        return out;
    }

    private static long number(Properties c, String key, long fallback) {
        String v = c.getProperty(key);
        return v == null ? fallback : Long.parseLong(v.trim());
    }

    public static void main(String[] args) throws Exception {
        Properties config = JobRuntime.loadOrExit("binlog job", args, BinlogJobMain::problems);
        ProtectedTablesSource protectedTables;
        if (config.getProperty("metadata.url") != null) {
            Properties secrets = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(config.getProperty("secrets.file")))) {
                secrets.load(r);
            }
            String password = secrets.getProperty(config.getProperty("metadata.password.secret"));
            if (password == null) {
                System.err.println("binlog job: secret '" + config.getProperty("metadata.password.secret") + "' not in " + config.getProperty("secrets.file"));
                System.exit(2);
            }
            protectedTables = ProtectedTablesSource.metadata(fixedRules(config), config.getProperty("metadata.url"), config.getProperty("metadata.user"),
                    password, number(config, "protected.refresh.ms", 30_000));
        } else {
            protectedTables = ProtectedTablesSource.fixed(fixedRules(config));
        }
        StreamExecutionEnvironment env = JobRuntime.environment(config,
                JobRuntime.resumable("binlog job", Path.of(config.getProperty("checkpoint.dir"))), BinlogJobMain.class);
        env.enableCheckpointing(number(config, "checkpoint.interval.ms", JobRuntime.ALARM_CHECKPOINT_MS));
        BinlogJob.build(env, config.getProperty("kafka.bootstrap"), settings(config), protectedTables, false);
        JobRuntime.runReportingHealth(env, "dbops binlog analysis", config.getProperty("health.file"));
    }
}
