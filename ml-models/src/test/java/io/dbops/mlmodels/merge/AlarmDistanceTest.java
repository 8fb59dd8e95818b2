package io.dbops.mlmodels.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlarmDistanceTest {
    /** Two dcs; orders has its primary on h1 (rack r1) and a replica on h3 (rack r2, same dc); users is all elsewhere. */
    static final Topology TOPOLOGY = new Topology(
            Map.of("h1", new Topology.Host("h1", "r1", "dc1"), "h2", new Topology.Host("h2", "r1", "dc1"),
                    "h3", new Topology.Host("h3", "r2", "dc1"), "h4", new Topology.Host("h4", "r9", "dc2"),
                    "h5", new Topology.Host("h5", "r8", "dc2")),
            Map.of("orders-0", new Topology.Instance("orders-0", "mysql", "h1", "r1", "dc1", "orders", "trade", "primary", 3306),
                    "orders-1", new Topology.Instance("orders-1", "mysql", "h3", "r2", "dc1", "orders", "trade", "replica", 3306),
                    "cache-0", new Topology.Instance("cache-0", "redis", "h1", "r1", "dc1", "cache", "search", "primary", 6379),
                    "users-0", new Topology.Instance("users-0", "mysql", "h2", "r1", "dc1", "users", "trade", "primary", 3306),
                    "users-1", new Topology.Instance("users-1", "mysql", "h4", "r9", "dc2", "users", "trade", "replica", 3306),
                    "logs-0", new Topology.Instance("logs-0", "mongo", "h5", "r8", "dc2", "logs", "pay", "primary", 27017)));
    static final AlarmDistance D = new AlarmDistance(TOPOLOGY, TypeAffinity.withPrior(), AlarmDistance.Scales.DEFAULT);

    static Location at(String instanceOrHost) {
        return instanceOrHost.startsWith("h") ? TOPOLOGY.locate(null, instanceOrHost) : TOPOLOGY.locate(instanceOrHost, null);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2} ({3})")
    @CsvSource({
            "orders-0, orders-0, 0.0, same instance",
            "h1, h1, 0.0, two host alarms on one host",
            "orders-0, orders-1, 0.15, same replica set",
            "orders-0, cache-0, 0.25, same host",
            "h1, cache-0, 0.25, a host alarm and an instance on that host",
            "orders-1, cache-0, 0.35, linked: orders has a member on cache-0's host",
            "h1, orders-1, 0.35, linked: a host alarm and a replica of a set with a member on that host",
            "users-0, cache-0, 0.7, same rack",
            "orders-1, users-0, 0.95, same dc",
            "users-1, logs-0, 0.95, same dc (dc2)",
            "orders-0, users-1, 0.97, same business line",
            "cache-0, logs-0, 1.0, unrelated",
            "orders-0, ghost-9, 1.0, an instance the topology does not know",
    })
    void topologyLevels(String a, String b, double expected, String why) {
        assertThat(D.topology(at(a), at(b))).as(why).isEqualTo(expected);
        assertThat(D.topology(at(b), at(a))).as("symmetric").isEqualTo(expected);
        // a location from another topology version (before a refresh) is compared by name, with the same answer
        assertThat(D.topology(byName(at(a)), at(b))).as(why + ", by name").isEqualTo(expected);
    }

    static Location byName(Location l) {
        return new Location(l.instance(), l.cluster(), l.host(), l.rack(), l.dc(), l.business(), l.role(), l.known());
    }

    @Test
    void timeIsTheGapOverTheScaleCappedAtOne() {
        assertThat(D.timeDistance(0)).isZero();
        long half = AlarmDistance.Scales.DEFAULT.timeScaleMs() / 2;
        assertThat(D.timeDistance(half)).isEqualTo(0.5);
        assertThat(D.timeDistance(-half)).isEqualTo(0.5);
        assertThat(D.timeDistance(3_600_000)).isEqualTo(1.0);
    }

    @Test
    void typeAffinityStartsNeutralAndLearnsFromHistory() {
        TypeAffinity a = TypeAffinity.withPrior();
        assertThat(a.affinity("x_down", "y_broken")).as("day one: neutral").isEqualTo(0.5);
        for (int i = 0; i < 20; i++) {
            a.learn(List.of("x_down", "x_down", "y_broken"));
            a.learn(List.of("noise"));
        }
        assertThat(a.affinity("x_down", "y_broken")).isGreaterThan(0.9);
        assertThat(a.affinity("y_broken", "x_down")).as("symmetric").isEqualTo(a.affinity("x_down", "y_broken"));
        assertThat(a.affinity("noise", "x_down")).as("never together").isLessThan(0.1);
        assertThat(a.affinity("x_down", "x_down")).as("often twice in one incident").isGreaterThan(0.9);
        assertThat(a.affinity("noise", "noise")).as("always alone").isLessThan(0.1);
        assertThat(a.affinity("brand_new_type", "x_down")).as("an unseen type stays near neutral").isBetween(0.04, 0.5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // what, second alarm's subject, its type, gap over the time scale, expected 1 - (1-time)(1-topology)(1-type)
            "'close in all three: same set at once, neutral types', orders-1, u, 0.0, 0.575",
            "'half the time scale apart', orders-1, u, 0.5, 0.7875",
            "'another set on the same rack: topology far enough to part them', users-0, u, 0.0, 0.85",
            "'another type on the same subject', orders-0, v, 0.0, 0.5",
            "'a whole time scale apart: far whatever else agrees', orders-0, v, 1.0, 1.0",
            "'the same alarm series at once', orders-0, t, 0.0, 0.0",
            "'the same series a time scale apart: a third of its series scale', orders-0, t, 1.0, 0.3333333333333333",
    })
    void distanceIsCloseOnlyWhenAllThreePartsAre(String what, String subject, String type, double gap, double expected) {
        long scale = AlarmDistance.Scales.DEFAULT.timeScaleMs();
        AlarmPoint a = new AlarmPoint("a", 0, "t", 2, at("orders-0"));
        AlarmPoint b = new AlarmPoint("b", (long) (gap * scale), type, 2, at(subject));
        assertThat(D.distance(a, b)).as(what).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(D.distance(b, a)).as("symmetric").isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void memoizedTypeDistancesFollowWhatTheAffinityLearns() {
        TypeAffinity aff = TypeAffinity.withPrior();
        AlarmDistance d = new AlarmDistance(TOPOLOGY, aff, AlarmDistance.Scales.DEFAULT);
        List<String> types = List.of("x", "y", "z", "w");
        aff.learn(List.of("x", "y"));
        types.forEach(a -> types.forEach(b -> d.typeDistance(a, b)));
        aff.learn(List.of("y", "z", "z"));
        d.forgetTypes(List.of("y", "z", "z"));
        for (String a : types) {
            for (String b : types) {
                assertThat(d.typeDistance(a, b)).as("%s ~ %s after learning", a, b).isEqualTo(1 - aff.affinity(a, b));
                assertThat(d.row(a).to(new String(b))).as("a type equal but not the same string").isEqualTo(1 - aff.affinity(a, b));
            }
        }
    }

    @Test
    void aTopologyFileListsEveryProblem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Topology.parse("""
                {"hosts": [{"host": "h1", "rack": "r1", "dc": "dc1"}, {"rack": "r2"}, {"host": "h1"}],
                 "instances": [{"id": "a", "host": "h1", "rack": "r7"}, {"host": "h1"}, {"id": "b"}, {"id": "a", "host": "h1", "port": "x"}]}
                """)).hasMessageContaining("has 7 problems")
                .hasMessageContaining("hosts[1]: 'host' is required")
                .hasMessageContaining("hosts[2]: host 'h1' is listed twice")
                .hasMessageContaining("instances[0] (a): rack 'r7' differs from its host's rack 'r1'")
                .hasMessageContaining("instances[1]: 'id' is required")
                .hasMessageContaining("instances[2] (b): 'host' is required")
                .hasMessageContaining("instances[3] (a): 'port' must be a number")
                .hasMessageContaining("instances[3] (a): instance 'a' is listed twice");
        Topology t = Topology.parse("{\"hosts\": [{\"host\": \"h1\", \"rack\": \"r1\", \"dc\": \"dc1\"}], \"instances\": [{\"id\": \"a\", \"host\": \"h1\", \"cluster\": \"c\"}]}");
        assertThat(t.locate("a", null)).usingRecursiveComparison().ignoringFields("index")
                .isEqualTo(new Location("a", "c", "h1", "r1", "dc1", null, null, true));
        assertThat(t.locate("zz", "h1").known()).as("unknown instances are kept and flagged").isFalse();
        assertThat(t.locate("zz", "h1").rack()).isEqualTo("r1");
    }
}
