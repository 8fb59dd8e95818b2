package io.dbops.mlmodels.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentSummaryTest {
    static AlarmPoint alarm(String id, long ts, String type, int severity, String where) {
        return new AlarmPoint(id, ts, type, severity, AlarmDistanceTest.at(where));
    }

    @Test
    void theHostAlarmExplainsItsInstancesEvenWhenItCameLater() {
        IncidentSummary s = IncidentSummary.of(List.of(
                alarm("1", 1_000, "db_down", 2, "orders-0"),
                alarm("2", 2_000, "repl_broken", 2, "orders-1"),
                alarm("3", 3_000, "host_unreachable", 2, "h1"),
                alarm("4", 4_000, "cache_down", 2, "cache-0")));
        assertThat(s.rootCause().id()).isEqualTo("3");
        assertThat(s.severity()).isEqualTo(2);
        assertThat(s.instances()).containsExactly("cache-0", "orders-0", "orders-1");
        assertThat(s.hosts()).containsExactly("h1", "h3");
        assertThat(s.clusters()).containsExactly("cache", "orders");
        assertThat(s.businessLines()).containsExactly("search", "trade");
        assertThat(s.title()).isEqualTo("host h1 host unreachable: 4 alarms on 3 instances in 2 clusters across 2 hosts");
    }

    @Test
    void aPrimaryExplainsItsReplicasAndSeverityBreaksTies() {
        IncidentSummary s = IncidentSummary.of(List.of(
                alarm("1", 1_000, "lag", 1, "orders-1"),
                alarm("2", 5_000, "threads_high", 1, "orders-0"),
                alarm("3", 6_000, "slow_burst", 2, "orders-0")));
        assertThat(s.rootCause().id()).isEqualTo("3");
        assertThat(IncidentSummary.of(List.of(alarm("x", 1, "long_query", 1, "logs-0"))).title()).isEqualTo("logs-0 long query");
    }
}
