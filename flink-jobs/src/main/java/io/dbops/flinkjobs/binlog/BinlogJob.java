package io.dbops.flinkjobs.binlog;

import io.dbops.events.Alarm;
import io.dbops.events.BinlogChange;
import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.EventFormatException;
import io.dbops.events.MetricSample;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.kafka.EventSinks;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.kafka.RawRecordDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The binlog job: {@code dbops.binlog} (deduplicated) → DDL audit, mass DELETE/UPDATE, protected
 * table and large-transaction alarms → {@code dbops.alarms}, per-table write counts
 * ({@code binlog_table} samples) → {@code dbops.metrics} (both exactly-once: read them with
 * read_committed); the collectors' {@code mysql_table} samples on {@code dbops.metrics} give the
 * tables' estimated sizes; unparseable change records → {@code dbops.deadletter}.
 */
public final class BinlogJob {
    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("binlog-dead-letters") { };
    /** Marker of the collectors' table-size samples, looked for in the raw bytes before parsing. */
    private static final byte[] TABLE_SIZE = "\"mysql_table\"".getBytes(StandardCharsets.UTF_8);

    private BinlogJob() {
    }

    /** Settings of both rule sets. */
    public record Settings(TableRules.Settings tables, TransactionRules.Settings transactions) implements java.io.Serializable {
        public static Settings defaults() {
            return new Settings(TableRules.Settings.defaults(), TransactionRules.Settings.defaults());
        }
    }

    /** Wires the job between Kafka topics; {@code bounded} stops at the offsets current at start (tests). */
    public static void build(StreamExecutionEnvironment env, String bootstrap, Settings settings, ProtectedTablesSource protectedTables,
                             boolean bounded) {
        env.getConfig().enableObjectReuse();
        SingleOutputStreamOperator<BinlogChange> changes = env
                .fromSource(source(bootstrap, Topic.BINLOG, "dbops-binlog-job", bounded), WatermarkStrategy.noWatermarks(), "dbops.binlog")
                .uid("binlog-source")
                .process(new ParseChanges()).name("parse").uid("parse");
        DataStream<TableAnalysis.TableSize> sizes = env
                .fromSource(source(bootstrap, Topic.METRICS, "dbops-binlog-job-sizes", bounded), WatermarkStrategy.noWatermarks(), "dbops.metrics")
                .uid("sizes-source")
                .flatMap(BinlogJob::tableSizes).returns(TableAnalysis.TableSize.class).name("table sizes").uid("table-sizes");
        SingleOutputStreamOperator<Alarm> tableAlarms = changes.keyBy(TableAnalysis::key)
                .connect(sizes.keyBy(TableAnalysis.TableSize::key))
                .process(new TableAnalysis(settings.tables(), protectedTables)).name("table rules").uid("table-rules");
        DataStream<Alarm> txnAlarms = tableAlarms.getSideOutput(TableAnalysis.PARTS)
                .keyBy(p -> p.instance().id())
                .process(new TransactionAnalysis(settings.transactions())).name("transaction rules").uid("transaction-rules");
        tableAlarms.union(txnAlarms).sinkTo(EventSinks.alarms(bootstrap, "dbops-binlog-alarms"))
                .name("dbops.alarms").uid("alarms-sink");
        tableAlarms.getSideOutput(TableAnalysis.SAMPLES)
                .sinkTo(EventSinks.<MetricSample>exactlyOnce(bootstrap, Topic.METRICS, m -> m.instance().id(), "dbops-binlog-metrics"))
                .name("dbops.metrics").uid("metrics-sink");
        changes.getSideOutput(DEAD_LETTERS).sinkTo(EventSinks.deadLetters(bootstrap))
                .name("dbops.deadletter").uid("deadletter-sink");
    }

    private static KafkaSource<RawRecord> source(String bootstrap, Topic topic, String group, boolean bounded) {
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic.topicName())
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer());
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** The collectors' {@code mysql_table} samples as table sizes; anything else on the topic is not this job's business. */
    static void tableSizes(RawRecord r, Collector<TableAnalysis.TableSize> out) {
        if (r.value() == null || indexOf(r.value(), TABLE_SIZE) < 0) {
            return;
        }
        try {
            MetricSample m = EventCodec.fromBytes(r.value(), MetricSample.class);
            if (!"mysql_table".equals(m.measurement()) || m.tags() == null || m.fields() == null || m.fields().get("rows_estimate") == null) {
                return;
            }
            out.collect(new TableAnalysis.TableSize(BinlogChange.stream(m.instance()) + "/" + m.tags().get("db") + "." + m.tags().get("table"),
                    m.fields().get("rows_estimate")));
        } catch (EventFormatException e) {
            // the metrics job dead-letters bad samples; counting them twice helps nobody
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads {@code dbops.binlog}; a record that is not a valid change goes to the dead letters with the reason, intact. */
    static final class ParseChanges extends ProcessFunction<RawRecord, BinlogChange> {
        @Override
        public void processElement(RawRecord r, Context ctx, Collector<BinlogChange> out) {
            String reason;
            try {
                BinlogChange c = EventCodec.fromBytes(r.value() == null ? new byte[0] : r.value(), BinlogChange.class);
                if (c.instance() != null && c.op() != null && c.time() != null) {
                    out.collect(c);
                    return;
                }
                reason = "binlog change: fields 'instance', 'op' and 'time' are required";
            } catch (EventFormatException e) {
                reason = e.getMessage();
            }
            ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "flink-jobs/binlog", r.topic(), r.partition(), r.offset(),
                    r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), reason, r.value() == null ? new byte[0] : r.value()));
        }
    }
}
