package io.dbops.flinkjobs.slowsql;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
 * operator state at a checkpoint, as one block per subtask (any subtask may take a block back after
 * a rescale: the windows are keyed), and all
 * are emitted when the input ends or goes idle, since an idle input no longer holds the windows'
 * watermark back.
 */
public final class CombineOperator extends AbstractStreamOperator<SlowSqlAccumulator>
        implements OneInputStreamOperator<SlowSample, SlowSqlAccumulator>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private final long windowMillis;
    private transient WindowCombiner combiner;
    private transient ListState<byte[]> state;
    private transient DataOutputSerializer snapshot;
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
        snapshot = new DataOutputSerializer(1 << 16);
        state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("slowsql-partials", BytePrimitiveArraySerializer.INSTANCE));
        if (context.isRestored()) {
            for (byte[] blob : state.get()) {
                DataInputDeserializer in = new DataInputDeserializer(blob);
                for (int n = in.readInt(); n > 0; n--) {
                    combiner.add(SlowSqlAccumulatorSerializer.INSTANCE.deserialize(in));
                }
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

    /**
     * The open partials, written here as one block: as a list of objects the state backend deep-copied every
     * partial at each checkpoint (copies that lived just long enough to burden the young collections) and then
     * wrote them one by one through the compressing stream on its own thread, a fifth of the job's CPU.
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<SlowSqlAccumulator> pending = combiner.pending();
        snapshot.clear();
        snapshot.writeInt(pending.size());
        for (SlowSqlAccumulator p : pending) {
            SlowSqlAccumulatorSerializer.INSTANCE.serialize(p, snapshot);
        }
        state.update(List.of(snapshot.getCopyOfBuffer()));
    }

    private void emit(SlowSqlAccumulator partial) {
        output.collect(record.replace(partial, partial.lastSeenMillis));
    }
}
