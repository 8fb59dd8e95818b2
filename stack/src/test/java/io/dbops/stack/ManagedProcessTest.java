package io.dbops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @Test
    void aPidFileNamingSomeoneElsesProcessIsNeverTouched(@TempDir Path work) throws Exception {
        StackConfig config = new StackConfig(work, 0);
        Files.createDirectories(config.pidFile("kafka").getParent());
        // this test JVM: alive, but its command line does not mention the work folder
        Files.writeString(config.pidFile("kafka"), ProcessHandle.current().pid() + "\n");
        ManagedProcess p = new ManagedProcess(config, "kafka");
        assertThat(p.isRunning()).isFalse();
        assertThat(p.stop(java.time.Duration.ofSeconds(1))).isFalse();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(config.pidFile("kafka")).doesNotExist();
    }

    @Test
    void startedProcessIsRecognisedAndStopped(@TempDir Path work) throws Exception {
        StackConfig config = new StackConfig(work, 0);
        ManagedProcess p = new ManagedProcess(config, "sleeper");
        Path followed = Files.writeString(work.resolve("followed.log"), "x\n");
        long pid = p.start(java.util.List.of("tail", "-f", followed.toString()), java.util.Map.of());
        assertThat(p.aliveSinceStart()).isTrue();
        // /proc shows the real command line once the spawn helper has exec'd
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> p.pid().isPresent());
        assertThat(p.pid()).hasValue(pid);
        assertThat(p.stop(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(p.isRunning()).isFalse();
    }
}
