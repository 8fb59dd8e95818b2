package io.dbops.actions.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardsTest {
    static final RemediationRules.Settings S = RemediationRules.Settings.DEFAULTS;
    static final Guards.State CLEAR = new Guards.State(Optional.empty(), Optional.empty(), Optional.empty(), 0);

    @Test
    void aClearStateRefusesNothing() {
        assertThat(Guards.refusal("mariadb_failover", "c1", true, false, S, CLEAR)).isNull();
    }

    @Test
    void theFlapBlockRefusesASecondFailoverAndNamesTheCommandThatLiftsIt() {
        var blocked = new Guards.State(Optional.empty(), Optional.empty(), Optional.of(Map.entry("run-1", Instant.parse("2026-01-01T01:00:00Z"))), 1);
        assertThat(Guards.refusal("mariadb_failover", "c1", true, false, S, blocked))
                .contains("run-1").contains("2026-01-01T01:00:00Z").contains("./dbops actions unblock c1");
        // playbooks that change no roles are not held by the block
        assertThat(Guards.refusal("kill_query", "c1", false, false, S, blocked)).isNull();
    }

    @Test
    void killSwitchMaintenanceAndRateLimit() {
        assertThat(Guards.refusal("x", "c1", false, false, S, new Guards.State(Optional.of("alice"), Optional.empty(), Optional.empty(), 0)))
                .contains("kill switch").contains("alice").contains("./dbops actions kill-switch off");
        assertThat(Guards.refusal("x", "c1", false, false, S, new Guards.State(Optional.empty(), Optional.of("maintenance window 3 on cluster c1"),
                Optional.empty(), 0))).contains("maintenance window 3");
        assertThat(Guards.refusal("x", "c1", false, false, S, new Guards.State(Optional.empty(), Optional.empty(), Optional.empty(), 3)))
                .contains("rate limit 3");
    }

    @Test
    void dryRunsPassEveryGuard() {
        var everything = new Guards.State(Optional.of("alice"), Optional.of("m"), Optional.of(Map.entry("r", Instant.EPOCH)), 99);
        assertThat(Guards.refusal("mariadb_failover", "c1", true, true, S, everything)).isNull();
    }
}
