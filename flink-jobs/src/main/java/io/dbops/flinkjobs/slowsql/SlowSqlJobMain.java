package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.JobRuntime;
import io.dbops.flinkjobs.kafka.EventSinks;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.kafka.RawRecordDeserializer;
import io.dbops.flinkjobs.timeseries.LineProtocol;
import io.dbops.flinkjobs.timeseries.BufferedTimeSeriesSink;
import io.dbops.flinkjobs.timeseries.BufferedTimeSeriesWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
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
 * checkpoint.interval.ms=1000       # optional: digests and alarms are committed at each checkpoint (JobRuntime.ALARM_CHECKPOINT_MS)
 * health.file=/path/health          # optional: rewritten every 2 s with the job's status
 * alarm.default.burst.total.seconds=60          # optional thresholds, see SlowSqlThresholds;
 * alarm.business.trade.regression.factor=2      # per business line and per instance too
 * alarm.instance.db-1.new.min.total.seconds=5
 * </pre>
 */
public final class SlowSqlJobMain {
    static final List<String> KEYS = List.of("kafka.bootstrap", "checkpoint.dir", "victoria.url", "window.seconds", "allowed.lateness.seconds",
            "out.of.orderness.seconds", "checkpoint.interval.ms", "health.file", JobRuntime.FLINK_REST);

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
        digests.sinkTo(EventSinks.<SlowSqlDigest>exactlyOnce(bootstrap, Topic.SLOWSQL_STATS, d -> d.instance().id(), "dbops-slowsql"))
                .name("dbops.slowsql.stats").uid("stats-sink");
        if (timeSeriesUrl != null) {
            digests.sinkTo(new BufferedTimeSeriesSink<SlowSqlDigest>(BufferedTimeSeriesWriter.Settings.of(timeSeriesUrl), "slowsql",
                    LineProtocol::slowSql)).name("time series").uid("series-sink");
        }
        SlowSqlAlarms.alarms(digests, thresholds, settings).sinkTo(EventSinks.alarms(bootstrap, "dbops-slowsql-alarms"))
                .name("dbops.alarms").uid("alarms-sink");
        queries.getSideOutput(ParseSlowQueries.DEAD_LETTERS).sinkTo(EventSinks.deadLetters(bootstrap))
                .name("dbops.deadletter").uid("deadletter-sink");
    }

    public static void main(String[] args) throws Exception {
        List<String> thresholdProblems = new ArrayList<>();
        Properties config = JobRuntime.loadOrExit("slow-SQL job", args, c -> {
            List<String> problems = problems(c);
            SlowSqlThresholds.Config.parse(c, problems);
            return problems;
        });
        SlowSqlThresholds.Config thresholds = SlowSqlThresholds.Config.parse(config, thresholdProblems);
        SlowSqlDigestJob.Settings settings = new SlowSqlDigestJob.Settings(
                Duration.ofSeconds(Long.parseLong(config.getProperty("window.seconds", "60"))),
                Duration.ofSeconds(Long.parseLong(config.getProperty("allowed.lateness.seconds", "30"))),
                Duration.ofSeconds(Long.parseLong(config.getProperty("out.of.orderness.seconds", "5"))));
        Configuration conf = JobRuntime.resumable("slow-SQL job", Path.of(config.getProperty("checkpoint.dir")));
        StreamExecutionEnvironment env = JobRuntime.environment(config, conf, SlowSqlJobMain.class);
        env.enableCheckpointing(Long.parseLong(config.getProperty("checkpoint.interval.ms", String.valueOf(JobRuntime.ALARM_CHECKPOINT_MS))));
        build(env, config.getProperty("kafka.bootstrap"), settings, thresholds, config.getProperty("victoria.url"), false);
        JobRuntime.runReportingHealth(env, "dbops slow-SQL digest", config.getProperty("health.file"));
    }

    static List<String> problems(Properties config) {
        return JobRuntime.problems(config, List.of("kafka.bootstrap", "checkpoint.dir"),
                KEYS.stream().filter(k -> !k.equals("kafka.bootstrap") && !k.equals("checkpoint.dir")).toList(),
                List.of("window.seconds", "allowed.lateness.seconds", "out.of.orderness.seconds", "checkpoint.interval.ms"),
                List.of("alarm."));
    }
}
