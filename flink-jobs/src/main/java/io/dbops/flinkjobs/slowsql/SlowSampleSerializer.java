package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Engine;
import io.dbops.flinkjobs.SerializerType;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link SlowSample}, written by hand (the POJO serializer's reflective field
 * sets were most of a task's time when samples crossed the network). Samples now stay in the
 * source's chain, where nothing is serialized with object reuse on; the serializer is what a
 * broken chain or a test harness would use. It is only a stream type, so no checkpoint holds its
 * format.
 */
public final class SlowSampleSerializer extends io.dbops.flinkjobs.MutableObjectSerializer<SlowSample> {
    private static final long serialVersionUID = 1L;
    public static final SlowSampleSerializer INSTANCE = new SlowSampleSerializer();
    /** The stream type to give the operator that makes samples. */
    public static final TypeInformation<SlowSample> TYPE = new SerializerType<>(SlowSample.class, INSTANCE);
    private static final Engine[] ENGINES = Engine.values();

    @Override
    public SlowSample createInstance() {
        return new SlowSample();
    }

    @Override
    public SlowSample copy(SlowSample from) {
        SlowSample to = new SlowSample();
        to.key = from.key;
        to.time = from.time;
        to.instanceId = from.instanceId;
        to.engine = from.engine;
        to.cluster = from.cluster;
        to.host = from.host;
        to.port = from.port;
        to.businessLine = from.businessLine;
        to.queryId = from.queryId;
        to.fingerprint = from.fingerprint;
        to.database = from.database;
        to.query = from.query;
        to.explain = from.explain;
        to.queryTime = from.queryTime;
        to.lockTime = from.lockTime;
        to.rowsSent = from.rowsSent;
        to.rowsExamined = from.rowsExamined;
        return to;
    }

    @Override
    protected void write(SlowSample s, DataOutputView out) throws IOException {
        StringValue.writeString(s.key, out);
        out.writeLong(s.time);
        StringValue.writeString(s.instanceId, out);
        out.writeByte(s.engine == null ? 0 : s.engine.ordinal() + 1);
        StringValue.writeString(s.cluster, out);
        StringValue.writeString(s.host, out);
        out.writeBoolean(s.port != null);
        if (s.port != null) {
            out.writeInt(s.port);
        }
        StringValue.writeString(s.businessLine, out);
        StringValue.writeString(s.queryId, out);
        StringValue.writeString(s.fingerprint, out);
        StringValue.writeString(s.database, out);
        StringValue.writeString(s.query, out);
        StringValue.writeString(s.explain, out);
        out.writeDouble(s.queryTime);
        out.writeDouble(s.lockTime);
        out.writeLong(s.rowsSent);
        out.writeLong(s.rowsExamined);
    }

    @Override
    public SlowSample deserialize(DataInputView in) throws IOException {
        SlowSample s = new SlowSample();
        s.key = StringValue.readString(in);
        s.time = in.readLong();
        s.instanceId = StringValue.readString(in);
        int engine = in.readByte();
        s.engine = engine == 0 ? null : ENGINES[engine - 1];
        s.cluster = StringValue.readString(in);
        s.host = StringValue.readString(in);
        s.port = in.readBoolean() ? in.readInt() : null;
        s.businessLine = StringValue.readString(in);
        s.queryId = StringValue.readString(in);
        s.fingerprint = StringValue.readString(in);
        s.database = StringValue.readString(in);
        s.query = StringValue.readString(in);
        s.explain = StringValue.readString(in);
        s.queryTime = in.readDouble();
        s.lockTime = in.readDouble();
        s.rowsSent = in.readLong();
        s.rowsExamined = in.readLong();
        return s;
    }

    @Override
    public TypeSerializerSnapshot<SlowSample> snapshotConfiguration() {
        return new Snapshot();
    }

    /** This serializer's snapshot. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SlowSample> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
