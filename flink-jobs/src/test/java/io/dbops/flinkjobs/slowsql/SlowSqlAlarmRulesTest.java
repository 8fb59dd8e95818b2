package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SlowSqlAlarmRulesTest {
    static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "c1", "h1", 3306, "trade");
    static final long MIN = 60_000;
    static final SlowSqlThresholds T = new SlowSqlThresholds(Duration.ofMinutes(10), 1.0, 3.0, 20, 10, 60.0);

    static SlowSqlDigest digest(String queryId, int window, long calls, double sum, double p95) {
        Instant start = Instant.ofEpochMilli(window * MIN);
        return new SlowSqlDigest(1, start.plusMillis(MIN), start, start.plusMillis(MIN), DB, queryId, "select ?", "shop", calls,
                new Stats(sum, 0.001, p95 * 2, sum / calls, p95), null, null, null, "SELECT 1", start);
    }

    @Test
    void aNewQueryAlarmsOnlyAfterWarmUpAndOverItsThresholdAndResolvesNextWindow() {
        var s = new SlowSqlAlarmRules.InstanceState();
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("OLD", 0, 10, 50, 1), T)).as("everything is new at first").isEmpty();
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("EARLY", 5, 10, 50, 1), T)).as("still warming up").isEmpty();
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("TINY", 11, 10, 0.5, 0.05), T)).as("under 1 s in all").isEmpty();
        List<Alarm> fired = SlowSqlAlarmRules.onDigest(s, digest("FRESH", 12, 10, 5, 0.5), T);
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(SlowSqlAlarmRules.NEW);
            assertThat(a.status()).isEqualTo(AlarmStatus.FIRING);
            assertThat(a.id()).isEqualTo("slow_query_new/db-1/FRESH");
            assertThat(a.labels()).containsEntry("query_id", "FRESH");
        });
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("FRESH", 13, 10, 5, 0.5), T))
                .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED));
    }

    @Test
    void aRegressionNeedsABaselineEnoughCallsAndTheFactorThenResolves() {
        var s = new SlowSqlAlarmRules.InstanceState();
        List<Alarm> all = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            all.addAll(SlowSqlAlarmRules.onDigest(s, digest("Q", w, 100, 10, 0.1), T));
        }
        assertThat(all).isEmpty();
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("Q", 5, 10, 10, 0.9), T)).as("too few calls to judge").isEmpty();
        List<Alarm> fired = SlowSqlAlarmRules.onDigest(s, digest("Q", 6, 100, 90, 0.9), T);
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(SlowSqlAlarmRules.REGRESSION);
            assertThat(a.status()).isEqualTo(AlarmStatus.FIRING);
            assertThat(a.value()).isEqualTo(0.9);
            assertThat(a.summary()).contains("p95 0.900 s");
        });
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("Q", 7, 100, 90, 0.9), T)).as("still firing: not repeated").isEmpty();
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("Q", 8, 100, 10, 0.1), T))
                .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED));
    }

    @Test
    void aCallStormIsARegressionToo() {
        var s = new SlowSqlAlarmRules.InstanceState();
        for (int w = 0; w < 4; w++) {
            SlowSqlAlarmRules.onDigest(s, digest("Q", w, 30, 3, 0.1), T);
        }
        assertThat(SlowSqlAlarmRules.onDigest(s, digest("Q", 4, 400, 40, 0.1), T))
                .singleElement().satisfies(a -> assertThat(a.type()).isEqualTo(SlowSqlAlarmRules.REGRESSION));
    }

    @Test
    void aBurstIsJudgedWhenTheWindowClosesOnTheInstanceTotal() {
        var s = new SlowSqlAlarmRules.InstanceState();
        SlowSqlAlarmRules.onDigest(s, digest("A", 0, 10, 40, 1), T);
        SlowSqlAlarmRules.onDigest(s, digest("B", 0, 10, 30, 1), T);
        // a late update of A's window replaces its total, it does not add to it
        SlowSqlAlarmRules.onDigest(s, digest("A", 0, 11, 45, 1), T);
        List<Alarm> fired = SlowSqlAlarmRules.onWindowClosed(s, DB, 0, MIN, T);
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(SlowSqlAlarmRules.BURST);
            assertThat(a.value()).isEqualTo(75.0);
            assertThat(a.severity()).isEqualTo(io.dbops.events.Severity.CRITICAL);
        });
        SlowSqlAlarmRules.onDigest(s, digest("A", 1, 10, 80, 1), T);
        assertThat(SlowSqlAlarmRules.onWindowClosed(s, DB, MIN, 2 * MIN, T)).as("still bursting").isEmpty();
        SlowSqlAlarmRules.onDigest(s, digest("A", 2, 10, 5, 1), T);
        assertThat(SlowSqlAlarmRules.onWindowClosed(s, DB, 2 * MIN, 3 * MIN, T))
                .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED));
        assertThat(s.windowTotals).isEmpty();
    }

    @Test
    void thresholdsAreScopedAndEveryBadKeyIsListed() {
        Properties p = new Properties();
        p.setProperty("alarm.default.burst.total.seconds", "120");
        p.setProperty("alarm.business.trade.regression.factor", "2");
        p.setProperty("alarm.instance.db-9.new.min.total.seconds", "5");
        p.setProperty("alarm.default.bogus", "1");
        p.setProperty("alarm.business.trade.burst.total.seconds", "lots");
        p.setProperty("alarm.nonsense", "1");
        List<String> problems = new ArrayList<>();
        SlowSqlThresholds.Config c = SlowSqlThresholds.Config.parse(p, problems);
        assertThat(problems).hasSize(3)
                .anyMatch(m -> m.contains("alarm.default.bogus"))
                .anyMatch(m -> m.contains("alarm.business.trade.burst.total.seconds must be a non-negative number"))
                .anyMatch(m -> m.contains("unknown alarm key alarm.nonsense"));
        assertThat(c.forInstance(DB).regressionFactor()).isEqualTo(2.0);
        assertThat(c.forInstance(DB).burstTotalSeconds()).as("inherits the default").isEqualTo(120.0);
        InstanceRef other = new InstanceRef("db-9", Engine.MYSQL, null, "h9", 3306, "ads");
        assertThat(c.forInstance(other).newMinTotalSeconds()).isEqualTo(5.0);
        assertThat(c.forInstance(other).regressionFactor()).isEqualTo(3.0);
    }
}
