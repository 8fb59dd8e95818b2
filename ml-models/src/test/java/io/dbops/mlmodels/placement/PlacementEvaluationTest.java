package io.dbops.mlmodels.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementEvaluationTest {
    static final PlacementRequest REQ = new PlacementRequest("q", "redis", 8, 10, "ads", null, "standalone");

    static ServerCandidate s(String name, double memFree) {
        return new ServerCandidate(name, "r", "dc", 0.1, 256, memFree, 1000, 0.1, 1, 0, 0, 0, "hw", false);
    }

    static final List<ServerCandidate> SERVERS = List.of(s("a", 100), s("b", 90), s("c", 80), s("d", 70), s("x", 4));

    /** A ranker that offers the servers in a fixed order of names. */
    static PlacementEvaluation.Ranker fixed(String... names) {
        List<String> order = List.of(names);
        return (r, c) -> c.stream().filter(x -> order.contains(x.server())).sorted(Comparator.comparingInt(x -> order.indexOf(x.server()))).toList();
    }

    static Stream<Arguments> cases() {
        double two = 1 / (Math.log(3) / Math.log(2));
        return Stream.of(
                Arguments.of("chosen first", fixed("b", "a"), "b", 1.0, 1.0, 0),
                Arguments.of("chosen second", fixed("a", "b"), "b", 0.0, two, 0),
                Arguments.of("chosen third", fixed("a", "c", "b"), "b", 0.0, 0.5, 0),
                Arguments.of("chosen fourth", fixed("a", "c", "d", "b"), "b", 0.0, 0.0, 0),
                Arguments.of("pick breaks a rule", fixed("x", "b"), "b", 0.0, two, 1),
                Arguments.of("offers nothing", fixed(), "b", 0.0, 0.0, 0),
                Arguments.of("baseline: most memory", PlacementEvaluation.mostFreeMemory(HardConstraints.DEFAULT), "a", 1.0, 1.0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scores(String name, PlacementEvaluation.Ranker ranker, String chosen, double top1, double ndcg3, int violations) {
        Decision d = new Decision(REQ, SERVERS, chosen, "dba", null, null);
        PlacementEvaluation.Score s = PlacementEvaluation.evaluate(ranker, List.of(d), HardConstraints.DEFAULT);
        assertThat(s.decisions()).isEqualTo(1);
        assertThat(s.top1()).isEqualTo(top1);
        assertThat(s.ndcg3()).isCloseTo(ndcg3, within(1e-9));
        assertThat(s.violations()).isEqualTo(violations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aChoiceAgainstTheRulesCannotBeScored(String name, PlacementEvaluation.Ranker ranker, String chosen, double top1, double ndcg3,
                                              int violations) {
        Decision d = new Decision(REQ, SERVERS, "x", "dba", null, null);
        PlacementEvaluation.Score s = PlacementEvaluation.evaluate(ranker, List.of(d), HardConstraints.DEFAULT);
        assertThat(s.decisions()).isZero();
        assertThat(s.unscorable()).isEqualTo(1);
    }
}
