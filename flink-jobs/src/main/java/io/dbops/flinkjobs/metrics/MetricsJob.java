package io.dbops.flinkjobs.metrics;

import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.EventFormatException;
import io.dbops.events.RuleUpdate;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.kafka.EventSinks;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.kafka.RawRecordDeserializer;
import io.dbops.flinkjobs.timeseries.BufferedTimeSeriesSink;
import io.dbops.flinkjobs.timeseries.BufferedTimeSeriesWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The metrics job: {@code dbops.metrics} → rule engine (keyed by instance, rule packs broadcast
 * from {@code dbops.rules}) → {@code dbops.alarms} exactly-once (read it with
 * isolation.level=read_committed; alarms become visible at each checkpoint, so the checkpoint
 * interval bounds alarm latency), and every sample plus the counters' rates → the time-series store
 * (buffered, best effort). Anything unusable → {@code dbops.deadletter}.
 */
public final class MetricsJob {
    private MetricsJob() {
    }

    /**
     * @param initialPacks rule packs (name → validated YAML) in force until {@code dbops.rules} says otherwise
     * @param timeSeries   where samples go, or null for none
     * @param bounded      stop at the offsets current at start (tests, replays)
     */
    public record Settings(Map<String, String> initialPacks, BufferedTimeSeriesWriter.Settings timeSeries, boolean bounded)
            implements Serializable {
    }

    public static void build(StreamExecutionEnvironment env, String bootstrap, Settings settings) {
        env.getConfig().enableObjectReuse();
        DataStream<RawRecord> records = env
                .fromSource(source(bootstrap, Topic.METRICS.topicName(), "dbops-metrics", settings.bounded(), false),
                        WatermarkStrategy.noWatermarks(), "dbops.metrics").uid("metrics-source");
        SingleOutputStreamOperator<RulePackText> updates = env
                .fromSource(source(bootstrap, Topic.RULES.topicName(), "dbops-metrics-rules", settings.bounded(), true),
                        WatermarkStrategy.noWatermarks(), "dbops.rules").uid("rules-source").setParallelism(1)
                .process(new ParseRuleUpdates()).name("parse rules").uid("parse-rules").setParallelism(1);
        BroadcastStream<RulePackText> rules = updates.broadcast(RuleOperator.PACKS);
        // records are shuffled as the raw bytes they arrived as (cheap to serialize) and parsed where their state lives
        SingleOutputStreamOperator<Alarm> alarms = records.keyBy(MetricsJob::key)
                .connect(rules)
                .process(new RuleOperator(settings.initialPacks(), settings.timeSeries() != null)).name("rules").uid("rules");
        alarms.sinkTo(EventSinks.alarms(bootstrap, "dbops-metrics-alarms")).name("dbops.alarms").uid("alarms-sink");
        if (settings.timeSeries() != null) {
            alarms.getSideOutput(RuleOperator.SAMPLES)
                    .sinkTo(new BufferedTimeSeriesSink<String>(settings.timeSeries(), "metrics", line -> line))
                    .name("time series").uid("series-sink");
        }
        DataStream<DeadLetter> dead = alarms.getSideOutput(RuleOperator.DEAD_LETTERS)
                .union(updates.getSideOutput(ParseRuleUpdates.DEAD_LETTERS));
        dead.sinkTo(EventSinks.deadLetters(bootstrap)).name("dbops.deadletter").uid("deadletter-sink");
    }

    /** The record key: the instance id, as the topic catalog says. */
    static String key(RawRecord r) {
        return r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static KafkaSource<RawRecord> source(String bootstrap, String topic, String group, boolean bounded, boolean fromStart) {
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(group)
                // the rules topic is compacted and small: every start reads every pack again; samples resume
                // from the group's committed offsets (restored from the checkpoint on a resume)
                .setStartingOffsets(fromStart ? OffsetsInitializer.earliest() : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer());
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** {@code dbops.rules} records → pack texts; the job validates the YAML itself when it applies it. */
    static final class ParseRuleUpdates extends ProcessFunction<RawRecord, RulePackText> {
        static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("rules-dead-letters") { };

        @Override
        public void processElement(RawRecord r, Context ctx, Collector<RulePackText> out) {
            byte[] bytes = r.value() == null ? new byte[0] : r.value();
            try {
                RuleUpdate u = EventCodec.fromBytes(bytes, RuleUpdate.class);
                out.collect(new RulePackText(u.pack(), u.yaml()));
            } catch (EventFormatException e) {
                ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "flink-jobs/metrics", r.topic(), r.partition(),
                        r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), e.getMessage(), bytes));
            }
        }
    }
}
