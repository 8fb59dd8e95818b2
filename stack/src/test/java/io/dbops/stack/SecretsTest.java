package io.dbops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @Test
    void secretsAreGeneratedOncePrivateAndStable(@TempDir Path work) throws Exception {
        String first = Secrets.load(work).get("metadata.password");
        assertThat(first).hasSize(24);
        assertThat(Secrets.load(work).get("metadata.password")).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("secrets.properties"))))
                .isEqualTo("rw-------");
    }
}
