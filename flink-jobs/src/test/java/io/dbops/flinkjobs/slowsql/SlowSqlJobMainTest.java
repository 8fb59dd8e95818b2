package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.junit.jupiter.api.Test;

class SlowSqlJobMainTest {

    @Test
    void aBadConfigListsEveryProblem() {
        Properties p = new Properties();
        p.setProperty("window.seconds", "a minute");
        p.setProperty("windw.seconds", "60");
        assertThat(SlowSqlJobMain.problems(p)).hasSize(4)
                .anyMatch(m -> m.equals("missing required key kafka.bootstrap"))
                .anyMatch(m -> m.equals("missing required key checkpoint.dir"))
                .anyMatch(m -> m.startsWith("unknown key windw.seconds"))
                .anyMatch(m -> m.startsWith("window.seconds must be a whole number"));
    }

    @Test
    void alarmThresholdKeysAreNotUnknownKeys() {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap", "127.0.0.1:9092");
        p.setProperty("checkpoint.dir", "/tmp/x");
        p.setProperty("alarm.default.burst.total.seconds", "30");
        assertThat(SlowSqlJobMain.problems(p)).isEmpty();
    }

    @Test
    void aRestartResumesFromTheNewestCompleteCheckpoint(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(io.dbops.flinkjobs.JobRuntime.latestCheckpoint(dir.resolve("none"))).isEmpty();
        Path old = java.nio.file.Files.createDirectories(dir.resolve("job-a/chk-3"));
        java.nio.file.Files.writeString(old.resolve("_metadata"), "x");
        old.resolve("_metadata").toFile().setLastModified(1_000_000);
        Path newer = java.nio.file.Files.createDirectories(dir.resolve("job-b/chk-7"));
        java.nio.file.Files.writeString(newer.resolve("_metadata"), "x");
        java.nio.file.Files.createDirectories(dir.resolve("job-b/chk-8")); // still being written: no metadata
        assertThat(io.dbops.flinkjobs.JobRuntime.latestCheckpoint(dir)).contains(newer);
        io.dbops.flinkjobs.JobRuntime.forgetOlderRuns(dir, newer.getParent());
        assertThat(dir.resolve("job-a")).doesNotExist();
        assertThat(newer.resolve("_metadata")).exists();
    }

    @Test
    void checkpointsGoToTheFileSystemNotTheJobManagersMemory() {
        var conf = io.dbops.flinkjobs.JobRuntime.checkpointStorage(Path.of("/tmp/dbops-checkpoints"));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/dbops-checkpoints");
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
}
