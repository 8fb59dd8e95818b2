package io.dbops.flinkjobs.rules;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link InstanceState}, written by hand. The rule operator checkpoints every second, and while an
 * asynchronous snapshot runs, the heap state backend hands out a deep copy of every value it is asked for: with the generic
 * (Kryo) serializer, that reflective copy of an instance's maps cost more than evaluating its rules. Here a copy is a plain
 * walk over the maps and a snapshot writes numbers and names, nothing else.
 *
 * <p>State written by the generic serializer (checkpoints of earlier versions) is read with it once and written with this
 * one from then on.
 */
public final class InstanceStateSerializer extends io.dbops.flinkjobs.MutableObjectSerializer<InstanceState> {
    private static final long serialVersionUID = 1L;
    public static final InstanceStateSerializer INSTANCE = new InstanceStateSerializer();
    /** 2 added the partition; 1 is still read. */
    private static final int FORMAT = 2;

    @Override
    public InstanceState createInstance() {
        return new InstanceState();
    }

    @Override
    public InstanceState copy(InstanceState from) {
        InstanceState to = new InstanceState();
        to.instance = from.instance; // a record: immutable
        to.lastError = from.lastError;
        to.partition = from.partition;
        from.series.forEach((m, fields) -> {
            HashMap<String, InstanceState.Series> copied = new HashMap<>(Math.max(4, fields.size() * 4 / 3 + 1));
            fields.forEach((f, s) -> {
                InstanceState.Series c = new InstanceState.Series();
                c.value = s.value;
                c.time = s.time;
                c.previous = s.previous;
                c.previousTime = s.previousTime;
                copied.put(f, c);
            });
            to.series.put(m, copied);
        });
        to.newestSample.putAll(from.newestSample);
        to.lastArrival.putAll(from.lastArrival);
        from.rules.forEach((k, r) -> to.rules.put(k, copy(r)));
        return to;
    }

    private static InstanceState.RuleState copy(InstanceState.RuleState r) {
        InstanceState.RuleState c = new InstanceState.RuleState();
        c.pendingSince = r.pendingSince;
        c.firingSince = r.firingSince;
        c.value = r.value;
        c.threshold = r.threshold;
        c.summary = r.summary;
        c.type = r.type;
        c.severity = r.severity;
        c.labels = r.labels == null ? null : new LinkedHashMap<>(r.labels);
        return c;
    }

    @Override
    protected void write(InstanceState st, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        InstanceRef i = st.instance;
        out.writeBoolean(i != null);
        if (i != null) {
            StringValue.writeString(i.id(), out);
            StringValue.writeString(i.engine() == null ? null : i.engine().name(), out);
            StringValue.writeString(i.cluster(), out);
            StringValue.writeString(i.host(), out);
            out.writeInt(i.port() == null ? Integer.MIN_VALUE : i.port());
            StringValue.writeString(i.businessLine(), out);
        }
        StringValue.writeString(st.lastError, out);
        out.writeInt(st.partition);
        out.writeInt(st.series.size());
        for (Map.Entry<String, HashMap<String, InstanceState.Series>> m : st.series.entrySet()) {
            StringValue.writeString(m.getKey(), out);
            out.writeInt(m.getValue().size());
            for (Map.Entry<String, InstanceState.Series> f : m.getValue().entrySet()) {
                InstanceState.Series s = f.getValue();
                StringValue.writeString(f.getKey(), out);
                out.writeDouble(s.value);
                out.writeLong(s.time);
                out.writeDouble(s.previous);
                out.writeLong(s.previousTime);
            }
        }
        writeTimes(st.newestSample, out);
        writeTimes(st.lastArrival, out);
        out.writeInt(st.rules.size());
        for (Map.Entry<String, InstanceState.RuleState> e : st.rules.entrySet()) {
            InstanceState.RuleState r = e.getValue();
            StringValue.writeString(e.getKey(), out);
            out.writeLong(r.pendingSince);
            out.writeLong(r.firingSince);
            out.writeDouble(r.value);
            out.writeDouble(r.threshold);
            StringValue.writeString(r.summary, out);
            StringValue.writeString(r.type, out);
            StringValue.writeString(r.severity == null ? null : r.severity.name(), out);
            out.writeInt(r.labels == null ? -1 : r.labels.size());
            if (r.labels != null) {
                for (Map.Entry<String, String> l : r.labels.entrySet()) {
                    StringValue.writeString(l.getKey(), out);
                    StringValue.writeString(l.getValue(), out);
                }
            }
        }
    }

    private static void writeTimes(Map<String, Long> times, DataOutputView out) throws IOException {
        out.writeInt(times.size());
        for (Map.Entry<String, Long> e : times.entrySet()) {
            StringValue.writeString(e.getKey(), out);
            out.writeLong(e.getValue());
        }
    }

    @Override
    public InstanceState deserialize(DataInputView in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT && format != 1) {
            throw new IOException("instance state written in format " + format + ", this version reads 1 to " + FORMAT);
        }
        InstanceState st = new InstanceState();
        if (in.readBoolean()) {
            String id = StringValue.readString(in);
            String engine = StringValue.readString(in);
            String cluster = StringValue.readString(in);
            String host = StringValue.readString(in);
            int port = in.readInt();
            String business = StringValue.readString(in);
            st.instance = new InstanceRef(id, engine == null ? null : Engine.valueOf(engine), cluster, host,
                    port == Integer.MIN_VALUE ? null : port, business);
        }
        st.lastError = StringValue.readString(in);
        st.partition = format >= 2 ? in.readInt() : -1;
        for (int m = in.readInt(); m > 0; m--) {
            String measurement = StringValue.readString(in);
            int n = in.readInt();
            HashMap<String, InstanceState.Series> fields = new HashMap<>(Math.max(4, n * 4 / 3 + 1));
            for (int f = 0; f < n; f++) {
                String field = StringValue.readString(in);
                InstanceState.Series s = new InstanceState.Series();
                s.value = in.readDouble();
                s.time = in.readLong();
                s.previous = in.readDouble();
                s.previousTime = in.readLong();
                fields.put(field, s);
            }
            st.series.put(measurement, fields);
        }
        readTimes(st.newestSample, in);
        readTimes(st.lastArrival, in);
        for (int n = in.readInt(); n > 0; n--) {
            String key = StringValue.readString(in);
            InstanceState.RuleState r = new InstanceState.RuleState();
            r.pendingSince = in.readLong();
            r.firingSince = in.readLong();
            r.value = in.readDouble();
            r.threshold = in.readDouble();
            r.summary = StringValue.readString(in);
            r.type = StringValue.readString(in);
            String severity = StringValue.readString(in);
            r.severity = severity == null ? null : Severity.valueOf(severity);
            int labels = in.readInt();
            if (labels >= 0) {
                r.labels = new LinkedHashMap<>();
                for (int l = 0; l < labels; l++) {
                    r.labels.put(StringValue.readString(in), StringValue.readString(in));
                }
            }
            st.rules.put(key, r);
        }
        return st;
    }

    private static void readTimes(Map<String, Long> into, DataInputView in) throws IOException {
        for (int n = in.readInt(); n > 0; n--) {
            into.put(StringValue.readString(in), in.readLong());
        }
    }

    @Override
    public TypeSerializerSnapshot<InstanceState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** This serializer's snapshot; state of the generic serializer it takes over after reading it (a migration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<InstanceState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<InstanceState> resolveSchemaCompatibility(TypeSerializerSnapshot<InstanceState> old) {
            if (old instanceof Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            // the generic serializer of earlier versions: its state is read with it, then written with this one
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
