package io.dbops.flinkjobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.Severity;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class RuleEngineTest {
    static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "orders", "host-1", 3306, "trade");
    static final RulePack PACK = RulePack.parse("test", """
            pack: test
            counters:
              s: [questions]
            rules:
              - id: threads
                value: s.threads_running
                op: ">"
                threshold: 40
                clear: 30
                for: 30s
                summary: "{instance}: {value} threads running over {threshold} for {for}"
              - id: lag
                value: r.lag
                op: ">"
                threshold: 10
                min_firing: 60s
              - id: down
                when: up.up == 0
                severity: critical
                summary: "{instance} down: {error}"
              - id: qps
                value: rate(s.questions)
                op: ">"
                threshold: 1000
              - id: absent
                absent: up
                for: 10s
            """);
    static final List<RulePack> PACKS = List.of(PACK);

    final InstanceState state = new InstanceState();

    /** A sample of {@code i} at {@code epochSecond}, fields given as name, value pairs (a null value is a NULL). */
    public static MetricSample sample(InstanceRef i, long epochSecond, String measurement, Object... kv) {
        Map<String, Double> fields = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            fields.put((String) kv[k], kv[k + 1] == null ? null : ((Number) kv[k + 1]).doubleValue());
        }
        return new MetricSample(MetricSample.SCHEMA, Instant.ofEpochSecond(epochSecond), i, measurement, null, fields, null);
    }

    static MetricSample sample(long second, String measurement, Object... kv) {
        return sample(DB, 1_700_000_000 + second, measurement, kv);
    }

    List<Alarm> at(long second, String measurement, Object... kv) {
        return RuleEngine.onSample(state, sample(second, measurement, kv), PACKS, (1_700_000_000 + second) * 1000).alarms();
    }

    @Test
    void onlyFieldsARuleReadsOrCountersAreRemembered() {
        at(0, "s", "threads_running", 5, "questions", 100, "uptime", 7, "ssl_accepts", 0);
        assertThat(state.series.get("s")).containsOnlyKeys("threads_running", "questions");
        assertThat(at(10, "s", "threads_running", 6, "questions", 200)).isEmpty();
    }

    @Test
    void thresholdFiresOnlyAfterItsForDuration() {
        assertThat(at(0, "s", "threads_running", 50)).isEmpty();
        assertThat(state.pendingRules()).containsExactly("test/threads");
        assertThat(at(10, "s", "threads_running", 60)).isEmpty();
        assertThat(at(29, "s", "threads_running", 60)).as("29 s is not yet 30 s").isEmpty();
        List<Alarm> fired = at(30, "s", "threads_running", 61);
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.FIRING);
            assertThat(a.id()).isEqualTo("test/threads@db-1");
            assertThat(a.type()).isEqualTo("threads");
            assertThat(a.value()).isEqualTo(61.0);
            assertThat(a.threshold()).isEqualTo(40.0);
            assertThat(a.startsAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_030));
            assertThat(a.summary()).isEqualTo("db-1: 61 threads running over 40 for 30s");
            assertThat(a.host()).isEqualTo("host-1");
        });
        assertThat(at(40, "s", "threads_running", 70)).as("one firing alarm per rule and instance").isEmpty();
    }

    @Test
    void aDipBeforeTheForDurationRestartsTheWait() {
        at(0, "s", "threads_running", 50);
        at(20, "s", "threads_running", 10);
        assertThat(state.pendingRules()).isEmpty();
        at(25, "s", "threads_running", 50);
        assertThat(at(50, "s", "threads_running", 50)).isEmpty();
        assertThat(at(55, "s", "threads_running", 50)).hasSize(1);
    }

    @Test
    void hysteresisKeepsItFiringUntilTheClearLevel() {
        at(0, "s", "threads_running", 50);
        at(30, "s", "threads_running", 50);
        assertThat(at(40, "s", "threads_running", 35)).as("under the threshold but over clear: still firing").isEmpty();
        assertThat(state.firingRules()).containsExactly("test/threads");
        List<Alarm> resolved = at(50, "s", "threads_running", 25);
        assertThat(resolved).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED);
            assertThat(a.id()).isEqualTo("test/threads@db-1");
            assertThat(a.summary()).startsWith("resolved after 20s: db-1: 50 threads running");
            assertThat(a.endsAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_050));
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(state.firingRules()).isEmpty();
    }

    @Test
    void minimumFiringTimeDampsFlapping() {
        assertThat(at(0, "r", "lag", 20)).hasSize(1);
        assertThat(at(10, "r", "lag", 0)).as("resolving after 10 s of a 60 s minimum is held back").isEmpty();
        assertThat(at(20, "r", "lag", 30)).as("and flapping back does not fire twice").isEmpty();
        assertThat(at(61, "r", "lag", 0)).singleElement().extracting(Alarm::status).isEqualTo(AlarmStatus.RESOLVED);
    }

    @Test
    void aNullValueChangesNothing() {
        at(0, "r", "lag", 20);
        assertThat(at(100, "r", "lag", null)).as("Seconds_Behind_Master NULL is not 0: no resolve").isEmpty();
        assertThat(state.firingRules()).containsExactly("test/lag");
        assertThat(new InstanceState().firingRules()).isEmpty();
        InstanceState fresh = new InstanceState();
        assertThat(RuleEngine.onSample(fresh, sample(0, "r", "lag", null), PACKS, 0).alarms()).isEmpty();
        assertThat(fresh.pendingRules()).isEmpty();
    }

    @Test
    void ratesHandleCounterResets() {
        RuleEngine.Outcome first = RuleEngine.onSample(state, sample(0, "s", "questions", 1000), PACKS, 0);
        assertThat(first.rates()).as("one sample is no rate").isNull();
        RuleEngine.Outcome second = RuleEngine.onSample(state, sample(10, "s", "questions", 21000), PACKS, 0);
        assertThat(second.rates().measurement()).isEqualTo("s_rate");
        assertThat(second.rates().fields()).containsEntry("questions", 2000.0);
        assertThat(second.alarms()).singleElement().extracting(Alarm::type).isEqualTo("qps");
        RuleEngine.Outcome restarted = RuleEngine.onSample(state, sample(20, "s", "questions", 500), PACKS, 0);
        assertThat(restarted.rates().fields()).as("after a restart the new count is the increase").containsEntry("questions", 50.0);
        assertThat(restarted.alarms()).singleElement().extracting(Alarm::status).isEqualTo(AlarmStatus.RESOLVED);
    }

    @Test
    void negativeCountersAreRefusedWithTheField() {
        RuleEngine.Outcome o = RuleEngine.onSample(state, sample(0, "s", "questions", -5), PACKS, 0);
        assertThat(o.rejected()).isEqualTo("negative counter s.questions = -5.0");
        assertThat(state.instance()).as("a refused sample leaves no trace").isNull();
    }

    @Test
    void lateSamplesAreIgnored() {
        at(0, "s", "threads_running", 50);
        at(30, "s", "threads_running", 50);
        RuleEngine.Outcome late = RuleEngine.onSample(state, sample(20, "s", "threads_running", 0), PACKS, 0);
        assertThat(late.outOfOrder()).isTrue();
        assertThat(late.alarms()).isEmpty();
        assertThat(state.firingRules()).containsExactly("test/threads");
    }

    @Test
    void downCarriesThePollErrorAndResolvesWhenUpAgain() {
        MetricSample down = new MetricSample(MetricSample.SCHEMA, Instant.ofEpochSecond(1_700_000_001), DB, "up", null,
                Map.of("up", 0.0), "connect timed out after 2000 ms");
        List<Alarm> fired = RuleEngine.onSample(state, down, PACKS, 0).alarms();
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.summary()).isEqualTo("db-1 down: connect timed out after 2000 ms");
        });
        assertThat(at(5, "up", "up", 1)).singleElement().extracting(Alarm::status).isEqualTo(AlarmStatus.RESOLVED);
    }

    @ParameterizedTest(name = "last sample at 1 s, job (re)started at {0} ms: next check {1}, fires at {2}: {3}")
    @CsvSource({
            // a job restored at 5 s after a 4 s outage: silence counts from the restart, the deadline moves to 15 s
            "5000, 15000, 14999, false",
            "5000, 15000, 15000, true",
            // a restart before the last sample changes nothing
            "500, 11000, 11000, true",
            // a job down for a minute: nothing fires on restore, only if the instance stays silent 10 s after it
            "61000, 71000, 61001, false",
            "61000, 71000, 71000, true",
    })
    void absenceCountsSilenceOnlyFromWhenTheJobWasWatching(long watchingSince, long deadline, long at, boolean fires) {
        RuleEngine.onSample(state, sample(0, "up", "up", 1), PACKS, 1_000);
        assertThat(RuleEngine.nextDeadline(state, PACKS, watchingSince)).isEqualTo(deadline);
        assertThat(RuleEngine.onTimer(state, PACKS, at, new RuleEngine.Watch(watchingSince, Long.MAX_VALUE))).hasSize(fires ? 1 : 0);
    }

    @ParameterizedTest(name = "stream {0} s past the instance''s newest sample: fires {1}")
    @CsvSource({
            // nothing read yet (a job just restored): the stream's progress is unknown, nothing fires
            "MIN, false",
            // the pipeline stalled: nothing newer than the instance's own last sample has been read
            "0, false",
            "9.999, false",
            // the other instances' samples are the rule's 10 s newer: this one is absent
            "10, true",
            "60, true",
    })
    void absenceNeedsTheStreamToHaveMovedOnWithoutTheInstance(String streamAhead, boolean fires) {
        RuleEngine.onSample(state, sample(0, "up", "up", 1), PACKS, 1_000);
        long newest = 1_700_000_000_000L;
        long streamTime = streamAhead.equals("MIN") ? Long.MIN_VALUE : newest + Math.round(Double.parseDouble(streamAhead) * 1000);
        // arrival alone says absent: nothing came for 20 s
        assertThat(RuleEngine.onTimer(state, PACKS, 21_000, new RuleEngine.Watch(Long.MIN_VALUE, streamTime))).hasSize(fires ? 1 : 0);
    }

    @Test
    void absenceFiresOnArrivalTimeAndResolvesWhenSamplesReturn() {
        RuleEngine.onSample(state, sample(0, "up", "up", 1), PACKS, 1_000);
        assertThat(RuleEngine.nextDeadline(state, PACKS)).isEqualTo(11_000);
        assertThat(RuleEngine.onTimer(state, PACKS, 10_999)).isEmpty();
        List<Alarm> fired = RuleEngine.onTimer(state, PACKS, 11_000);
        assertThat(fired).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo("absent"));
        assertThat(RuleEngine.nextDeadline(state, PACKS)).as("no timer while it fires").isEqualTo(Long.MAX_VALUE);
        assertThat(RuleEngine.onTimer(state, PACKS, 20_000)).isEmpty();
        List<Alarm> back = RuleEngine.onSample(state, sample(30, "up", "up", 1), PACKS, 30_000).alarms();
        assertThat(back).singleElement().extracting(Alarm::status).isEqualTo(AlarmStatus.RESOLVED);
    }

    @Test
    void reloadedPacksResolveAlarmsOfRulesThatAreGone() {
        at(0, "r", "lag", 20);
        RulePack without = RulePack.parse("test", "pack: test\nrules:\n  - {id: other, when: m.a > 1}\n");
        List<Alarm> resolved = RuleEngine.reconcile(state, List.of(without), 5_000);
        assertThat(resolved).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED);
            assertThat(a.summary()).contains("rule test/lag was removed");
        });
        assertThat(state.firingRules()).isEmpty();
    }

    @Test
    void removingAnInstanceResolvesEverythingOnIt() {
        at(0, "r", "lag", 20);
        at(1, "s", "threads_running", 99);
        List<Alarm> resolved = RuleEngine.remove(state, 9_000);
        assertThat(resolved).extracting(Alarm::status).containsExactly(AlarmStatus.RESOLVED);
        assertThat(state.pendingRules()).isEmpty();
        assertThat(state.firingRules()).isEmpty();
    }

    @Test
    void scopeLimitsRulesToTheirEngines() {
        RulePack redisOnly = RulePack.parse("r", "pack: r\nrules:\n  - {id: x, engines: [redis], when: up.up == 0}\n");
        MetricSample down = sample(0, "up", "up", 0);
        assertThat(RuleEngine.onSample(state, down, List.of(redisOnly), 0).alarms()).isEmpty();
    }
}
