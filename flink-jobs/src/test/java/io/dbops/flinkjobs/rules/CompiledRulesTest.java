package io.dbops.flinkjobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompiledRulesTest {
    static final RulePack A = RulePack.parse("a", """
            pack: a
            counters:
              s: [questions, com_*]
            rules:
              - {id: threads, value: s.threads_running, op: '>', threshold: 40}
              - {id: qps, value: rate(s.questions), op: '>', threshold: 1000}
              - {id: absent, absent: up, for: 10s}
            """);
    static final RulePack B = RulePack.parse("b", """
            pack: b
            counters:
              r: [relay_*]
            rules:
              - id: lag
                value: r.lag
                op: ">"
                threshold: 10
              - id: gone
                absent: r
                for: 1m
            """);
    final CompiledRules compiled = new CompiledRules(List.of(A, B));

    @ParameterizedTest(name = "{0}.{1} -> {2} {3}")
    @CsvSource({
            // measurement, field as it arrives, its kind, the name state goes by
            "s, threads_running, KEEP, threads_running",
            "s, Threads_Running, KEEP, threads_running",
            "s, questions, COUNTER, questions",
            "s, com_select, COUNTER, com_select",
            "s, COM_SELECT, COUNTER, com_select",
            "s, uptime, SKIP, uptime",
            "s, lag, SKIP, lag",
            "r, lag, KEEP, lag",
            "r, relay_log_space, COUNTER, relay_log_space",
            "r, threads_running, SKIP, threads_running",
            "up, up, SKIP, up",
            "other, questions, SKIP, questions",
    })
    void fieldKinds(String measurement, String field, String kind, String name) {
        CompiledRules.Field f = compiled.measurement(measurement).field(field);
        byte expected = switch (kind) {
            case "KEEP" -> CompiledRules.KEEP;
            case "COUNTER" -> CompiledRules.COUNTER;
            default -> CompiledRules.SKIP;
        };
        assertThat(f.kind()).isEqualTo(expected);
        assertThat(f.kept()).isEqualTo(expected != CompiledRules.SKIP);
        assertThat(f.name()).isEqualTo(name);
        // asked again: the same answer, remembered
        assertThat(compiled.measurement(measurement).field(field)).isSameAs(f);
    }

    @Test
    void rulesPerMeasurementKeepPackOrderAndKeys() {
        assertThat(compiled.measurement("s").rules()).extracting(CompiledRules.Keyed::key).containsExactly("a/threads", "a/qps");
        assertThat(compiled.measurement("up").rules()).extracting(CompiledRules.Keyed::key).containsExactly("a/absent");
        assertThat(compiled.measurement("r").rules()).extracting(CompiledRules.Keyed::key).containsExactly("b/lag", "b/gone");
        assertThat(compiled.measurement("nothing").rules()).isEmpty();
        assertThat(compiled.absenceRules()).extracting(CompiledRules.Keyed::key).containsExactly("a/absent", "b/gone");
    }

    @Test
    void countersDeclaredPerMeasurement() {
        assertThat(compiled.measurement("s").hasCounters()).isTrue();
        assertThat(compiled.measurement("r").hasCounters()).isTrue();
        assertThat(compiled.measurement("up").hasCounters()).isFalse();
    }

    @Test
    void namesBeyondTheLimitAreDecidedEachTimeNotRemembered() {
        CompiledRules.Measurement s = compiled.measurement("s");
        for (int i = 0; i < CompiledRules.FIELDS_MAX + 10; i++) {
            s.field("f" + i);
        }
        CompiledRules.Field late = s.field("com_late");
        assertThat(late.kind()).isEqualTo(CompiledRules.COUNTER);
        assertThat(s.field("com_late")).isNotSameAs(late).isEqualTo(late);
    }
}
