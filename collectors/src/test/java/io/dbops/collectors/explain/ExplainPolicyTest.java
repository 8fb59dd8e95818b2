package io.dbops.collectors.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Stats;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExplainPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM orders WHERE id = 1|true",
        "  select count(*) from t|true",
        "(SELECT a FROM t) UNION (SELECT a FROM u)|true",
        "SELECT * FROM t FOR UPDATE|false",
        "SELECT * FROM t LOCK IN SHARE MODE|false",
        "SELECT a INTO OUTFILE '/tmp/x' FROM t|false",
        "SELECT a INTO @v FROM t|false",
        "SELECT @v := a FROM t|false",
        "SELECT SLEEP(10)|false",
        "SELECT 1; DROP TABLE t|false",
        "select * from orders where id = ?|false",
        "UPDATE t SET a = 1|false",
        "DELETE FROM t|false",
        "WITH x AS (SELECT 1) DELETE FROM t|false"})
    void onlyReadOnlySelectsAreExplained(String sql, boolean safe) {
        assertThat(ExplainPolicy.isSafeSelect(sql)).isEqualTo(safe);
    }

    @Test
    void thresholdsRateLimitsAndRepeatsAreRespected() {
        ExplainPolicy p = new ExplainPolicy(1.0, 2, Duration.ofHours(1));
        long now = 1_000_000;
        assertThat(p.shouldExplain(digest("db-1", "Q1", 0.5), now)).as("under the total-time threshold").isFalse();
        assertThat(p.shouldExplain(digest("db-1", "Q1", 5), now)).isTrue();
        assertThat(p.shouldExplain(digest("db-1", "Q1", 5), now + 1000)).as("explained within the hour").isFalse();
        assertThat(p.shouldExplain(digest("db-1", "Q2", 5), now + 2000)).isTrue();
        assertThat(p.shouldExplain(digest("db-1", "Q3", 5), now + 3000)).as("two per instance per minute").isFalse();
        assertThat(p.shouldExplain(digest("db-2", "Q3", 5), now + 3000)).as("another instance has its own budget").isTrue();
        assertThat(p.shouldExplain(digest("db-1", "Q3", 5), now + 61_000)).as("a minute later").isTrue();
        assertThat(p.shouldExplain(digest("db-1", "Q1", 5), now + 3_601_000)).as("an hour later, again").isTrue();
    }

    @Test
    void ofAWindowOnlyTheTopQueryIdsByTotalTimeAreConsidered() {
        ExplainPolicy p = new ExplainPolicy(2, 1.0, 10, Duration.ofHours(1));
        var chosen = p.choose(java.util.List.of(digest("db-1", "A", 3), digest("db-1", "B", 30), digest("db-1", "C", 9),
                digest("db-1", "D", 0.5)), 1_000);
        assertThat(chosen).extracting(SlowSqlDigest::queryId).containsExactly("B", "C");
    }

    static SlowSqlDigest digest(String instance, String queryId, double total) {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        return new SlowSqlDigest(1, t, t, t, new InstanceRef(instance, Engine.MARIADB, "c", "h", 3306, "b"), queryId, "select ?",
                "demo", 10, new Stats(total, 0.1, 1, total / 10, 1), null, null, null, "SELECT * FROM orders WHERE id = 1", t);
    }
}
