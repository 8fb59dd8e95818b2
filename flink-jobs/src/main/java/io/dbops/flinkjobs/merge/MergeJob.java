package io.dbops.flinkjobs.merge;

import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.EventFormatException;
import io.dbops.events.Incident;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.kafka.EventSinks;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.kafka.RawRecordDeserializer;
import io.dbops.mlmodels.merge.Location;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The alarm merge job: {@code dbops.alarms} (committed alarms only) → incidents by streaming
 * hierarchical clustering, keyed by dc (hosts and racks live in one dc, so their correlation is
 * kept while the work spreads) → {@code dbops.incidents} exactly-once (key = incident id).
 * Unreadable alarms → {@code dbops.deadletter}.
 */
public final class MergeJob {
    private MergeJob() {
    }

    public static void build(StreamExecutionEnvironment env, String bootstrap, TopologySource topology, MergeOperator.Settings settings,
                             boolean bounded) {
        KafkaSourceBuilder<RawRecord> source = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(Topic.ALARMS.topicName())
                .setGroupId("dbops-merge")
                .setProperty("isolation.level", "read_committed")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer());
        if (bounded) {
            source.setBounded(OffsetsInitializer.latest());
        }
        SingleOutputStreamOperator<RoutedAlarm> routed = env
                .fromSource(source.build(), WatermarkStrategy.noWatermarks(), "dbops.alarms").uid("alarms-source")
                .process(new Route(topology)).name("parse and route").uid("route");
        routed.keyBy(RoutedAlarm::key)
                .process(new MergeOperator(topology, settings)).name("merge")
                // "merge-2": the state's layout changed (2026-11-26: clusterer settings, the due and firing indexes); a
                // checkpoint of the old operator is dropped on resume (unclaimed state is ignored) instead of failing the restore
                .uid("merge-2")
                .sinkTo(EventSinks.<Incident>exactlyOnce(bootstrap, Topic.INCIDENTS, Incident::id, "dbops-merge"))
                        .name("dbops.incidents").uid("incidents-sink");
        routed.getSideOutput(Route.DEAD_LETTERS).sinkTo(EventSinks.deadLetters(bootstrap))
                .name("dbops.deadletter").uid("deadletter-sink");
    }

    /** Parses alarms and routes each to its dc (unknown subjects: their business line, else "unknown"). */
    static final class Route extends ProcessFunction<RawRecord, RoutedAlarm> {
        static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("merge-dead-letters") { };
        private final TopologySource topology;

        Route(TopologySource topology) {
            this.topology = topology;
        }

        @Override
        public void open(OpenContext context) {
            topology.start();
        }

        @Override
        public void processElement(RawRecord r, Context ctx, Collector<RoutedAlarm> out) {
            byte[] bytes = r.value() == null ? new byte[0] : r.value();
            try {
                Alarm a = EventCodec.fromBytes(bytes, Alarm.class);
                out.collect(new RoutedAlarm(key(a), a));
            } catch (EventFormatException e) {
                ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "flink-jobs/merge", r.topic(), r.partition(),
                        r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), e.getMessage(), bytes));
            }
        }

        String key(Alarm a) {
            Location l = topology.current().locate(a.instance() == null ? null : a.instance().id(),
                    a.instance() == null ? a.host() : a.instance().host());
            if (l.dc() != null) {
                return l.dc();
            }
            if (a.labels() != null && a.labels().get("dc") != null) {
                return a.labels().get("dc");
            }
            return a.instance() != null && a.instance().businessLine() != null ? "bl:" + a.instance().businessLine() : "unknown";
        }
    }
}
