package io.dbops.collectors.slowlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbops.sql.SlowLogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowLogTailerTest {
    private final MutableClock clock = new MutableClock();

    static String entry(int n) {
        return "# Time: 251125 11:02:0" + (n % 10) + "\n# User@Host: app[app] @ localhost [127.0.0.1]\n"
                + "# Query_time: 0.5  Lock_time: 0.0  Rows_sent: 1  Rows_examined: 1\nSET timestamp=1764068523;\nSELECT " + n + ";\n";
    }

    @Test
    void aHalfWrittenEntryWaitsUntilTheNextStartsOrTheFileGoesQuiet(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("slow.log");
        append(log, entry(1) + "# Time: 251125 11:02:09\n# Query_time: 0.7  Lock_time: 0.0");
        try (SlowLogTailer t = tailer(log, TailPosition.START)) {
            assertThat(queries(deliver(t))).containsExactly("SELECT 1");
            append(log, "  Rows_sent: 1  Rows_examined: 1\nSELECT 2;\n");
            assertThat(deliver(t)).as("the file just grew: SELECT 2 may not be finished").isEmpty();
            clock.advance(Duration.ofSeconds(3));
            assertThat(queries(deliver(t))).containsExactly("SELECT 2");
        }
    }

    @Test
    void anUndeliveredBatchComesAgain(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("slow.log");
        append(log, entry(1) + entry(2) + "#");
        try (SlowLogTailer t = tailer(log, TailPosition.START)) {
            assertThat(queries(t.poll().entries())).containsExactly("SELECT 1", "SELECT 2");
            assertThat(queries(t.poll().entries())).as("not committed").containsExactly("SELECT 1", "SELECT 2");
            assertThat(deliver(t)).hasSize(2);
            assertThat(deliver(t)).isEmpty();
        }
    }

    @Test
    void renameRotationFinishesTheOldFileThenFollowsTheNewOne(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("slow.log");
        append(log, entry(1) + entry(2));
        try (SlowLogTailer t = tailer(log, TailPosition.START)) {
            assertThat(queries(settle(t))).containsExactly("SELECT 1", "SELECT 2");
            // mv slow.log slow.log.1, the server still writes to it until FLUSH SLOW LOGS, then a new file
            Files.move(log, dir.resolve("slow.log.1"));
            append(dir.resolve("slow.log.1"), entry(3));
            append(log, entry(4));
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.addAll(queries(settle(t)));
            }
            assertThat(seen).containsExactly("SELECT 3", "SELECT 4");
        }
    }

    @Test
    void copyTruncateStartsOverAtTheBeginning(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("slow.log");
        append(log, entry(1) + entry(2));
        try (SlowLogTailer t = tailer(log, TailPosition.START)) {
            assertThat(settle(t)).hasSize(2);
            Files.writeString(log, "", StandardOpenOption.TRUNCATE_EXISTING);
            append(log, entry(3));
            assertThat(queries(settle(t))).containsExactly("SELECT 3");
        }
    }

    @Test
    void aRestartResumesAtTheSavedPositionAndFindsAFileRotatedMeanwhile(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("slow.log");
        PositionStore store = new PositionStore(dir.resolve("state"));
        append(log, entry(1) + entry(2));
        try (SlowLogTailer t = tailer(log, TailPosition.START)) {
            settle(t);
            store.save("demo", t.position());
        }
        append(log, entry(3));
        Files.move(log, dir.resolve("slow.log.1"));
        append(log, entry(4));
        List<String> seen = new ArrayList<>();
        try (SlowLogTailer t = tailer(log, store.load("demo"))) {
            for (int i = 0; i < 4; i++) {
                seen.addAll(queries(settle(t)));
            }
        }
        assertThat(seen).containsExactly("SELECT 3", "SELECT 4");
    }

    @Test
    void aDeletedLogKeepsBeingReadUntilANewOneAppears(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("slow.log");
        append(log, entry(1));
        try (SlowLogTailer t = tailer(log, TailPosition.START)) {
            assertThat(settle(t)).hasSize(1);
            Files.delete(log);
            assertThat(settle(t)).isEmpty();
            append(log, entry(2));
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.addAll(queries(settle(t)));
            }
            assertThat(seen).containsExactly("SELECT 2");
        }
    }

    @Test
    void aDirectoryInsteadOfAFileIsAClearError(@TempDir Path dir) throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("slow.log"));
        try (SlowLogTailer t = tailer(notAFile, TailPosition.START)) {
            assertThatThrownBy(t::poll).isInstanceOf(IOException.class).hasMessageContaining("is a directory");
        }
    }

    @Test
    void timeComesFromSetTimestampElseFromTheLogTimeInItsZone() {
        SlowLogEntry withEpoch = new SlowLogEntry(0, 1, "251125 11:02:03", java.util.Map.of("timestamp", "1764068523"), "SELECT 1", false);
        assertThat(SlowQueryMapper.time(withEpoch, ZoneOffset.UTC)).isEqualTo(Instant.ofEpochSecond(1764068523));
        SlowLogEntry mariadb = new SlowLogEntry(0, 1, "251125  9:02:03", java.util.Map.of(), "SELECT 1", false);
        assertThat(SlowQueryMapper.time(mariadb, ZoneId.of("Asia/Shanghai"))).isEqualTo(Instant.parse("2025-11-25T01:02:03Z"));
        SlowLogEntry iso = new SlowLogEntry(0, 1, "2025-11-25T11:02:03", java.util.Map.of(), "SELECT 1", false);
        assertThat(SlowQueryMapper.time(iso, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-11-25T11:02:03Z"));
    }

    private SlowLogTailer tailer(Path log, TailPosition start) throws IOException {
        return new SlowLogTailer(log, start, Duration.ofSeconds(2), clock);
    }

    /** Two polls a quiet period apart: everything written so far, last entry included. */
    private List<SlowLogEntry> settle(SlowLogTailer t) throws IOException {
        List<SlowLogEntry> all = new ArrayList<>(deliver(t));
        clock.advance(Duration.ofSeconds(3));
        all.addAll(deliver(t));
        return all;
    }

    private static List<SlowLogEntry> deliver(SlowLogTailer t) throws IOException {
        SlowLogTailer.Batch b = t.poll();
        t.commit(b.end());
        return b.entries();
    }

    private static List<String> queries(List<SlowLogEntry> entries) {
        return entries.stream().map(SlowLogEntry::query).toList();
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static final class MutableClock extends Clock {
        private long millis = 1_000_000;

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
