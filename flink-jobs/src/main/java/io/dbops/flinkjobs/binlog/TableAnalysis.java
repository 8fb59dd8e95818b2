package io.dbops.flinkjobs.binlog;

import io.dbops.events.Alarm;
import io.dbops.events.BinlogChange;
import io.dbops.events.MetricSample;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * {@link TableRules} per instance and table (the key of {@code dbops.binlog}): changes on the first
 * input, the collectors' table-size estimates on the second. Alarms are the main output; write
 * counts and transaction pieces go to side outputs. A processing-time timer every bucket while
 * something is pending flushes counts and resolves alarms that went quiet; the state expires a day
 * after the table's last change (the dedupe memory included: no re-sent change is that late).
 */
public final class TableAnalysis extends KeyedCoProcessFunction<String, BinlogChange, TableAnalysis.TableSize, Alarm> {
    public static final OutputTag<MetricSample> SAMPLES = new OutputTag<>("binlog-samples") { };
    public static final OutputTag<TableRules.TxnPart> PARTS = new OutputTag<>("binlog-txn-parts") { };

    /** The collectors' estimate of a table's rows, keyed like the changes (set/db.table). */
    public record TableSize(String key, double rows) {
    }

    private final TableRules.Settings settings;
    private final ProtectedTablesSource protectedTables;
    private transient ValueState<TableRules.State> state;

    public TableAnalysis(TableRules.Settings settings, ProtectedTablesSource protectedTables) {
        this.settings = settings;
        this.protectedTables = protectedTables;
    }

    /**
     * The key of a change: replication set (or standalone instance) / db.table, as the capture keys
     * {@code dbops.binlog}: GTIDs are the set's, so a transaction read again from a new primary after
     * a failover is recognised as seen.
     */
    public static String key(BinlogChange c) {
        return BinlogChange.stream(c.instance()) + "/" + c.database() + "." + (c.table() == null ? "" : c.table());
    }


    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<TableRules.State> d = new ValueStateDescriptor<>("table", TypeInformation.of(TableRules.State.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).updateTtlOnCreateAndWrite().neverReturnExpired().build());
        state = getRuntimeContext().getState(d);
        protectedTables.start();
    }

    @Override
    public void close() {
        protectedTables.stop();
    }

    private final class Emit implements TableRules.Out {
        private final Collector<Alarm> out;
        private final Context ctx;

        Emit(Collector<Alarm> out, Context ctx) {
            this.out = out;
            this.ctx = ctx;
        }

        @Override
        public void alarm(Alarm a) {
            out.collect(a);
        }

        @Override
        public void sample(MetricSample s) {
            ctx.output(SAMPLES, s);
        }

        @Override
        public void part(TableRules.TxnPart p) {
            ctx.output(PARTS, p);
        }
    }

    @Override
    public void processElement1(BinlogChange c, Context ctx, Collector<Alarm> out) throws Exception {
        TableRules.State s = state.value();
        if (s == null) {
            s = new TableRules.State();
        }
        if (TableRules.duplicate(s, c)) {
            state.update(s);
            return;
        }
        TableRules.onChange(s, c, settings, protectedTables.current(), new Emit(out, ctx));
        state.update(s);
        schedule(s, ctx);
    }

    @Override
    public void processElement2(TableSize size, Context ctx, Collector<Alarm> out) throws Exception {
        TableRules.State s = state.value();
        if (s == null) {
            s = new TableRules.State();
        }
        TableRules.estimatedRows(s, size.rows());
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alarm> out) throws Exception {
        TableRules.State s = state.value();
        if (s == null) {
            return;
        }
        TableRules.onTick(s, ctx.timerService().currentProcessingTime(), settings, new Emit(out, ctx));
        state.update(s);
        if (s.pending()) {
            ctx.timerService().registerProcessingTimeTimer(next(ctx.timerService().currentProcessingTime()));
        }
    }

    private void schedule(TableRules.State s, Context ctx) {
        if (s.pending()) {
            // one timer per key and bucket: registering the same time again is a no-op
            ctx.timerService().registerProcessingTimeTimer(next(ctx.timerService().currentProcessingTime()));
        }
    }

    private long next(long now) {
        long step = Math.max(1000, settings.bucketMillis() / 2);
        return (now / step + 1) * step;
    }
}
