package io.dbops.mlmodels.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains on a small generated history once; the quality bar here is below the benchmark's (which trains on 20k). */
class PlacementModelTest {
    static PlacementTraining.Result trained;
    static final PlacementTraining.Options OPTIONS = new PlacementTraining.Options(60, 6, 0.2, 2, HardConstraints.DEFAULT);

    @BeforeAll
    static void train() {
        trained = PlacementTraining.train(PlacementGenerator.generate(1, 2000), OPTIONS);
    }

    @Test
    void learnsThePolicyBetterThanTheBaselineOnOtherSeeds() {
        List<Decision> heldOut = PlacementGenerator.generate(99, 500);
        PlacementEvaluation.Score model = PlacementEvaluation.evaluate(PlacementEvaluation.model(trained.model(), HardConstraints.DEFAULT),
                heldOut, HardConstraints.DEFAULT);
        PlacementEvaluation.Score baseline = PlacementEvaluation.evaluate(PlacementEvaluation.mostFreeMemory(HardConstraints.DEFAULT), heldOut,
                HardConstraints.DEFAULT);
        assertThat(model.top1()).isGreaterThan(0.8).isGreaterThan(baseline.top1() + 0.2);
        assertThat(model.ndcg3()).isGreaterThan(0.9);
        assertThat(model.violations()).isZero();
    }

    @Test
    void trainingIsDeterministic() throws Exception {
        List<Decision> history = PlacementGenerator.generate(3, 300);
        PlacementModel a = PlacementTraining.train(history, OPTIONS).model();
        PlacementModel b = PlacementTraining.train(history, OPTIONS).model();
        List<Decision> probe = PlacementGenerator.generate(4, 20);
        for (Decision d : probe) {
            assertThat(a.scoreUnfiltered(d.request(), d.candidates())).containsExactly(b.scoreUnfiltered(d.request(), d.candidates()));
        }
    }

    @Test
    void ranksOnlyFeasibleServersAndExplainsTheTopOnes() {
        Decision d = PlacementGenerator.generate(7, 1).get(0);
        PlacementModel.Ranking r = trained.model().rank(d.request(), d.candidates(), HardConstraints.DEFAULT, 2);
        assertThat(r.ranked()).isNotEmpty();
        assertThat(r.ranked()).allSatisfy(x -> assertThat(HardConstraints.DEFAULT.check(d.request(), x.candidate()).feasible()).isTrue());
        assertThat(r.ranked().size() + r.refused().size()).isEqualTo(d.candidates().size());
        assertThat(r.ranked().get(0).reasons()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        assertThat(r.ranked().get(0).reasons().get(0).feature()).isIn(PlacementFeatures.NAMES);
        assertThat(r.ranked().get(2).reasons()).isEmpty();
        for (int i = 1; i < r.ranked().size(); i++) {
            assertThat(r.ranked().get(i).score()).isLessThanOrEqualTo(r.ranked().get(i - 1).score());
        }
    }

    @Test
    void aRequestNoServerCanHoldSaysWhy() {
        Decision d = PlacementGenerator.generate(7, 1).get(0);
        PlacementRequest huge = new PlacementRequest("big", "redis", 4096, 10, "ads", null, "standalone");
        PlacementModel.Ranking r = trained.model().rank(huge, d.candidates(), HardConstraints.DEFAULT, 3);
        assertThat(r.noneFeasible()).isTrue();
        assertThat(r.whyNone()).startsWith("no feasible server; ").contains("needs 4096.0");
    }

    @Test
    void savesAndLoadsTheSameModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        trained.model().save(file);
        PlacementModel loaded = PlacementModel.load(file);
        Decision d = PlacementGenerator.generate(8, 1).get(0);
        assertThat(loaded.scoreUnfiltered(d.request(), d.candidates())).containsExactly(trained.model().scoreUnfiltered(d.request(), d.candidates()));
        assertThat(loaded.info().path("decisions").asInt()).isEqualTo(trained.used());
        assertThat(loaded.hardware().lifts()).isEqualTo(trained.model().hardware().lifts());
    }

    @Test
    void refusesAModelOfAnotherFeatureVersion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        trained.model().save(file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.put("feature_version", PlacementFeatures.VERSION + 1);
        Files.writeString(file, root.toString());
        assertThatThrownBy(() -> PlacementModel.load(file)).hasMessageContaining("feature version " + (PlacementFeatures.VERSION + 1))
                .hasMessageContaining("retrain");
        Files.writeString(file, "{\"kind\":\"something else\"}");
        assertThatThrownBy(() -> PlacementModel.load(file)).hasMessageContaining("is not a placement model");
    }

    @Test
    void skipsDecisionsThatTeachNothing() {
        List<Decision> history = new ArrayList<>(PlacementGenerator.generate(11, 50));
        Decision d = history.get(0);
        ServerCandidate c = d.candidates().get(0);
        ServerCandidate broken = new ServerCandidate(c.server(), c.rack(), c.dc(), c.cpuUtil(), c.memTotalGb(), 0, c.diskFreeGb(), c.ioUtil(),
                c.instances(), c.sameBusinessInstances(), c.sameClusterOnHost(), c.sameClusterInRack(), c.hardware(), false);
        List<ServerCandidate> cs = new ArrayList<>(d.candidates());
        cs.set(0, broken);
        history.add(new Decision(d.request(), cs, broken.server(), "dba", null, null));
        PlacementTraining.Result r = PlacementTraining.train(history, OPTIONS);
        assertThat(r.skippedInfeasibleChoice()).isEqualTo(1);
        assertThat(r.used()).isEqualTo(50);
    }

    @Test
    void hardwareNamesAreFreeForm() {
        Decision d = PlacementGenerator.generate(12, 1).get(0);
        assertThat(trained.model().hardware().lift("never-seen-box", d.request())).isEqualTo(1.0);
    }
}
