package io.dbops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StackConfigTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("defaults are usable", Path.of("/tmp/dbops"), 0, new String[0]),
                Arguments.of("an offset is added to every port", Path.of("/tmp/dbops"), 1000, new String[0]),
                Arguments.of("ports beyond 65535 are named", Path.of("/tmp/dbops"), 40000,
                        new String[] {"sentinel-1 on port 66379", "sentinel-3 on port 66381"}),
                Arguments.of("privileged ports are refused", Path.of("/tmp/dbops"), -13000,
                        new String[] {"metadata-db on port 306"}),
                Arguments.of("a work folder too long for a socket path", Path.of("/tmp/" + "x".repeat(100)), 0,
                        new String[] {"too long for MariaDB's unix socket path"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void problemsAreAllListed(String why, Path workDir, int offset, String[] expected) {
        var problems = new StackConfig(workDir, offset).problems();
        if (expected.length == 0) {
            assertThat(problems).isEmpty();
        }
        for (String e : expected) {
            assertThat(problems).anyMatch(p -> p.contains(e));
        }
    }

    @Test
    void everyPortMovesByTheOffset() {
        StackConfig shifted = new StackConfig(Path.of("/tmp/dbops"), 1000);
        for (var e : StackConfig.DEFAULT_PORTS.entrySet()) {
            assertThat(shifted.port(e.getKey())).isEqualTo(e.getValue() + 1000);
        }
        assertThat(StackConfig.DEFAULT_PORTS.values()).doesNotHaveDuplicates();
    }
}
