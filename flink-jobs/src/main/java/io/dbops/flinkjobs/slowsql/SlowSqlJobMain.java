package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.kafka.EventSerializer;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.kafka.RawRecordDeserializer;
import io.dbops.flinkjobs.timeseries.LineProtocol;
import io.dbops.flinkjobs.timeseries.TimeSeriesSink;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The slow-SQL job with Kafka in and out: {@code dbops.slowlog} → digests →
 * {@code dbops.slowsql.stats} and slow-SQL alarms → {@code dbops.alarms} (both exactly-once: read
 * them with isolation.level=read_committed), bad records → {@code dbops.deadletter}. {@code SlowSqlJobMain CONFIG_FILE} runs it on a local
 * MiniCluster (the default platform); the same {@link #build} is what a cluster submission runs.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092   # required
 * checkpoint.dir=/path/checkpoints  # required: window and alarm state, file system
 * victoria.url=http://127.0.0.1:18428   # optional: per-fingerprint series, line protocol
 * window.seconds=60                 # optional
 * allowed.lateness.seconds=30       # optional
 * out.of.orderness.seconds=5        # optional
 * checkpoint.interval.ms=10000      # optional: digests are committed at each checkpoint
 * health.file=/path/health          # optional: rewritten every 2 s with the job's status
 * alarm.default.burst.total.seconds=60          # optional thresholds, see SlowSqlThresholds;
 * alarm.business.trade.regression.factor=2      # per business line and per instance too
 * alarm.instance.db-1.new.min.total.seconds=5
 * </pre>
 */
public final class SlowSqlJobMain {
    static final List<String> KEYS = List.of("kafka.bootstrap", "checkpoint.dir", "victoria.url", "window.seconds", "allowed.lateness.seconds",
            "out.of.orderness.seconds", "checkpoint.interval.ms", "health.file");

    private SlowSqlJobMain() {
    }

    /** Wires the pipeline between Kafka topics; {@code bounded} stops at the offsets current at start (tests, backfills). */
    public static void build(StreamExecutionEnvironment env, String bootstrap, SlowSqlDigestJob.Settings settings,
                             SlowSqlThresholds.Config thresholds, boolean bounded) {
        build(env, bootstrap, settings, thresholds, null, bounded);
    }

    /** As above, also writing each digest as a {@code slowsql} series to the time-series store at {@code timeSeriesUrl}. */
    public static void build(StreamExecutionEnvironment env, String bootstrap, SlowSqlDigestJob.Settings settings,
                             SlowSqlThresholds.Config thresholds, String timeSeriesUrl, boolean bounded) {
        // events are immutable records: operators may pass them on without defensive copies
        env.getConfig().enableObjectReuse();
        KafkaSourceBuilder<RawRecord> source = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(Topic.SLOWLOG.topicName())
                .setGroupId("dbops-slowsql")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer());
        if (bounded) {
            source.setBounded(OffsetsInitializer.latest());
        }
        SingleOutputStreamOperator<SlowQuery> queries = env
                .fromSource(source.build(), WatermarkStrategy.noWatermarks(), "dbops.slowlog").uid("slowlog-source")
                .process(new ParseSlowQueries()).name("parse").uid("parse");
        DataStream<SlowSqlDigest> digests = SlowSqlDigestJob.digests(queries, settings);
        digests.sinkTo(KafkaSink.<SlowSqlDigest>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new EventSerializer<SlowSqlDigest>(Topic.SLOWSQL_STATS, d -> d.instance().id()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("dbops-slowsql")
                .setProperty("transaction.timeout.ms", "600000")
                .build()).name("dbops.slowsql.stats").uid("stats-sink");
        if (timeSeriesUrl != null) {
            digests.sinkTo(new TimeSeriesSink<SlowSqlDigest>(timeSeriesUrl, LineProtocol::slowSql)).name("time series").uid("series-sink");
        }
        SlowSqlAlarms.alarms(digests, thresholds, settings).sinkTo(KafkaSink.<Alarm>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new EventSerializer<Alarm>(Topic.ALARMS, a -> a.instance() != null ? a.instance().id() : a.host()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("dbops-slowsql-alarms")
                .setProperty("transaction.timeout.ms", "600000")
                .build()).name("dbops.alarms").uid("alarms-sink");
        queries.getSideOutput(ParseSlowQueries.DEAD_LETTERS).sinkTo(KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new EventSerializer<DeadLetter>(Topic.DEADLETTER, DeadLetter::key))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build()).name("dbops.deadletter").uid("deadletter-sink");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SlowSqlJobMain CONFIG_FILE");
            System.exit(2);
        }
        Properties config = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            config.load(r);
        }
        List<String> problems = problems(config);
        SlowSqlThresholds.Config thresholds = SlowSqlThresholds.Config.parse(config, problems);
        if (!problems.isEmpty()) {
            System.err.println("slow-SQL job: bad config " + args[0] + ":\n  " + String.join("\n  ", problems));
            System.exit(2);
        }
        SlowSqlDigestJob.Settings settings = new SlowSqlDigestJob.Settings(
                Duration.ofSeconds(Long.parseLong(config.getProperty("window.seconds", "60"))),
                Duration.ofSeconds(Long.parseLong(config.getProperty("allowed.lateness.seconds", "30"))),
                Duration.ofSeconds(Long.parseLong(config.getProperty("out.of.orderness.seconds", "5"))));
        Path checkpoints = Path.of(config.getProperty("checkpoint.dir"));
        Configuration conf = checkpointStorage(checkpoints);
        var resume = latestCheckpoint(checkpoints);
        if (resume.isPresent()) {
            // state of operators that no longer exist (after an upgrade) is dropped, not fatal
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resume.get().toUri().toString());
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
            System.err.println("slow-SQL job: resuming from " + resume.get());
            forgetOlderRuns(checkpoints, resume.get().getParent());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(Long.parseLong(config.getProperty("checkpoint.interval.ms", "10000")));
        build(env, config.getProperty("kafka.bootstrap"), settings, thresholds, config.getProperty("victoria.url"), false);
        JobClient job = env.executeAsync("dbops slow-SQL digest");
        String health = config.getProperty("health.file");
        while (true) {
            String status = job.getJobStatus().get().toString();
            if (health != null) {
                Files.writeString(Path.of(health), Instant.now() + " job " + job.getJobID() + " " + status + "\n");
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                System.err.println("slow-SQL job ended: " + status);
                System.exit(1);
            }
            Thread.sleep(2000);
        }
    }

    /**
     * Checkpoints on the file system: window and alarm state outgrow the JobManager's 5 MB memory
     * storage with a real fleet (the checkpoint then fails, and with it the job).
     */
    public static Configuration checkpointStorage(Path dir) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toAbsolutePath().toUri().toString());
        // kept when the process stops, so the next start resumes its windows instead of losing them
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return conf;
    }

    /** Earlier runs' retained checkpoints: the one resumed from is newer, the rest are of no use. */
    static void forgetOlderRuns(Path dir, Path keep) throws java.io.IOException {
        try (var runs = Files.list(dir)) {
            for (Path run : runs.filter(p -> Files.isDirectory(p) && !p.equals(keep)).toList()) {
                try (var files = Files.walk(run)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    /** The newest complete checkpoint under {@code dir} (a {@code chk-N} folder with its metadata), if any. */
    public static java.util.Optional<Path> latestCheckpoint(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try (var paths = Files.walk(dir, 3)) {
            return paths.filter(p -> p.getFileName().toString().equals("_metadata") && p.getParent().getFileName().toString().startsWith("chk-"))
                    .max(java.util.Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .map(Path::getParent);
        }
    }

    static List<String> problems(Properties config) {
        List<String> problems = new ArrayList<>();
        for (String key : List.of("kafka.bootstrap", "checkpoint.dir")) {
            if (config.getProperty(key) == null || config.getProperty(key).isBlank()) {
                problems.add("missing required key " + key);
            }
        }
        for (String key : config.stringPropertyNames()) {
            if (!KEYS.contains(key) && !key.startsWith("alarm.")) {
                problems.add("unknown key " + key + " (known: " + String.join(", ", KEYS) + ")");
            }
        }
        for (String key : List.of("window.seconds", "allowed.lateness.seconds", "out.of.orderness.seconds", "checkpoint.interval.ms")) {
            String v = config.getProperty(key);
            if (v != null && !v.matches("\\d+")) {
                problems.add(key + " must be a whole number, got '" + v + "'");
            }
        }
        return problems;
    }
}
