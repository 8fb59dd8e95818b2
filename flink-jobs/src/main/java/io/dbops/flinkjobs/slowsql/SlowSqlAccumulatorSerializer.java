package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.flinkjobs.MutableObjectSerializer;
import io.dbops.flinkjobs.SerializerType;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link SlowSqlAccumulator}, written by hand: partial digests cross the
 * network from the combiners to the windows and live in the window and combiner state, where
 * Kryo's reflective copies and writes were a third of the job's time. Its format is in every
 * checkpoint of the slow-SQL job: a change needs a new snapshot version.
 */
public final class SlowSqlAccumulatorSerializer extends MutableObjectSerializer<SlowSqlAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final SlowSqlAccumulatorSerializer INSTANCE = new SlowSqlAccumulatorSerializer();
    /** The stream and state type of partial digests. */
    public static final TypeInformation<SlowSqlAccumulator> TYPE = new SerializerType<>(SlowSqlAccumulator.class, INSTANCE);
    private static final Engine[] ENGINES = Engine.values();

    @Override
    public SlowSqlAccumulator createInstance() {
        return new SlowSqlAccumulator();
    }

    @Override
    public SlowSqlAccumulator copy(SlowSqlAccumulator from) {
        return from.copy();
    }

    @Override
    protected void write(SlowSqlAccumulator a, DataOutputView out) throws IOException {
        out.writeLong(a.count);
        write(a.queryTime, out);
        write(a.lockTime, out);
        write(a.rowsSent, out);
        write(a.rowsExamined, out);
        a.queryTimeSketch.write(out);
        InstanceRef i = a.instance;
        out.writeBoolean(i != null);
        if (i != null) {
            StringValue.writeString(i.id(), out);
            out.writeByte(i.engine() == null ? 0 : i.engine().ordinal() + 1);
            StringValue.writeString(i.cluster(), out);
            StringValue.writeString(i.host(), out);
            out.writeBoolean(i.port() != null);
            if (i.port() != null) {
                out.writeInt(i.port());
            }
            StringValue.writeString(i.businessLine(), out);
        }
        StringValue.writeString(a.queryId, out);
        StringValue.writeString(a.fingerprint, out);
        StringValue.writeString(a.database, out);
        StringValue.writeString(a.example, out);
        StringValue.writeString(a.exampleExplain, out);
        out.writeDouble(a.exampleQueryTime);
        out.writeLong(a.firstSeenMillis);
        out.writeLong(a.lastSeenMillis);
    }

    @Override
    public SlowSqlAccumulator deserialize(DataInputView in) throws IOException {
        SlowSqlAccumulator a = new SlowSqlAccumulator();
        a.count = in.readLong();
        read(a.queryTime, in);
        read(a.lockTime, in);
        read(a.rowsSent, in);
        read(a.rowsExamined, in);
        a.queryTimeSketch.read(in);
        if (in.readBoolean()) {
            String id = StringValue.readString(in);
            int engine = in.readByte();
            String cluster = StringValue.readString(in);
            String host = StringValue.readString(in);
            Integer port = in.readBoolean() ? in.readInt() : null;
            a.instance = new InstanceRef(id, engine == 0 ? null : ENGINES[engine - 1], cluster, host, port, StringValue.readString(in));
        }
        a.queryId = StringValue.readString(in);
        a.fingerprint = StringValue.readString(in);
        a.database = StringValue.readString(in);
        a.example = StringValue.readString(in);
        a.exampleExplain = StringValue.readString(in);
        a.exampleQueryTime = in.readDouble();
        a.firstSeenMillis = in.readLong();
        a.lastSeenMillis = in.readLong();
        return a;
    }

    private static void write(SlowSqlAccumulator.Moments m, DataOutputView out) throws IOException {
        out.writeLong(m.n);
        out.writeDouble(m.sum);
        out.writeDouble(m.min);
        out.writeDouble(m.max);
    }

    private static void read(SlowSqlAccumulator.Moments m, DataInputView in) throws IOException {
        m.n = in.readLong();
        m.sum = in.readDouble();
        m.min = in.readDouble();
        m.max = in.readDouble();
    }

    @Override
    public TypeSerializerSnapshot<SlowSqlAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** This serializer's snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SlowSqlAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
