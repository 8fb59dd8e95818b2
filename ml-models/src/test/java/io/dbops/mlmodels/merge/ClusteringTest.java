package io.dbops.mlmodels.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusteringTest {
    static List<AlarmPoint> points(StormGenerator.Output o) {
        List<AlarmPoint> out = new ArrayList<>();
        for (StormGenerator.Alarm a : o.alarms()) {
            out.add(new AlarmPoint(a.id(), a.ts(), a.type(), AlarmPoint.severity(a.severity()), o.topology().locate(a.instance(), a.host())));
        }
        return out;
    }

    static TypeAffinity learned(long... seeds) {
        TypeAffinity aff = TypeAffinity.withPrior();
        for (long seed : seeds) {
            StormGenerator.Output o = StormGenerator.generate(StormGenerator.Settings.of(seed, 12, 90));
            Map<String, List<String>> incidents = new LinkedHashMap<>();
            for (StormGenerator.Alarm a : o.alarms()) {
                incidents.computeIfAbsent(o.truth().get(a.id()), k -> new ArrayList<>()).add(a.type());
            }
            aff.learnAll(incidents.values());
        }
        return aff;
    }

    static Map<String, String> batch(List<AlarmPoint> pts, AlarmDistance d, double threshold) {
        int[] labels = BatchClusterer.cluster(pts, d, threshold);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < pts.size(); i++) {
            out.put(pts.get(i).id(), pts.get(labels[i]).id());
        }
        return out;
    }

    @Test
    void twoSeparateFaultsAndANeighbourStayApart() {
        Location p = AlarmDistanceTest.at("orders-0");
        Location r = AlarmDistanceTest.at("orders-1");
        Location far = AlarmDistanceTest.at("logs-0");
        TypeAffinity aff = TypeAffinity.withPrior();
        for (int i = 0; i < 10; i++) {
            aff.learn(List.of("down", "broken", "broken"));
            aff.learn(List.of("slow"));
        }
        AlarmDistance d = new AlarmDistance(AlarmDistanceTest.TOPOLOGY, aff, AlarmDistance.Scales.DEFAULT);
        List<AlarmPoint> pts = List.of(new AlarmPoint("1", 0, "down", 2, p), new AlarmPoint("2", 20_000, "broken", 2, r),
                new AlarmPoint("3", 25_000, "slow", 1, far), new AlarmPoint("4", 40_000, "broken", 2, r));
        Map<String, String> b = batch(pts, d, 0.5);
        assertThat(b).containsEntry("1", "1").containsEntry("2", "1").containsEntry("4", "1").containsEntry("3", "3");
        IncrementalClusterer inc = new IncrementalClusterer(d, IncrementalClusterer.Settings.DEFAULT);
        pts.forEach(inc::add);
        assertThat(inc.assignments()).isEqualTo(b);
    }

    @Test
    void theStreamingMergerAgreesWithTheBatchAlgorithmOnGeneratedStorms() {
        TypeAffinity aff = learned(1, 2);
        for (long seed = 501; seed <= 503; seed++) {
            StormGenerator.Output o = StormGenerator.generate(new StormGenerator.Settings(seed, 1, 3, 6, 12, 6, 4, 6, 30, 3, 1_800_000));
            List<AlarmPoint> pts = points(o);
            AlarmDistance d = new AlarmDistance(o.topology(), aff, AlarmDistance.Scales.DEFAULT);
            double threshold = IncrementalClusterer.Settings.DEFAULT.threshold();
            Map<String, String> batch = batch(pts, d, threshold);
            IncrementalClusterer inc = new IncrementalClusterer(d, IncrementalClusterer.Settings.single(threshold, 3_600_000, 10_000));
            pts.forEach(inc::add);
            PartitionScores agreement = PartitionScores.of(batch, inc.assignments());
            assertThat(agreement.ari()).as("seed %d, %d alarms", seed, pts.size()).isGreaterThan(0.9);
        }
    }

    @Test
    void deterministicIdempotentAndBoundedByTheHorizon() {
        StormGenerator.Output o = StormGenerator.generate(StormGenerator.Settings.of(77, 12, 90));
        List<AlarmPoint> pts = points(o);
        AlarmDistance d = new AlarmDistance(o.topology(), learned(3), AlarmDistance.Scales.DEFAULT);
        IncrementalClusterer a = new IncrementalClusterer(d, IncrementalClusterer.Settings.DEFAULT);
        IncrementalClusterer b = new IncrementalClusterer(d, IncrementalClusterer.Settings.DEFAULT).forgetClosed();
        int maxWorking = 0;
        for (AlarmPoint p : pts) {
            a.add(p);
            assertThat(a.add(p).duplicate()).as("a repeated alarm id changes nothing").isTrue();
            b.add(p);
            maxWorking = Math.max(maxWorking, b.workingSet());
        }
        IncrementalClusterer again = new IncrementalClusterer(d, IncrementalClusterer.Settings.DEFAULT);
        pts.forEach(again::add);
        assertThat(again.assignments()).isEqualTo(a.assignments());
        assertThat(maxWorking).as("only the last horizon's alarms are held").isLessThan(pts.size() / 3);
        b.expire(Long.MAX_VALUE);
        assertThat(b.workingSet()).isZero();
        assertThat(b.assignments()).as("closed clusters forgotten").isEmpty();
    }

    @Test
    void aBridgingAlarmMergesTwoOpenClusters() {
        // a replica's alarm links two clusters opened apart: the primary's host and a replica elsewhere
        TypeAffinity aff = TypeAffinity.withPrior();
        for (int i = 0; i < 10; i++) {
            aff.learn(List.of("host_gone", "db_down", "repl_broken"));
        }
        AlarmDistance d = new AlarmDistance(AlarmDistanceTest.TOPOLOGY, aff, AlarmDistance.Scales.DEFAULT);
        IncrementalClusterer inc = new IncrementalClusterer(d, IncrementalClusterer.Settings.DEFAULT);
        inc.add(new AlarmPoint("h", 0, "host_gone", 2, AlarmDistanceTest.at("h1")));
        IncrementalClusterer.Placement second = inc.add(new AlarmPoint("r", 1_000, "repl_broken", 2, AlarmDistanceTest.at("users-1")));
        assertThat(second.opened()).isTrue();
        IncrementalClusterer.Placement bridge = inc.add(new AlarmPoint("u", 2_000, "db_down", 2, AlarmDistanceTest.at("users-0")));
        assertThat(bridge.merged()).containsExactly("r");
        assertThat(bridge.clusterId()).as("the older cluster keeps its id").isEqualTo("h");
        assertThat(inc.assignments()).containsEntry("r", "h").containsEntry("u", "h");
    }

    @Test
    void scoresMatchHandComputedValues() {
        Map<String, String> truth = Map.of("a", "1", "b", "1", "c", "1", "d", "2");
        Map<String, String> pred = Map.of("a", "x", "b", "x", "c", "y", "d", "y");
        PartitionScores s = PartitionScores.of(truth, pred);
        // true pairs ab ac bc; predicted ab cd; together ab
        assertThat(s.precision()).isEqualTo(0.5);
        assertThat(s.recall()).isEqualTo(1 / 3.0);
        assertThat(s.f1()).isCloseTo(0.4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(PartitionScores.of(truth, truth).ari()).isEqualTo(1.0);
        assertThat(PartitionScores.of(truth, Map.of("a", "x")).missing()).isEqualTo(3);
        assertThat(s.trueCompression()).isEqualTo(2.0);
    }

    @Test
    void theMergerBeatsTheAlertmanagerBaselineOnStormsItWasNotTunedOn() {
        TypeAffinity aff = learned(1, 2, 3);
        StormGenerator.Output o = StormGenerator.generate(StormGenerator.Settings.of(4242, 12, 120));
        List<AlarmPoint> pts = points(o);
        IncrementalClusterer inc = new IncrementalClusterer(new AlarmDistance(o.topology(), aff, AlarmDistance.Scales.DEFAULT),
                IncrementalClusterer.Settings.DEFAULT);
        pts.forEach(inc::add);
        PartitionScores ours = PartitionScores.of(o.truth(), inc.assignments());
        PartitionScores am = PartitionScores.of(o.truth(), Baselines.alertmanager(pts, 300_000));
        assertThat(ours.f1()).isGreaterThan(am.f1() + 0.3);
        assertThat(ours.predictedCompression()).isCloseTo(ours.trueCompression(), org.assertj.core.api.Assertions.withinPercentage(25));
    }
}
