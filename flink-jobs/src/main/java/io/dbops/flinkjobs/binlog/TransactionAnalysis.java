package io.dbops.flinkjobs.binlog;

import io.dbops.events.Alarm;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** {@link TransactionRules} per instance, with a processing-time timer while a transaction is open; the state empties with them. */
public final class TransactionAnalysis extends KeyedProcessFunction<String, TableRules.TxnPart, Alarm> {
    private final TransactionRules.Settings settings;
    private transient ValueState<TransactionRules.State> state;

    public TransactionAnalysis(TransactionRules.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("transactions", TypeInformation.of(TransactionRules.State.class)));
    }

    @Override
    public void processElement(TableRules.TxnPart p, Context ctx, Collector<Alarm> out) throws Exception {
        TransactionRules.State s = state.value();
        if (s == null) {
            s = new TransactionRules.State();
        }
        long now = ctx.timerService().currentProcessingTime();
        TransactionRules.onPart(s, p, now, settings).forEach(out::collect);
        state.update(s);
        ctx.timerService().registerProcessingTimeTimer(next(now));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alarm> out) throws Exception {
        TransactionRules.State s = state.value();
        if (s == null) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        TransactionRules.onTick(s, now, settings).forEach(out::collect);
        if (s.pending()) {
            state.update(s);
            ctx.timerService().registerProcessingTimeTimer(next(now));
        } else {
            state.clear();
        }
    }

    private long next(long now) {
        long step = Math.max(1000, settings.quietMillis() / 3);
        return (now / step + 1) * step;
    }
}
