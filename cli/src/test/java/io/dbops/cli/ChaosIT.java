package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * Chaos during an end-to-end run (the bench's {@code chaos} mode, smaller): 3 Kafka brokers, the
 * Flink session cluster, every platform service, a simulated fleet of 200 instances; a quiet server
 * fault first, then a server fault together with kill -9 of, in turn, a Kafka broker, a TaskManager,
 * the JobManager (started again), the metrics collector and the action service. Every fault's alarms,
 * incident and playbook run must come through (no run is right for a fault whose primary was back
 * before an incident named it, at most two of six); nothing lost, nothing twice (read committed), no
 * run started twice. Recovery times are printed; {@code ./dbops bench e2e --modes chaos} reports them.
 */
@org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "DBOPS_CHAOS", matches = "1",
        disabledReason = "opt-in (DBOPS_CHAOS=1, about 10 min): not yet reliable enough to decide whether a change lands; its record is in docs/e2e.md")
class ChaosIT {
    @Test
    void killingEachPartInTurnLosesAndDuplicatesNothing() throws Exception {
        // 200 instances (50 sets of 3, 25 Redis pairs), 50 slow-log entries and 50 binlog events a second: with three
        // brokers, the session cluster and every service on 2 cores, 400 instances left no core for catching up after a
        // kill (docs/e2e.md); what the test asks, that nothing is lost or doubled, does not depend on the fleet's size
        E2eBench.Settings s = new E2eBench.Settings(200, 60, 45, 30, 50, 50, 5000, 29000, 12000);
        E2eBench.Result r = E2eBench.run("chaos", s, new PrintStream(System.out, true));
        for (E2eBench.FaultOutcome f : r.outcomes()) {
            System.out.printf("fault %d (%s%s): sampled failing %d/%d, alarms %d/%d, last alarm %d ms, incident %d ms, run %d ms%s, recovery %d ms, all healthy %d ms%n",
                    f.n(), f.kind(), f.killed() == null ? "" : ", kill -9 " + f.killed(), f.observed(), f.instances(), f.alarmed(), f.instances(), f.lastAlarmMs(),
                    f.incidentMs(), f.runMs(), f.runMs() < 0 && f.overBeforeIncident() ? " (none: the primary was back before the incident)" : "",
                    f.recoveryMs(), f.healthyMs());
        }
        System.out.printf("lost alarms %d, duplicated alarms %d, alarms missing from incidents %d, duplicated incident events %d, "
                + "playbooks started twice %d%n", r.lostAlarms(), r.duplicatedAlarms(), r.lostFromIncidents(), r.duplicatedIncidentEvents(),
                r.repeatedRuns());
        System.out.printf("saturation: %s%n", r.saturation());
        System.out.printf("fault to failing sample p50 %d / max %d ms; sample to committed alarm p50 %d / max %d ms%n",
                pct(r.detection(), 50), pct(r.detection(), 100), pct(r.pipeline(), 50), pct(r.pipeline(), 100));
        assertThat(r.outcomes()).as("a quiet fault and one per component killed").hasSize(E2eBench.CHAOS.size() + 1);
        assertThat(r.outcomes().stream().skip(1).map(E2eBench.FaultOutcome::killed)).containsExactlyElementsOf(E2eBench.CHAOS);
        for (E2eBench.FaultOutcome f : r.outcomes()) {
            // sampled failing but no alarm: lost in the pipeline; not even sampled: the collector never saw the server down
            assertThat(f.alarmed()).as("fault %d (kill %s): one down alarm per instance (%d of %d sampled failing by the collector)",
                    f.n(), f.killed(), f.observed(), f.instances()).isEqualTo(f.instances());
            assertThat(f.recoveryMs()).as("fault %d (kill %s): alarms, incident and run all came through", f.n(), f.killed()).isPositive();
            if (f.killed() != null) {
                assertThat(f.healthyMs()).as("every component healthy again after the kill of %s", f.killed()).isPositive();
            }
        }
        // a fault over before its incident rightly starts no failover; most must still have started one, or the test says little
        assertThat(r.outcomes().stream().filter(f -> f.runMs() >= 0).count()).as("faults that started a playbook run").isGreaterThanOrEqualTo(4);
        assertThat(r.lostAlarms()).isZero();
        assertThat(r.duplicatedAlarms()).isZero();
        assertThat(r.lostFromIncidents()).isZero();
        assertThat(r.duplicatedIncidentEvents()).isZero();
        assertThat(r.repeatedRuns()).as("no playbook started twice for one incident").isZero();
    }

    private static long pct(java.util.List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
