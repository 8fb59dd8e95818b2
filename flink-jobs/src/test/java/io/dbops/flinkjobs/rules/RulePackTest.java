package io.dbops.flinkjobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulePackTest {
    static String defaultPack() throws IOException {
        try (InputStream in = RulePack.class.getResourceAsStream("/rules/default.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDefaultPackIsValid() throws IOException {
        RulePack p = RulePack.parse("default.yaml", defaultPack());
        assertThat(p.name()).isEqualTo("default");
        assertThat(p.rules()).extracting(Rule::id).contains("mysql_down", "replication_broken", "replication_lag",
                "threads_running_high", "connections_near_max", "buffer_pool_hit_ratio_low", "deadlocks", "long_transaction",
                "disk_full_soon", "redis_down", "redis_memory_near_max", "redis_evictions", "redis_rejected_connections",
                "redis_latency_high", "redis_master_link_down", "mongo_no_primary", "mongo_member_state_change",
                "mongo_replication_lag", "mongo_cache_pressure");
        assertThat(p.isCounter("mysql_status", "com_select")).isTrue();
        assertThat(p.isCounter("mysql_status", "threads_running")).isFalse();
    }

    @ParameterizedTest(name = "{0}.{1} kept: {2}")
    @CsvSource({
            // a counter: its rate needs the last value
            "mysql_status, com_select, true",
            // read by a rule's value or condition
            "mysql_status, threads_running, true",
            "up, up, true",
            // in every MariaDB sample, read by nothing
            "mysql_status, uptime_since_flush_status, false",
            "mysql_status, ssl_accepts, false",
            "nothing_reads_this, field, false",
    })
    void theJobRemembersOnlyCountersAndFieldsARuleReads(String measurement, String field, boolean kept) throws IOException {
        assertThat(RulePack.parse("default.yaml", defaultPack()).keeps(measurement, field)).isEqualTo(kept);
    }

    @Test
    void parsesEveryPartOfARule() {
        RulePack p = RulePack.parse("t", """
                pack: t
                rules:
                  - id: lag
                    type: replication_lag
                    engines: [mariadb]
                    value: r.lag
                    op: ">"
                    threshold: 30
                    clear: 10
                    for: 1m
                    min_firing: 90s
                    severity: critical
                    labels: {team: dba}
                    overrides:
                      - {business_lines: [trade], threshold: 5}
                      - {instances: [db-9], threshold: 100, severity: info}
                """);
        Rule r = p.rules().get(0);
        assertThat(r.type()).isEqualTo("replication_lag");
        assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(r.minFiring()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.labels()).containsEntry("team", "dba");
        InstanceRef plain = new InstanceRef("db-1", Engine.MARIADB, "c", "h", 3306, "search");
        InstanceRef trade = new InstanceRef("db-2", Engine.MARIADB, "c", "h", 3306, "trade");
        InstanceRef nine = new InstanceRef("db-9", Engine.MARIADB, "c", "h", 3306, "trade");
        assertThat(r.effective(plain)).isEqualTo(new Rule.Effective(30, 10, Duration.ofMinutes(1), Severity.CRITICAL));
        assertThat(r.effective(trade).threshold()).isEqualTo(5);
        assertThat(r.effective(trade).clear()).as("an overridden threshold without its own clear clears at it").isEqualTo(5);
        assertThat(r.effective(nine)).as("an instance beats a business line")
                .isEqualTo(new Rule.Effective(100, 100, Duration.ofMinutes(1), Severity.INFO));
        assertThat(r.scope().matches(new InstanceRef("r", Engine.REDIS, null, "h", 1, null))).isFalse();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> RulePack.parse("bad.yaml", """
                pack: Bad Name
                extra: 1
                rules:
                  - id: a
                    value: m.x
                    op: "=>"
                    threshold: abc
                  - id: a
                    when: m.x >
                  - id: b
                    absent: up
                  - id: c
                    value: m.x
                    when: m.y > 1
                    op: ">"
                    threshold: 1
                  - id: d
                    value: m.x
                    op: ">"
                    threshold: 10
                    clear: 20
                    engines: [oracle]
                    severity: fatal
                    for: soon
                    colour: red
                """)).isInstanceOf(RulePack.InvalidRulePackException.class)
                .hasMessageContaining("bad.yaml has 12 problems")
                .hasMessageContaining("'pack' must be a lower-case name, got 'Bad Name'")
                .hasMessageContaining("unknown key 'extra'")
                .hasMessageContaining("rules[0] (a): 'op' must be one of")
                .hasMessageContaining("rules[0] (a): 'threshold' must be a number, got 'abc'")
                .hasMessageContaining("rules[1] (a): 'when': expression 'm.x >' at 6: expression ends too early")
                .hasMessageContaining("rules[2] (b): an 'absent' rule needs 'for'")
                .hasMessageContaining("rules[3] (c): needs exactly one of 'value'")
                .hasMessageContaining("rules[4] (d): 'clear' 20.0 is on the firing side")
                .hasMessageContaining("rules[4] (d): unknown engine 'oracle'")
                .hasMessageContaining("rules[4] (d): 'severity' must be info, warning or critical, got 'fatal'")
                .hasMessageContaining("rules[4] (d): 'for': 'soon' is not a duration")
                .hasMessageContaining("rules[4] (d): unknown key 'colour'");
    }

    @Test
    void rejectsDuplicateIdsAndNonYaml() {
        assertThatThrownBy(() -> RulePack.parse("dup", "pack: p\nrules:\n  - {id: x, when: m.a > 1}\n  - {id: x, when: m.a > 2}\n"))
                .hasMessageContaining("rules[1]: duplicate id 'x'");
        assertThatThrownBy(() -> RulePack.parse("junk", "pack: [unclosed\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> RulePack.parse("scalar", "42")).hasMessageContaining("expected a mapping");
    }

    @ParameterizedTest
    @CsvSource({"30s,30000", "5m,300000", "1h,3600000", "250ms,250", "2d,172800000", "15,15000", "1.5s,1500"})
    void readsDurations(String text, long millis) {
        assertThat(RulePack.parseDuration(text).toMillis()).isEqualTo(millis);
    }
}
