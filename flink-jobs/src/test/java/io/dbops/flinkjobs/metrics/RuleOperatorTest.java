package io.dbops.flinkjobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.Severity;
import io.dbops.flinkjobs.kafka.RawRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rule operator in Flink's test harness: timers, broadcast reloads, side outputs and state clean-up. */
class RuleOperatorTest {
    static final InstanceRef DB1 = new InstanceRef("db-1", Engine.MARIADB, "orders", "host-1", 3306, "trade");
    static final InstanceRef DB2 = new InstanceRef("db-2", Engine.MARIADB, "orders", "host-2", 3306, "trade");
    static final String PACK = """
            pack: base
            counters:
              s: [questions]
            rules:
              - id: threads
                value: s.threads_running
                op: ">"
                threshold: 40
                clear: 30
                for: 20s
              - id: broken
                when: r.io_running == 0 or r.sql_running == 0
                severity: critical
              - id: silent
                absent: up
                for: 15s
            """;

    KeyedBroadcastOperatorTestHarness<String, RawRecord, RulePackText, Alarm> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new RuleOperator(Map.of("base", PACK), true),
                MetricsJob::key, Types.STRING, RuleOperator.PACKS);
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static MetricSample sample(InstanceRef i, long second, String measurement, Object... kv) {
        return io.dbops.flinkjobs.rules.RuleEngineTest.sample(i, second, measurement, kv);
    }

    static RawRecord raw(MetricSample s) {
        return raw(s, 0);
    }

    static RawRecord raw(MetricSample s, int partition) {
        return new RawRecord("dbops.metrics", partition, 0, s.instance().id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                io.dbops.events.EventCodec.toBytes(s));
    }

    List<Alarm> drain() {
        List<Alarm> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void thresholdWaitsForItsDurationAndReplicationBreaksAtOnce() throws Exception {
        harness.processElement(raw(sample(DB1, 0, "s", "threads_running", 80)), 0);
        harness.processElement(raw(sample(DB1, 10, "s", "threads_running", 80)), 0);
        assertThat(drain()).isEmpty();
        harness.processElement(raw(sample(DB1, 20, "s", "threads_running", 80)), 0);
        assertThat(drain()).extracting(Alarm::id).containsExactly("base/threads@db-1");
        harness.processElement(raw(sample(DB2, 20, "r", "io_running", 1, "sql_running", 0)), 0);
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.instance()).isEqualTo(DB2);
        });
        harness.processElement(raw(sample(DB2, 25, "r", "io_running", 1, "sql_running", 1)), 0);
        assertThat(drain()).singleElement().extracting(Alarm::status).isEqualTo(AlarmStatus.RESOLVED);
    }

    @Test
    void absenceFiresFromAProcessingTimeTimerWhenTheOthersKeepReporting() throws Exception {
        harness.setProcessingTime(1_000);
        harness.processElement(raw(sample(DB1, 1, "up", "up", 1)), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(10_000);
        harness.processElement(raw(sample(DB1, 10, "up", "up", 1)), 0);
        assertThat(harness.numProcessingTimeTimers()).as("the timer moves, it is not doubled").isEqualTo(1);
        for (int second = 11; second <= 25; second++) {
            harness.setProcessingTime(second * 1000L - 1);
            harness.processElement(raw(sample(DB2, second, "up", "up", 1)), 0);
        }
        harness.setProcessingTime(24_999);
        assertThat(drain()).isEmpty();
        harness.setProcessingTime(25_000);
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo("silent");
            assertThat(a.status()).isEqualTo(AlarmStatus.FIRING);
            assertThat(a.instance()).isEqualTo(DB1);
        });
        harness.setProcessingTime(40_000);
        harness.processElement(raw(sample(DB1, 40, "up", "up", 1)), 0);
        assertThat(drain()).singleElement().extracting(Alarm::status).isEqualTo(AlarmStatus.RESOLVED);
    }

    @Test
    void aStalledPipelineRaisesNoAbsenceAndItsBacklogClearsIt() throws Exception {
        harness.setProcessingTime(1_000);
        harness.processElement(raw(sample(DB1, 1, "up", "up", 1)), 0);
        harness.processElement(raw(sample(DB2, 1, "up", "up", 1)), 0);
        // nothing is read for a minute (a broker or a TaskManager gone, the samples waiting in Kafka): the timers come and go
        for (long t = 2_000; t <= 61_000; t += 1_000) {
            harness.setProcessingTime(t);
        }
        assertThat(drain()).as("no instance is absent while the stream itself is not moving").isEmpty();
        assertThat(harness.numProcessingTimeTimers()).as("each key looks again later").isEqualTo(2);
        // the backlog arrives: both instances reported all along
        for (int second = 2; second <= 61; second++) {
            harness.processElement(raw(sample(DB1, second, "up", "up", 1)), 0);
            harness.processElement(raw(sample(DB2, second, "up", "up", 1)), 0);
        }
        harness.setProcessingTime(70_000);
        assertThat(drain()).isEmpty();
    }

    @Test
    void onlyTheInstancesOwnPartitionMovingOnMakesItAbsent() throws Exception {
        InstanceRef db3 = new InstanceRef("db-3", Engine.MARIADB, "orders", "host-3", 3306, "trade");
        harness.setProcessingTime(1_000);
        harness.processElement(raw(sample(DB1, 1, "up", "up", 1), 0), 0);
        harness.processElement(raw(sample(db3, 1, "up", "up", 1), 0), 0);
        harness.processElement(raw(sample(DB2, 1, "up", "up", 1), 1), 0);
        // under backpressure partition 1 is read a minute ahead of partition 0, where db-1 and db-3 wait in the backlog
        for (int second = 2; second <= 61; second++) {
            harness.setProcessingTime(second * 1000L);
            harness.processElement(raw(sample(DB2, second, "up", "up", 1), 1), 0);
        }
        assertThat(drain()).as("nothing newer has been read from db-1's partition").isEmpty();
        // partition 0 catches up: db-3 reported all along, db-1 did not
        for (int second = 2; second <= 61; second++) {
            harness.processElement(raw(sample(db3, second, "up", "up", 1), 0), 0);
        }
        harness.setProcessingTime(64_000);
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo("silent");
            assertThat(a.instance()).isEqualTo(DB1);
        });
    }

    @Test
    void aRemovedInstanceLeavesNoStateAndNoTimers() throws Exception {
        harness.processElement(raw(sample(DB1, 0, "up", "up", 1)), 0);
        harness.processElement(raw(sample(DB1, 1, "r", "io_running", 0, "sql_running", 1)), 0);
        harness.processElement(raw(sample(DB2, 1, "up", "up", 1)), 0);
        assertThat(drain()).hasSize(1);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        harness.processElement(raw(sample(DB1, 2, "inventory", "removed", 1)), 0);
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED);
            assertThat(a.summary()).contains("instance removed from the inventory");
        });
        harness.processElement(raw(sample(DB2, 2, "inventory", "removed", 1)), 0);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(keyedStateEntries()).isZero();
    }

    @Test
    void rulePacksReloadWithoutARestart() throws Exception {
        harness.processElement(raw(sample(DB1, 0, "r", "io_running", 0, "sql_running", 1)), 0);
        assertThat(drain()).hasSize(1);
        harness.processBroadcastElement(new RulePackText("base", "pack: base\nrules:\n  - {id: lag, value: r.lag, op: '>', threshold: 5}\n"), 0);
        assertThat(drain()).as("the broken-replication rule is gone: its alarm resolves").singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.RESOLVED);
            assertThat(a.summary()).contains("rule base/broken was removed");
        });
        harness.processElement(raw(sample(DB1, 5, "r", "io_running", 0, "sql_running", 0, "lag", 9)), 0);
        assertThat(drain()).extracting(Alarm::type).containsExactly("lag");

        harness.processBroadcastElement(new RulePackText("base", "pack: base\nrules:\n  - {id: x, when: 'r.lag >'}\n"), 0);
        assertThat(harness.getSideOutput(RuleOperator.DEAD_LETTERS)).singleElement()
                .satisfies(r -> assertThat(r.getValue().reason()).contains("rule pack base has 1 problem").contains("ends too early"));
        assertThat(drain()).as("an invalid pack changes nothing").isEmpty();

        harness.processBroadcastElement(new RulePackText("extra", "pack: extra\nrules:\n  - {id: hot, value: s.threads_running, op: '>', threshold: 1}\n"), 0);
        harness.processElement(raw(sample(DB1, 6, "s", "threads_running", 5)), 0);
        assertThat(drain()).extracting(Alarm::id).containsExactly("extra/hot@db-1");
        harness.processBroadcastElement(new RulePackText("extra", ""), 0);
        assertThat(drain()).as("removing a pack resolves its alarms").extracting(Alarm::status).containsExactly(AlarmStatus.RESOLVED);
    }

    @Test
    void negativeCountersGoToDeadLettersAndRatesToTheirSideOutput() throws Exception {
        harness.processElement(raw(sample(DB1, 0, "s", "questions", -1)), 0);
        assertThat(harness.getSideOutput(RuleOperator.DEAD_LETTERS)).singleElement()
                .satisfies(r -> assertThat(r.getValue().reason()).isEqualTo("metric sample: negative counter s.questions = -1.0"));
        harness.processElement(raw(sample(DB1, 10, "s", "questions", 100)), 0);
        harness.processElement(raw(sample(DB1, 20, "s", "questions", 300)), 0);
        List<String> lines = harness.getSideOutput(RuleOperator.SAMPLES).stream().map(StreamRecord::getValue).collect(Collectors.toList());
        assertThat(lines).as("the two samples, as they came, and one rate").containsExactly(
                "s,instance=db-1,engine=mariadb,cluster=orders,host=host-1,business_line=trade questions=100.0 10000000000",
                "s,instance=db-1,engine=mariadb,cluster=orders,host=host-1,business_line=trade questions=300.0 20000000000",
                "s_rate,instance=db-1,engine=mariadb,cluster=orders,host=host-1,business_line=trade questions=20 20000000000");
    }

    @Test
    void badRecordsAreDeadLetteredWithTheReasonAndTheRestGoesOn() throws Exception {
        harness.processElement(new RawRecord("dbops.metrics", 3, 17, "db-1".getBytes(), "not json".getBytes()), 0);
        harness.processElement(new RawRecord("dbops.metrics", 3, 18, "db-9".getBytes(), raw(sample(DB1, 0, "up", "up", 1)).value()), 0);
        harness.processElement(raw(sample(DB1, 1, "r", "io_running", 0, "sql_running", 1)), 0);
        assertThat(harness.getSideOutput(RuleOperator.DEAD_LETTERS)).extracting(r -> r.getValue().reason())
                .satisfiesExactly(r -> assertThat(r).contains("not JSON"),
                        r -> assertThat(r).contains("record key 'db-9' is not the instance id 'db-1'"));
        assertThat(harness.getSideOutput(RuleOperator.DEAD_LETTERS)).allSatisfy(r -> assertThat(r.getValue().offset()).isIn(17L, 18L));
        assertThat(drain()).extracting(Alarm::type).containsExactly("broken");
        assertThat(harness.getSideOutput(RuleOperator.SAMPLES)).hasSize(1);
    }

    @Test
    void outOfOrderSamplesDoNotResolve() throws Exception {
        harness.processElement(raw(sample(DB1, 10, "r", "io_running", 0, "sql_running", 1)), 0);
        harness.processElement(raw(sample(DB1, 5, "r", "io_running", 1, "sql_running", 1)), 0);
        assertThat(drain()).extracting(Alarm::status).containsExactly(AlarmStatus.FIRING);
    }
}
