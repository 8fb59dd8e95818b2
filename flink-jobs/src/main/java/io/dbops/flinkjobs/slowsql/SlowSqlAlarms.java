package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Alarm;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowSqlDigest;
import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs {@link SlowSqlAlarmRules} per instance over the digest stream. A timer at each window's end
 * plus the allowed lateness (when no late update can come any more) judges the burst rule and
 * cleans the window's state; the per-instance state is one value, its size bounded by the rules.
 */
public final class SlowSqlAlarms extends KeyedProcessFunction<String, SlowSqlDigest, Alarm> {
    private final SlowSqlThresholds.Config thresholds;
    private final long windowMillis;
    private final long latenessMillis;
    private transient ValueState<SlowSqlAlarmRules.InstanceState> state;
    private transient ValueState<InstanceRef> instance;

    SlowSqlAlarms(SlowSqlThresholds.Config thresholds, Duration window, Duration lateness) {
        this.thresholds = thresholds;
        this.windowMillis = window.toMillis();
        this.latenessMillis = lateness.toMillis();
    }

    public static DataStream<Alarm> alarms(DataStream<SlowSqlDigest> digests, SlowSqlThresholds.Config thresholds,
                                           SlowSqlDigestJob.Settings settings) {
        return digests.keyBy(d -> d.instance().id())
                .process(new SlowSqlAlarms(thresholds, settings.window(), settings.allowedLateness()))
                .name("slow-sql alarms").uid("slowsql-alarms");
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("rules", TypeInformation.of(SlowSqlAlarmRules.InstanceState.class)));
        instance = getRuntimeContext().getState(new ValueStateDescriptor<>("instance", TypeInformation.of(InstanceRef.class)));
    }

    @Override
    public void processElement(SlowSqlDigest d, Context ctx, Collector<Alarm> out) throws Exception {
        SlowSqlAlarmRules.InstanceState s = state.value();
        if (s == null) {
            s = new SlowSqlAlarmRules.InstanceState();
        }
        for (Alarm a : SlowSqlAlarmRules.onDigest(s, d, thresholds.forInstance(d.instance()))) {
            out.collect(a);
        }
        state.update(s);
        instance.update(d.instance());
        ctx.timerService().registerEventTimeTimer(d.windowEnd().toEpochMilli() + latenessMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alarm> out) throws Exception {
        SlowSqlAlarmRules.InstanceState s = state.value();
        InstanceRef i = instance.value();
        if (s == null || i == null) {
            return;
        }
        long windowEnd = timestamp - latenessMillis;
        for (Alarm a : SlowSqlAlarmRules.onWindowClosed(s, i, windowEnd - windowMillis, windowEnd, thresholds.forInstance(i))) {
            out.collect(a);
        }
        state.update(s);
    }
}
