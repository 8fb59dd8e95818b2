package io.dbops.mlmodels.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementGeneratorTest {
    @Test
    void sameSeedSameHistory() {
        assertThat(PlacementGenerator.generate(42, 200)).isEqualTo(PlacementGenerator.generate(42, 200));
        assertThat(PlacementGenerator.generate(42, 50)).isNotEqualTo(PlacementGenerator.generate(43, 50));
    }

    @Test
    void theDbaNeverBreaksAHardRuleAndHasChoices() {
        List<Decision> history = PlacementGenerator.generate(1, 500);
        for (Decision d : history) {
            assertThat(HardConstraints.DEFAULT.check(d.request(), d.chosenCandidate()).feasible()).isTrue();
            assertThat(d.candidates()).hasSizeBetween(12, 40);
        }
        assertThat(history.stream().filter(d -> d.candidates().stream().anyMatch(c -> !HardConstraints.DEFAULT.check(d.request(), c).feasible())))
                .as("histories include servers the rules refuse").isNotEmpty();
        assertThat(history.stream().filter(d -> Double.isNaN(d.candidates().get(0).cpuUtil()))).as("some metrics unknown").isNotEmpty();
    }

    @Test
    void thePolicyIsMoreThanFreeMemory() {
        List<Decision> history = PlacementGenerator.generate(2, 500);
        PlacementEvaluation.Score baseline = PlacementEvaluation.evaluate(PlacementEvaluation.mostFreeMemory(HardConstraints.DEFAULT), history,
                HardConstraints.DEFAULT);
        assertThat(baseline.top1()).isBetween(0.2, 0.7);
    }
}
