package io.dbops.flinkjobs.merge;

import io.dbops.flinkjobs.JobRuntime;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The merge job on a local MiniCluster: {@code MergeJobMain CONFIG_FILE}. The topology comes from
 * the metadata inventory (refreshed every {@code topology.refresh.ms}); its password is read from
 * the secrets file by key.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092         # required
 * checkpoint.dir=/path/checkpoints        # required
 * metadata.url=jdbc:mariadb://...         # required
 * metadata.user=dbops                     # required
 * metadata.password.secret=metadata.password   # required: key in secrets.file
 * secrets.file=/path/secrets.properties   # required
 * group.wait.ms=10000                     # optional: how long a non-critical incident waits for company before it opens
 * group.interval.ms=5000                  # optional: updates of one incident are published at most this often
 * quiet.ms=300000                         # optional: all alarms resolved this long: the incident resolves
 * topology.refresh.ms=30000               # optional
 * checkpoint.interval.ms=1000             # optional: incidents are committed at each checkpoint
 * health.file=/path/health                # optional
 * </pre>
 */
public final class MergeJobMain {
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "checkpoint.dir", "metadata.url", "metadata.user",
            "metadata.password.secret", "secrets.file");
    static final List<String> OPTIONAL = List.of("group.wait.ms", "group.interval.ms", "quiet.ms", "topology.refresh.ms",
            "checkpoint.interval.ms", "health.file", JobRuntime.FLINK_REST);
    static final List<String> NUMBERS = List.of("group.wait.ms", "group.interval.ms", "quiet.ms", "topology.refresh.ms", "checkpoint.interval.ms");

    private MergeJobMain() {
    }

    public static void main(String[] args) throws Exception {
        Properties config = JobRuntime.loadOrExit("merge job", args, c -> JobRuntime.problems(c, REQUIRED, OPTIONAL, NUMBERS, List.of()));
        Properties secrets = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(config.getProperty("secrets.file")))) {
            secrets.load(r);
        }
        String password = secrets.getProperty(config.getProperty("metadata.password.secret"));
        if (password == null) {
            System.err.println("merge job: secret '" + config.getProperty("metadata.password.secret") + "' not in " + config.getProperty("secrets.file"));
            System.exit(2);
        }
        MergeOperator.Settings d = MergeOperator.Settings.defaults();
        MergeOperator.Settings settings = new MergeOperator.Settings(Long.parseLong(config.getProperty("group.wait.ms", "10000").trim()),
                Long.parseLong(config.getProperty("group.interval.ms", "5000").trim()),
                Long.parseLong(config.getProperty("quiet.ms", "300000").trim()), d.clusterer(), d.scales(), d.history());
        StreamExecutionEnvironment env = JobRuntime.environment(config,
                JobRuntime.resumable("merge job", Path.of(config.getProperty("checkpoint.dir"))), MergeJobMain.class);
        env.enableCheckpointing(Long.parseLong(config.getProperty("checkpoint.interval.ms", "1000").trim()));
        MergeJob.build(env, config.getProperty("kafka.bootstrap"), TopologySource.inventory(config.getProperty("metadata.url"),
                config.getProperty("metadata.user"), password, Long.parseLong(config.getProperty("topology.refresh.ms", "30000").trim())),
                settings, false);
        JobRuntime.runReportingHealth(env, "dbops alarm merging", config.getProperty("health.file"));
    }
}
