package io.dbops.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableOffsetStoreTest {
    @TempDir
    Path dir;

    static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static final Map<ByteBuffer, ByteBuffer> POSITION = Map.of(buf("[\"dbops-demo\",{\"server\":\"dbops\"}]"),
            buf("{\"gtids\":\"0-1-652\",\"file\":\"mariadb-bin.000002\",\"pos\":1234,\"event\":2,\"row\":17}"));

    @Test
    void aWrittenPositionIsReadBack() throws Exception {
        Path f = dir.resolve("offsets.dat");
        DurableOffsetStore.write(f, POSITION);
        assertThat(DurableOffsetStore.read(f)).isEqualTo(POSITION);
        assertThat(Files.exists(dir.resolve("offsets.dat.tmp"))).as("the temporary file is renamed, not left").isFalse();
    }

    @Test
    void noFileMeansNoPositionYet() {
        assertThat(DurableOffsetStore.read(dir.resolve("absent.dat"))).isEmpty();
    }

    @Test
    void positionsWrittenByKafkaConnectsFileStoreAreReadAsTheyAre() throws Exception {
        Path f = dir.resolve("offsets.dat");
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        FileOffsetBackingStore kafka = new FileOffsetBackingStore(keys);
        kafka.configure(new StandaloneConfig(Map.of("bootstrap.servers", "localhost:9092", "key.converter", JsonConverter.class.getName(),
                "value.converter", JsonConverter.class.getName(), StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG, f.toString())));
        kafka.start();
        kafka.set(POSITION, null).get(10, TimeUnit.SECONDS);
        kafka.stop();
        assertThat(DurableOffsetStore.read(f)).isEqualTo(POSITION);
    }

    @Test
    void aFileCutShortStopsTheCaptureInsteadOfStartingOverSilently() throws Exception {
        Path f = dir.resolve("offsets.dat");
        DurableOffsetStore.write(f, POSITION);
        byte[] whole = Files.readAllBytes(f);
        for (int cut : new int[] {0, 1, 4, whole.length / 2, whole.length - 1}) {
            Files.write(f, Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> DurableOffsetStore.read(f)).as("cut at %d of %d bytes", cut, whole.length)
                    .isInstanceOf(ConnectException.class).hasMessageContaining(f.toString()).hasMessageContaining("delete it");
        }
    }

    @Test
    void aCrashWhileWritingLeavesThePreviousPosition() throws Exception {
        Path f = dir.resolve("offsets.dat");
        DurableOffsetStore.write(f, POSITION);
        // a kill -9 during the next write leaves a partial temporary file beside the whole old one
        Files.write(dir.resolve("offsets.dat.tmp"), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});
        assertThat(DurableOffsetStore.read(f)).isEqualTo(POSITION);
        Map<ByteBuffer, ByteBuffer> next = new HashMap<>(POSITION);
        next.put(buf("[\"dbops-other\",{}]"), null);
        DurableOffsetStore.write(f, next);
        assertThat(DurableOffsetStore.read(f)).isEqualTo(next);
    }

    @Test
    void aFileHoldingSomethingElseIsRefused() throws Exception {
        Path f = dir.resolve("offsets.dat");
        try (var os = new java.io.ObjectOutputStream(Files.newOutputStream(f))) {
            os.writeObject(new java.util.ArrayList<>(java.util.List.of("x")));
        }
        assertThatThrownBy(() -> DurableOffsetStore.read(f)).isInstanceOf(ConnectException.class).hasMessageContaining("cannot be read");
    }
}
