package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The digest pipeline on a Flink MiniCluster with bounded input: windows, keys, lateness. */
class SlowSqlDigestJobTest {

    @Test
    void queriesBecomeOneDigestPerInstanceQueryAndWindow() throws Exception {
        long t0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
        List<SlowQuery> input = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            // 90 queries over 3 minutes, one every 2 s, alternating two query ids
            SlowQuery q = SlowSqlAccumulatorTest.query(0.1 * (1 + i % 3), t0 + i * 2000L, "SELECT " + i);
            input.add(i % 2 == 0 ? q : withQueryId(q, "OTHER"));
        }
        // out of order by 3 s, inside the 5 s bound: still counted in the first window
        input.add(withQueryId(SlowSqlAccumulatorTest.query(9.0, t0 + 59_000, "SELECT late"), "QID"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<SlowSqlDigest> out = new ArrayList<>();
        try (CloseableIterator<SlowSqlDigest> it = SlowSqlDigestJob.digests(env.fromData(input),
                new SlowSqlDigestJob.Settings(Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5))).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        assertThat(out).hasSize(6);
        assertThat(out.stream().mapToLong(SlowSqlDigest::calls).sum()).isEqualTo(91);
        SlowSqlDigest first = out.stream().filter(d -> d.queryId().equals("QID") && d.windowStart().toEpochMilli() == t0)
                .findFirst().orElseThrow();
        assertThat(first.calls()).isEqualTo(16);
        assertThat(first.queryTimeSec().max()).isEqualTo(9.0);
        assertThat(first.example()).isEqualTo("SELECT late");
        assertThat(first.windowEnd()).isEqualTo(Instant.ofEpochMilli(t0 + 60_000));
        assertThat(first.instance().id()).isEqualTo("db-1");
        assertThat(first.queryTimeSec().p50()).isNotNull();
    }

    static SlowQuery withQueryId(SlowQuery q, String id) {
        return new SlowQuery(q.schema(), q.time(), q.instance(), q.query(), q.fingerprint(), id, q.database(), q.user(),
                q.clientHost(), q.threadId(), q.queryTimeSec(), q.lockTimeSec(), q.rowsSent(), q.rowsExamined(),
                q.rowsAffected(), q.bytesSent(), q.attributes(), q.source());
    }
}
