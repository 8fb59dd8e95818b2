package io.dbops.flinkjobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** What every hand-written serializer's test checks first. */
public final class SerializerChecks {
    private SerializerChecks() {
    }

    /**
     * Writes {@code v}, reads it back, and checks that what was read writes the very same bytes, that a copy from
     * stream to stream does too, and so does writing to a stream (as a checkpoint does, through the buffer in
     * {@link MutableObjectSerializer}); returns what was read, for the caller's checks of its fields.
     */
    public static <T> T roundTrip(TypeSerializer<T> s, T v) throws IOException {
        byte[] written = bytes(s, v);
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        s.serialize(v, new org.apache.flink.core.memory.DataOutputViewStreamWrapper(stream));
        s.serialize(v, new org.apache.flink.core.memory.DataOutputViewStreamWrapper(stream));
        byte[] twice = new byte[written.length * 2];
        System.arraycopy(written, 0, twice, 0, written.length);
        System.arraycopy(written, 0, twice, written.length, written.length);
        assertThat(stream.toByteArray()).as("written to a stream, twice").isEqualTo(twice);
        T back = s.deserialize(new DataInputDeserializer(written));
        assertThat(bytes(s, back)).isEqualTo(written);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        s.copy(new DataInputDeserializer(written), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(written);
        return back;
    }

    /**
     * Checks that a copy of {@code v} writes the same bytes, and that {@code change} applied to the copy leaves
     * {@code v} as it was (a copy is what a snapshot being written keeps while the job goes on changing its state).
     */
    public static <T> void copyIsIndependent(TypeSerializer<T> s, T v, java.util.function.Consumer<T> change) throws IOException {
        byte[] before = bytes(s, v);
        T copy = s.copy(v);
        assertThat(bytes(s, copy)).isEqualTo(before);
        change.accept(copy);
        assertThat(bytes(s, v)).isEqualTo(before);
    }

    public static <T> byte[] bytes(TypeSerializer<T> s, T v) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(v, out);
        return out.getCopyOfBuffer();
    }
}
