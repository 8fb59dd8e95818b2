package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which partials a 60 s combiner hands out at a watermark, and what they hold. */
class WindowCombinerTest {
    private static final long MIN = 60_000;

    /** {@code queries} as "key@millis", then the watermark, then the partials handed out as "key@windowStart=count", in order. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing closed before the window's last millisecond", "a@0 a@59999", 59_998, ""),
                Arguments.of("a window closes at its last millisecond", "a@0 a@59999", 59_999, "a@0=2"),
                Arguments.of("one partial per key and window", "a@1 b@2 a@3 a@60000", 59_999, "a@0=2 b@0=1"),
                Arguments.of("older windows first, later ones kept", "a@120000 a@60000 a@0", 119_999, "a@0=1 a@60000=1"),
                Arguments.of("negative event time (before 1970) has its window too", "a@-1 a@-60000", -1, "a@-60000=2"),
                Arguments.of("the lowest watermark closes nothing", "a@0", Long.MIN_VALUE, ""),
                Arguments.of("the end of input closes everything", "a@0 b@9000000000000", Long.MAX_VALUE, "a@0=1 b@9000000000000=1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handsOutClosedWindows(String why, String queries, long watermark, String expected) {
        WindowCombiner c = new WindowCombiner(MIN);
        int added = 0;
        for (String q : queries.split(" ")) {
            c.add(sample(q.substring(0, q.indexOf('@')), Long.parseLong(q.substring(q.indexOf('@') + 1))));
            added++;
        }
        List<String> out = new ArrayList<>();
        c.drainClosed(watermark, p -> out.add(p.key().substring(p.key().indexOf('|') + 1) + "@" + c.windowStart(p.lastSeenMillis()) + "=" + p.count()));
        out.sort(null); // keys of one window come in any order
        assertThat(String.join(" ", out)).isEqualTo(expected);
        long handedOut = out.stream().mapToLong(s -> Long.parseLong(s.substring(s.indexOf('=') + 1))).sum();
        assertThat(c.pending().stream().mapToLong(SlowSqlAccumulator::count).sum()).isEqualTo(added - handedOut);
        assertThat(c.size()).isEqualTo(c.pending().size());
    }

    @Test
    void aRestoredPartialJoinsItsKeyAndWindow() {
        WindowCombiner before = new WindowCombiner(MIN);
        before.add(sample("a", 10));
        before.add(sample("a", 20));
        WindowCombiner after = new WindowCombiner(MIN);
        before.pending().forEach(after::add);
        after.add(sample("a", 30));
        after.add(sample("a", 60_000));
        List<SlowSqlAccumulator> out = new ArrayList<>();
        after.drainAll(out::add);
        assertThat(out).extracting(SlowSqlAccumulator::count).containsExactly(3L, 1L);
        assertThat(out.get(0).lastSeenMillis()).isEqualTo(30);
        assertThat(after.size()).isZero();
    }

    @Test
    void closedIsTheSameRuleAsDraining() {
        WindowCombiner c = new WindowCombiner(MIN);
        assertThat(c.closed(59_999, 59_998)).isFalse();
        assertThat(c.closed(0, 59_999)).isTrue();
        assertThat(c.closed(60_000, 59_999)).isFalse();
    }

    static SlowSample sample(String queryId, long time) {
        SlowSample s = SlowSample.of(SlowSqlDigestJobTest.withQueryId(SlowSqlAccumulatorTest.query(0.5, time, "SELECT 1"), queryId));
        return s;
    }
}
