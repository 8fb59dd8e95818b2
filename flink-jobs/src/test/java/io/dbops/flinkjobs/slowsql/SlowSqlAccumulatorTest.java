package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.events.Stats;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SlowSqlAccumulatorTest {
    static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "c1", "h1", 3306, "trade");

    static SlowQuery query(double seconds, long at, String sql) {
        return new SlowQuery(1, Instant.ofEpochMilli(at), DB, sql, "select ?", "QID", "shop", "app", "10.0.0.1", 1L, seconds,
                0.001, 10L, 100L, 0L, 50L, Map.of("explain", "id\tselect_type\n1\tSIMPLE"), "test");
    }

    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("uniform 1 ms - 1 s", (java.util.function.Function<Random, Double>) r -> 0.001 + r.nextDouble()),
                Arguments.of("long tail", (java.util.function.Function<Random, Double>) r -> Math.exp(r.nextGaussian() * 2 - 4)),
                Arguments.of("constant", (java.util.function.Function<Random, Double>) r -> 0.25));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void quantilesAreWithinOnePercentAndSumsExact(String why, java.util.function.Function<Random, Double> source) {
        Random r = new Random(7);
        double[] values = new double[20_000];
        SlowSqlAccumulator acc = new SlowSqlAccumulator();
        for (int i = 0; i < values.length; i++) {
            values[i] = source.apply(r);
            acc.add(query(values[i], 1000 + i, "q"));
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        Stats s = acc.queryTimeStats();
        assertThat(s.sum()).isCloseTo(Arrays.stream(values).sum(), within(1e-6));
        assertThat(s.min()).isEqualTo(sorted[0]);
        assertThat(s.max()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(s.p50()).isCloseTo(exact(sorted, 0.50), within(exact(sorted, 0.50) * 0.011));
        assertThat(s.p95()).isCloseTo(exact(sorted, 0.95), within(exact(sorted, 0.95) * 0.011));
        assertThat(s.p99()).isCloseTo(exact(sorted, 0.99), within(exact(sorted, 0.99) * 0.011));
    }

    @Test
    void mergingTwoHalvesEqualsOneWhole() {
        SlowSqlAccumulator whole = new SlowSqlAccumulator();
        SlowSqlAccumulator a = new SlowSqlAccumulator();
        SlowSqlAccumulator b = new SlowSqlAccumulator();
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            SlowQuery q = query(r.nextDouble() * 3, 5000 - i, "SELECT " + i);
            whole.add(q);
            (i % 2 == 0 ? a : b).add(q);
        }
        var merged = a.merge(b).toDigest(Instant.EPOCH, Instant.ofEpochSecond(60));
        var direct = whole.toDigest(Instant.EPOCH, Instant.ofEpochSecond(60));
        assertThat(merged.calls()).isEqualTo(1000);
        assertThat(merged.queryTimeSec().sum()).isCloseTo(direct.queryTimeSec().sum(), within(1e-9));
        assertThat(merged.queryTimeSec().p95()).isEqualTo(direct.queryTimeSec().p95());
        assertThat(merged.example()).isEqualTo(direct.example());
        assertThat(merged.firstSeen()).isEqualTo(Instant.ofEpochMilli(4001));
        assertThat(merged.rowsExamined().sum()).isEqualTo(100_000);
        assertThat(merged.explain()).isEqualTo(direct.explain()).isEqualTo("id\tselect_type\n1\tSIMPLE");
    }

    private static double exact(double[] sorted, double q) {
        return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)];
    }
}
