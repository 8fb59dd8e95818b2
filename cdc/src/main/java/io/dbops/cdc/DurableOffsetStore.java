package io.dbops.cdc;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * The capture's binlog position on disk, written so that a kill -9 at any moment leaves either
 * the previous or the new position, never a damaged file.
 *
 * <p>Kafka Connect's {@code FileOffsetBackingStore} truncates its file and rewrites it in place,
 * and when it later reads a file cut short it carries on with no offsets: the connector then
 * starts over at the server's current position and every change in between is silently lost (a
 * kill -9 of the collector during a load showed it). This store writes a temporary file, forces
 * it to disk and renames it over the old one; a file that cannot be read stops the capture with
 * the file named (which raises {@code binlog_capture_failed}), never a silent restart.
 *
 * <p>The file format is the one {@code FileOffsetBackingStore} writes (a serialized map of key
 * and value bytes), so positions recorded by earlier versions are read as they are.
 */
public final class DurableOffsetStore extends MemoryOffsetBackingStore {
    /** The Connect setting naming the file, shared with {@code FileOffsetBackingStore}. */
    public static final String FILE = "offset.storage.file.filename";

    private Path file;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        String name = config.originalsStrings().get(FILE);
        if (name == null || name.isBlank()) {
            throw new ConnectException(FILE + " is not set: the capture needs a file for its binlog position");
        }
        file = Path.of(name);
    }

    @Override
    public synchronized void start() {
        super.start();
        data = read(file);
    }

    /** The recorded offsets, empty when the file does not exist; a file that exists must be whole. */
    static Map<ByteBuffer, ByteBuffer> read(Path file) {
        Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (InputStream in = Files.newInputStream(file); ObjectInputStream os = new ObjectInputStream(in)) {
            os.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.util.HashMap;java.util.Map$Entry;[B;!*"));
            Object raw = os.readObject();
            if (!(raw instanceof Map<?, ?> map)) {
                throw new IOException("it holds a " + (raw == null ? "null" : raw.getClass().getName()) + ", not a map of offsets");
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey() == null ? null : ByteBuffer.wrap((byte[]) e.getKey()), e.getValue() == null ? null : ByteBuffer.wrap((byte[]) e.getValue()));
            }
            return out;
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new ConnectException("the recorded binlog position in " + file + " cannot be read (" + e
                    + "): the capture does not start over at the current position, which would skip every change since; restore the file, "
                    + "or delete it to accept that gap", e);
        }
    }

    @Override
    protected void save() {
        try {
            write(file, data);
        } catch (IOException e) {
            throw new ConnectException("cannot record the binlog position in " + file + ": " + e, e);
        }
    }

    /** Writes beside the file, forces it to disk, then renames it over the old one. */
    static void write(Path file, Map<ByteBuffer, ByteBuffer> offsets) throws IOException {
        HashMap<byte[], byte[]> raw = new HashMap<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> e : offsets.entrySet()) {
            raw.put(e.getKey() == null ? null : bytes(e.getKey()), e.getValue() == null ? null : bytes(e.getValue()));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch); ObjectOutputStream os = new ObjectOutputStream(out)) {
            os.writeObject(raw);
            os.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of(); // the embedded engine never lists partitions (only Connect's REST offsets API does)
    }
}
