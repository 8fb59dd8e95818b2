package io.dbops.flinkjobs.slowsql;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs a {@link WindowCombiner} before the shuffle to the digest windows. A window's partials are
 * emitted just before the watermark that closes it is forwarded, so they are never late where the
 * window is; a query whose window has already closed here is emitted at once, alone, and the window
 * treats it as it treated a late query before (allowed lateness). Partials still open are kept in
 * operator state at a checkpoint (any subtask may take them back: the windows are keyed), and all
 * are emitted when the input ends or goes idle, since an idle input no longer holds the windows'
 * watermark back.
 */
public final class CombineOperator extends AbstractStreamOperator<SlowSqlAccumulator>
        implements OneInputStreamOperator<SlowSample, SlowSqlAccumulator>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private final long windowMillis;
    private transient WindowCombiner combiner;
    private transient ListState<SlowSqlAccumulator> state;
    private transient StreamRecord<SlowSqlAccumulator> record;
    private transient long watermark;

    public CombineOperator(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        combiner = new WindowCombiner(windowMillis);
        record = new StreamRecord<>(null);
        watermark = Long.MIN_VALUE;
        state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("slowsql-partials", SlowSqlAccumulatorSerializer.INSTANCE));
        if (context.isRestored()) {
            for (SlowSqlAccumulator p : state.get()) {
                combiner.add(p);
            }
        }
        getMetricGroup().gauge("pendingPartials", () -> combiner.size());
    }

    @Override
    public void processElement(StreamRecord<SlowSample> element) {
        SlowSample s = element.getValue();
        if (combiner.closed(s.time, watermark)) {
            SlowSqlAccumulator late = new SlowSqlAccumulator();
            late.add(s);
            emit(late);
        } else {
            combiner.add(s);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        combiner.drainClosed(watermark, this::emit);
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            combiner.drainAll(this::emit);
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void endInput() {
        combiner.drainAll(this::emit);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(combiner.pending());
    }

    private void emit(SlowSqlAccumulator partial) {
        output.collect(record.replace(partial, partial.lastSeenMillis));
    }
}
