package io.dbops.flinkjobs.slowsql;

import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The slow-SQL digest pipeline: slow queries → partial digests per (instance, query id) and window,
 * combined before the shuffle ({@link CombineOperator}) → event-time tumbling windows that merge
 * them → {@link SlowSqlDigest}s. Built by a static method over streams so tests run the very
 * same pipeline on bounded input; {@link SlowSqlJobMain} only wires Kafka in and out.
 *
 * <p>Late queries within {@code allowedLateness} fire the window again with the updated digest
 * (same window, same key: consumers keep the latest). Window state is dropped once the watermark
 * passes window end + allowed lateness.
 */
public final class SlowSqlDigestJob {

    /** Window settings, from the job config. */
    public record Settings(Duration window, Duration allowedLateness, Duration outOfOrderness) implements Serializable {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(5));
        }
    }

    private SlowSqlDigestJob() {
    }

    public static DataStream<SlowSqlDigest> digests(DataStream<SlowQuery> queries, Settings settings) {
        return queries
                .map(SlowSample::of, SlowSampleSerializer.TYPE).name("sample")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<SlowSample>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((q, previous) -> q.time)
                        // a subtask whose partitions are quiet must not hold every window open
                        .withIdleness(Duration.ofSeconds(5)))
                .name("event time")
                // one partial per key and window crosses the network, not every query
                .transform("combine", SlowSqlAccumulatorSerializer.TYPE, new CombineOperator(settings.window().toMillis()))
                .uid("slowsql-combine")
                .keyBy(SlowSqlAccumulator::key)
                .window(TumblingEventTimeWindows.of(settings.window()))
                .allowedLateness(settings.allowedLateness())
                .aggregate(new MergePartials(), new ToDigest(), SlowSqlAccumulatorSerializer.TYPE, SlowSqlAccumulatorSerializer.TYPE,
                        TypeInformation.of(SlowSqlDigest.class))
                // a new uid with the partials: the state of the former window (queries, Kryo) is not read back after an upgrade
                .name("slow-sql digest").uid("slowsql-window-partials");
    }

    /** The window's aggregate: partial digests merged into one. */
    static final class MergePartials implements AggregateFunction<SlowSqlAccumulator, SlowSqlAccumulator, SlowSqlAccumulator> {
        @Override
        public SlowSqlAccumulator createAccumulator() {
            return new SlowSqlAccumulator();
        }

        @Override
        public SlowSqlAccumulator add(SlowSqlAccumulator partial, SlowSqlAccumulator acc) {
            return acc.merge(partial);
        }

        @Override
        public SlowSqlAccumulator getResult(SlowSqlAccumulator acc) {
            return acc;
        }

        @Override
        public SlowSqlAccumulator merge(SlowSqlAccumulator a, SlowSqlAccumulator b) {
            return a.merge(b);
        }
    }

    static final class ToDigest extends ProcessWindowFunction<SlowSqlAccumulator, SlowSqlDigest, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<SlowSqlAccumulator> results, Collector<SlowSqlDigest> out) {
            for (SlowSqlAccumulator acc : results) {
                out.collect(acc.toDigest(Instant.ofEpochMilli(ctx.window().getStart()), Instant.ofEpochMilli(ctx.window().getEnd())));
            }
        }
    }
}
