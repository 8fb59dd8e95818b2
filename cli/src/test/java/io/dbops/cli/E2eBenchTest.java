package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class E2eBenchTest {
    private static final long FAULT = 100_000;

    /**
     * A fault on a server holding one primary (e2e-m1-0) and one replica; the primary's down alarm is received at
     * {@code fired} (-1: never), its resolve at {@code resolved} (-1: never), the first incident naming it at
     * {@code named} (-1: never). Over before the incident only when the resolve came no later than 2 s after that.
     */
    @ParameterizedTest(name = "fired {0}, resolved {1}, incident {2}: {3}")
    @CsvSource({
        // the short fault met a late pipeline: resolved before the incident named it, no failover is right
        "130000, 135000, 140000, true",
        // the two readers poll at different moments: 2 s either way are the same moment
        "130000, 141500, 140000, true",
        // resolved well after the incident: the action service saw a firing primary, a run was due
        "130000, 150000, 140000, false",
        // never resolved (still down): a run was due
        "130000, -1, 140000, false",
        // no incident named it: not over, something is missing
        "130000, 135000, -1, false",
        // no down alarm at all: not over
        "-1, -1, 140000, false",
    })
    void aFaultIsOverBeforeItsIncidentOnlyWhenEveryPrimaryResolvedFirst(long fired, long resolved, long named, boolean over) {
        E2eBench.Fault f = fault(Set.of("e2e-m1-0"), "e2e-m1-0", "e2e-m7-2");
        List<E2eBench.Received<Alarm>> alarms = new ArrayList<>();
        List<E2eBench.Received<Incident>> incidents = new ArrayList<>();
        if (fired >= 0) {
            alarms.add(new E2eBench.Received<>(alarm("e2e-m1-0", AlarmStatus.FIRING), fired));
        }
        if (resolved >= 0) {
            alarms.add(new E2eBench.Received<>(alarm("e2e-m1-0", AlarmStatus.RESOLVED), resolved));
        }
        if (named >= 0) {
            incidents.add(new E2eBench.Received<>(incident(alarmId("e2e-m1-0")), named));
        }
        assertThat(E2eBench.overBeforeIncident(f, alarms, incidents)).isEqualTo(over);
    }

    @ParameterizedTest(name = "replicas only: {0}")
    @CsvSource({"true", "false"})
    void aFaultWithoutPrimaryIsNeverOverBeforeItsIncident(boolean resolvedEarly) {
        E2eBench.Fault f = fault(Set.of(), "e2e-m7-2", "e2e-r3-1");
        List<E2eBench.Received<Alarm>> alarms = new ArrayList<>(List.of(new E2eBench.Received<>(alarm("e2e-m7-2", AlarmStatus.FIRING), 130_000)));
        if (resolvedEarly) {
            alarms.add(new E2eBench.Received<>(alarm("e2e-m7-2", AlarmStatus.RESOLVED), 131_000));
        }
        assertThat(E2eBench.overBeforeIncident(f, alarms, List.of(new E2eBench.Received<>(incident(alarmId("e2e-m7-2")), 140_000)))).isFalse();
    }

    @ParameterizedTest(name = "{0}: key {1}, up {2}, {3} ms after the fault -> sampled failing {4}")
    @CsvSource({
        "failing during the fault,  e2e-m7-2, 0, 4000,   true",
        "up during the fault,       e2e-m7-2, 1, 4000,   false",
        "another instance,          e2e-m9-0, 0, 4000,   false",
        "before the fault,          e2e-m7-2, 0, -1000,  false",
        "a check timed out after,   e2e-m7-2, 0, 38000,  true",
        "long after the revival,    e2e-m7-2, 0, 41000,  false",
    })
    void failingSamplesAreTheFaultedInstancesUpZeroDuringTheFault(String name, String key, double up, long after, boolean sampled) {
        E2eBench.Fault f = new E2eBench.Fault(1, "server", List.of("e2e-s001"), Map.of("e2e-m7-2", 3306), Set.of(), FAULT, FAULT + 30_000);
        InstanceRef i = new InstanceRef(key, Engine.MARIADB, "e2e-m7", "h", 3306, "shop");
        io.dbops.events.MetricSample m = new io.dbops.events.MetricSample(1, Instant.ofEpochMilli(FAULT + after), i, "up", null,
                Map.of("up", up), up == 0 ? "connection reset" : null);
        Map<String, List<Long>> failing = new java.util.HashMap<>();
        E2eBench.failingSample(new org.apache.kafka.clients.consumer.ConsumerRecord<>("dbops.metrics", 0, 0L, key,
                io.dbops.events.EventCodec.toBytes(m)), Set.of("e2e-m7-2"), failing);
        assertThat(E2eBench.sampledFailing(f, "e2e-m7-2", failing)).isEqualTo(sampled);
    }

    @ParameterizedTest(name = "sampled {0} of 2, {1} ms after the fault -> may end {2}")
    @CsvSource({"2, 30000, true", "1, 30000, false", "0, 100000, false", "1, 120000, true"})
    void aFaultEndsOnceTheCollectorSawEveryInstanceFailOrMuchLater(int sampled, long after, boolean ends) {
        E2eBench.Fault f = fault(Set.of(), "e2e-m7-2", "e2e-r3-1");
        Map<String, List<Long>> failing = new java.util.HashMap<>();
        for (String i : List.of("e2e-m7-2", "e2e-r3-1").subList(0, sampled)) {
            failing.put(i, List.of(FAULT + 5_000));
        }
        assertThat(E2eBench.observed(f, failing, FAULT + after, 30_000)).isEqualTo(ends);
    }

    private static E2eBench.Fault fault(Set<String> primaries, String... instances) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String i : instances) {
            m.put(i, 3306);
        }
        return new E2eBench.Fault(1, "server", List.of("e2e-s001"), m, primaries, FAULT, 0);
    }

    private static String alarmId(String instance) {
        return "mysql_down@" + instance;
    }

    private static Alarm alarm(String instance, AlarmStatus status) {
        InstanceRef i = new InstanceRef(instance, Engine.MARIADB, instance.substring(0, instance.lastIndexOf('-')), "h", 3306, "shop");
        return new Alarm(1, Instant.ofEpochMilli(FAULT + 3000), alarmId(instance), status, "mysql_down", Severity.CRITICAL, i, i.host(),
                "mysql_down", "down", null, null, Map.of(), Instant.ofEpochMilli(FAULT + 3000), null);
    }

    private static Incident incident(String... alarmIds) {
        return new Incident(1, Instant.ofEpochMilli(FAULT + 10_000), "inc-1", IncidentStatus.OPEN, "server", "t", Severity.CRITICAL,
                alarmIds[0], List.of(alarmIds), List.of(), List.of(), List.of(), Map.of(), Instant.ofEpochMilli(FAULT + 10_000), null);
    }
}
