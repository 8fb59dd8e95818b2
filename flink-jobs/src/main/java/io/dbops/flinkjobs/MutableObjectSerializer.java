package io.dbops.flinkjobs;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the jobs' hand-written serializers of mutable objects share (Flink's generic ones cost more
 * than the work they carry): variable length, no reuse of instances, a stream copied by reading
 * and writing it again, and a value written to memory first when the target is a stream.
 * Subclasses write and read the fields and make the deep copy.
 */
public abstract class MutableObjectSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    /**
     * A checkpoint hands the heap backend's snapshot a view over the (compressing) file stream, where
     * every byte and character written is a call down the stream chain: a value is written to memory
     * first and handed over in one piece. Network buffers and other memory targets are written directly.
     */
    private static final ThreadLocal<DataOutputSerializer> BUFFER = ThreadLocal.withInitial(() -> new DataOutputSerializer(512));

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        if (out instanceof DataOutputSerializer) {
            write(value, out);
            return;
        }
        DataOutputSerializer buffer = BUFFER.get();
        buffer.clear();
        write(value, buffer);
        out.write(buffer.getSharedBuffer(), 0, buffer.length());
        if (buffer.getSharedBuffer().length > 1 << 20) {
            BUFFER.remove(); // one huge value does not pin its buffer to the thread
        }
    }

    /** Writes the value's fields; what {@link #serialize} calls. */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }
}
