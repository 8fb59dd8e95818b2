package io.dbops.flinkjobs.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The merge operator in Flink's harness: when incidents open, update and resolve, and that nothing stays behind. */
class MergeOperatorTest {
    static final String TOPOLOGY = """
            {"hosts": [{"host": "h1", "rack": "r1", "dc": "dc1"}, {"host": "h2", "rack": "r2", "dc": "dc1"}, {"host": "h9", "rack": "r9", "dc": "dc1"}],
             "instances": [
               {"id": "orders-0", "engine": "mysql", "host": "h1", "cluster": "orders", "business": "trade", "role": "primary"},
               {"id": "orders-1", "engine": "mysql", "host": "h2", "cluster": "orders", "business": "trade", "role": "replica"},
               {"id": "logs-0", "engine": "mongo", "host": "h9", "cluster": "logs", "business": "pay", "role": "primary"}]}
            """;

    KeyedOneInputStreamOperatorTestHarness<String, RoutedAlarm, Incident> harness;

    MergeOperator operator;

    static MergeOperator newOperator() {
        MergeOperator.Settings d = MergeOperator.Settings.defaults();
        return new MergeOperator(TopologySource.fixed(TOPOLOGY), new MergeOperator.Settings(10_000, 5_000, 60_000, d.clusterer(),
                d.scales(), List.of(List.of("mysql_down", "replication_broken"), List.of("mysql_down", "replication_broken"),
                List.of("long_query"), List.of("long_query"))));
    }

    @BeforeEach
    void open() throws Exception {
        operator = newOperator();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(operator), RoutedAlarm::key, Types.STRING);
        harness.open();
        harness.setProcessingTime(1_000);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static Alarm alarm(String type, String instance, String host, Severity severity, AlarmStatus status, long startsAt) {
        InstanceRef ref = instance == null ? null : new InstanceRef(instance, Engine.MYSQL, null, host, 3306, null);
        return new Alarm(Alarm.SCHEMA, Instant.ofEpochMilli(startsAt + (status == AlarmStatus.RESOLVED ? 30_000 : 0)), type + "@" + instance,
                status, type, severity, ref, host, "default/" + type, type + " on " + instance, null, null, null,
                Instant.ofEpochMilli(startsAt), null);
    }

    void send(Alarm a) throws Exception {
        harness.processElement(new RoutedAlarm("dc1", a), a.time().toEpochMilli());
    }

