package io.dbops.mlmodels.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HardConstraintsTest {
    static final PlacementRequest REPLICA = new PlacementRequest("r1", "mysql", 16, 200, "housing", "housing-db-1", "replica");
    static final PlacementRequest STANDALONE = new PlacementRequest("r2", "redis", 16, 200, "housing", null, "standalone");

    static ServerCandidate server(double memFree, double diskFree, int onHost, int inRack, boolean maintenance) {
        return new ServerCandidate("s1", "bj1-r01", "bj1", 0.3, 256, memFree, diskFree, 0.2, 4, 1, onHost, inRack, "dell-r740", maintenance);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("fits", HardConstraints.DEFAULT, REPLICA, server(64, 1000, 0, 0, false), List.of()),
                Arguments.of("exactly enough", HardConstraints.DEFAULT, REPLICA, server(16, 200, 0, 0, false), List.of()),
                Arguments.of("memory short", HardConstraints.DEFAULT, REPLICA, server(15.9, 1000, 0, 0, false),
                        List.of("15.9 GB memory free, needs 16.0")),
                Arguments.of("disk short", HardConstraints.DEFAULT, REPLICA, server(64, 150, 0, 0, false),
                        List.of("150.0 GB disk free, needs 200.0")),
                Arguments.of("reserve counts", new HardConstraints(8, 0, false), REPLICA, server(20, 1000, 0, 0, false),
                        List.of("20.0 GB memory free, needs 24.0")),
                Arguments.of("maintenance", HardConstraints.DEFAULT, REPLICA, server(64, 1000, 0, 0, true), List.of("in maintenance")),
                Arguments.of("set member on host", HardConstraints.DEFAULT, REPLICA, server(64, 1000, 1, 1, false),
                        List.of("already holds a member of housing-db-1")),
                Arguments.of("set member in rack is only a preference", HardConstraints.DEFAULT, REPLICA, server(64, 1000, 0, 1, false),
                        List.of()),
                Arguments.of("rack spread made hard", new HardConstraints(0, 0, true), REPLICA, server(64, 1000, 0, 1, false),
                        List.of("rack bj1-r01 already holds a member of housing-db-1")),
                Arguments.of("standalone has no set", new HardConstraints(0, 0, true), STANDALONE, server(64, 1000, 1, 1, false), List.of()),
                Arguments.of("unknown free memory is not enough", HardConstraints.DEFAULT, REPLICA, server(Double.NaN, 1000, 0, 0, false),
                        List.of("NaN GB memory free, needs 16.0")),
                Arguments.of("every broken rule listed", HardConstraints.DEFAULT, REPLICA, server(1, 1, 1, 1, true),
                        List.of("in maintenance", "1.0 GB memory free, needs 16.0", "1.0 GB disk free, needs 200.0",
                                "already holds a member of housing-db-1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rules(String name, HardConstraints rules, PlacementRequest request, ServerCandidate candidate, List<String> broken) {
        HardConstraints.Verdict v = rules.check(request, candidate);
        assertThat(v.broken()).containsExactlyElementsOf(broken);
        assertThat(v.feasible()).isEqualTo(broken.isEmpty());
    }
}