    List<Incident> drain() {
        List<Incident> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void aCriticalAlarmOpensAtOnceRelatedOnesUpdateAndItResolvesAfterTheQuietPeriod() throws Exception {
        send(alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 100_000));
        assertThat(drain()).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(IncidentStatus.OPEN);
            assertThat(i.id()).startsWith("inc-mysql_down@orders-0#");
            assertThat(i.severity()).isEqualTo(Severity.CRITICAL);
        });
        send(alarm("replication_broken", "orders-1", "h2", Severity.CRITICAL, AlarmStatus.FIRING, 110_000));
        assertThat(drain()).as("a critical update within a second of the last one waits for that second").isEmpty();
        harness.setProcessingTime(2_000);
        assertThat(drain()).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(IncidentStatus.UPDATE);
            assertThat(i.alarmIds()).containsExactly("mysql_down@orders-0", "replication_broken@orders-1");
            assertThat(i.rootCauseAlarmId()).as("the primary explains its replica").isEqualTo("mysql_down@orders-0");
            assertThat(i.title()).startsWith("orders-0 mysql down: 2 alarms on 2 instances");
        });
        send(alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 100_000));
        assertThat(drain()).as("the same alarm again changes nothing").isEmpty();

        harness.setProcessingTime(7_000);
        send(alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.RESOLVED, 100_000));
        send(alarm("replication_broken", "orders-1", "h2", Severity.CRITICAL, AlarmStatus.RESOLVED, 110_000));
        harness.setProcessingTime(66_999);
        assertThat(drain()).isEmpty();
        harness.setProcessingTime(67_000);
        assertThat(drain()).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(IncidentStatus.RESOLVED);
            assertThat(i.resolvedAt()).isEqualTo(Instant.ofEpochMilli(67_000));
        });
        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theGroupWaitCountsFromTheFirstAlarmsEventTime() throws Exception {
        harness.setProcessingTime(200_000);
        // 4 s on its way (collector, rules, Kafka): the incident opens 10 s after the alarm began, not after it arrived
        send(alarm("long_query", "orders-0", "h1", Severity.WARNING, AlarmStatus.FIRING, 196_000));
        harness.setProcessingTime(205_999);
        assertThat(drain()).isEmpty();
        harness.setProcessingTime(206_000);
        assertThat(drain()).extracting(Incident::status).containsExactly(IncidentStatus.OPEN);
        // a backlog read after an outage: its wait is long over, it opens at once
        send(alarm("long_query", "logs-0", "h9", Severity.WARNING, AlarmStatus.FIRING, 50_000));
        harness.setProcessingTime(206_001);
        assertThat(drain()).extracting(Incident::status).containsExactly(IncidentStatus.OPEN);
    }

    @Test
    void anAlarmResolvedAfterItsClusterLeftTheWorkingSetStillResolvesItsIncident() throws Exception {
        send(alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 100_000));
        // a partition read ahead of the others: an alarm an hour later in event time closes the first cluster (horizon 15 min)
        send(alarm("long_query", "logs-0", "h9", Severity.WARNING, AlarmStatus.FIRING, 3_700_000));
        assertThat(drain()).extracting(Incident::status).containsExactly(IncidentStatus.OPEN);
        send(alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.RESOLVED, 100_000));
        send(alarm("long_query", "logs-0", "h9", Severity.WARNING, AlarmStatus.RESOLVED, 3_700_000));
        harness.setProcessingTime(200_000);
        assertThat(drain()).filteredOn(i -> i.status() == IncidentStatus.RESOLVED).extracting(Incident::id)
                .containsExactly("inc-mysql_down@orders-0#100000");
        assertThat(keyedStateEntries()).as("nothing stays behind").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aContextAlarmNeverOpensAnIncidentButJoinsTheOneThatFollows() throws Exception {
        send(alarm("binlog_ddl", "orders-0", "h1", Severity.INFO, AlarmStatus.FIRING, 100_000));
        harness.setProcessingTime(30_000);
        assertThat(drain()).as("a DDL alone is no incident").isEmpty();
        send(alarm("long_query", "orders-0", "h1", Severity.WARNING, AlarmStatus.FIRING, 130_000));
        assertThat(drain()).isEmpty();
        harness.setProcessingTime(40_000);
        assertThat(drain()).as("the warning waited its group wait, then opened with the DDL as context").singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(IncidentStatus.OPEN);
            assertThat(i.alarmIds()).containsExactlyInAnyOrder("binlog_ddl@orders-0", "long_query@orders-0");
            assertThat(i.severity()).isEqualTo(Severity.WARNING);
        });
    }

    @Test
    void criticalAlarmsJoiningAnOpenIncidentArePublishedAtOnceWarningsWaitForTheGroupInterval() throws Exception {
        send(alarm("long_query", "orders-0", "h1", Severity.WARNING, AlarmStatus.FIRING, 100_000));
        harness.setProcessingTime(11_000);
        assertThat(drain()).extracting(Incident::status).containsExactly(IncidentStatus.OPEN);
        send(alarm("long_query", "orders-1", "h2", Severity.WARNING, AlarmStatus.FIRING, 101_000));
        assertThat(drain()).as("a warning joins at the next group interval").isEmpty();
        harness.setProcessingTime(12_000);
        send(alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 102_000));
        assertThat(drain()).as("the dead primary reaches automation now").singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(IncidentStatus.UPDATE);
            assertThat(i.alarmIds()).contains("mysql_down@orders-0");
        });
        harness.setProcessingTime(12_400);
        send(alarm("replication_broken", "orders-1", "h2", Severity.CRITICAL, AlarmStatus.FIRING, 102_500));
        assertThat(drain()).as("at most one urgent update a second").isEmpty();
        harness.setProcessingTime(13_000);
        assertThat(drain()).singleElement().satisfies(i -> assertThat(i.alarmIds()).contains("replication_broken@orders-1"));
        harness.setProcessingTime(17_000);
        assertThat(drain()).as("nothing left to publish at the group interval").isEmpty();
    }

    @Test
    void aWarningWaitsForTheGroupWaitAndNoiseThatResolvesFirstIsNeverAnnounced() throws Exception {
        send(alarm("long_query", "logs-0", "h9", Severity.WARNING, AlarmStatus.FIRING, 100_000));
        assertThat(drain()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(11_000);
        assertThat(drain()).singleElement().satisfies(i -> assertThat(i.status()).isEqualTo(IncidentStatus.OPEN));

        send(alarm("deadlocks", "orders-1", "h2", Severity.WARNING, AlarmStatus.FIRING, 400_000));
        harness.setProcessingTime(12_000);
        send(alarm("deadlocks", "orders-1", "h2", Severity.WARNING, AlarmStatus.RESOLVED, 400_000));
        harness.setProcessingTime(30_000);
        assertThat(drain()).as("resolved within its group wait: never an incident").isEmpty();

        send(alarm("long_query", "logs-0", "h9", Severity.WARNING, AlarmStatus.RESOLVED, 100_000));
        harness.setProcessingTime(100_000);
        assertThat(drain()).extracting(Incident::status).containsExactly(IncidentStatus.RESOLVED);
        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void anAlarmOfAnInstanceTheTopologyDoesNotKnowIsKept() throws Exception {
        send(alarm("mysql_down", "ghost-1", "h77", Severity.CRITICAL, AlarmStatus.FIRING, 100_000));
        assertThat(drain()).singleElement().satisfies(i -> {
            assertThat(i.alarmIds()).containsExactly("mysql_down@ghost-1");
            assertThat(i.labels()).containsEntry("not_in_topology", "ghost-1");
        });
    }

    @Test
    void whatTheAffinityLearnedSurvivesARestart() throws Exception {
        double before = operator.affinity().affinity("deadlocks", "long_transaction");
        send(alarm("deadlocks", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 100_000));
        send(alarm("long_transaction", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 101_000));
        send(alarm("deadlocks", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.RESOLVED, 100_000));
        send(alarm("long_transaction", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.RESOLVED, 101_000));
        harness.setProcessingTime(100_000);
        assertThat(drain()).extracting(Incident::status).contains(IncidentStatus.RESOLVED);
        double learned = operator.affinity().affinity("deadlocks", "long_transaction");
        assertThat(learned).isGreaterThan(before);
        double history = operator.affinity().affinity("mysql_down", "replication_broken");

        var snapshot = harness.snapshot(1, 100_000);
        harness.close();
        MergeOperator restored = newOperator();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(restored), RoutedAlarm::key, Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        assertThat(restored.affinity().affinity("deadlocks", "long_transaction")).isEqualTo(learned);
        assertThat(restored.affinity().affinity("mysql_down", "replication_broken")).as("the history is not counted twice").isEqualTo(history);
    }
}
