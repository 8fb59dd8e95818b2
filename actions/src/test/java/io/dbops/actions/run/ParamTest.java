package io.dbops.actions.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParamTest {
    private static final List<Param> SPEC = List.of(
            Param.required("primary", Param.Type.INSTANCE, "the dead primary"),
            Param.optional("min_seconds", Param.Type.INT, "time limit"),
            Param.optional("planned", Param.Type.BOOL, "asked for"),
            Param.optional("timeout", Param.Type.DURATION, "deadline"));

    @Test
    void everyProblemNamesItsField() {
        List<String> problems = Param.problems(SPEC, Map.of("min_seconds", "ten", "planned", "yes", "timeout", "soon", "colour", "red"),
                Set.of("db-1"));
        assertThat(problems).containsExactlyInAnyOrder(
                "parameter 'primary' is required (the dead primary)",
                "parameter 'min_seconds' must be a whole number, got 'ten'",
                "parameter 'planned' must be true or false, got 'yes'",
                "parameter 'timeout' must be a duration such as 30s, 5m or 1h, got 'soon'",
                "parameter 'colour' is unknown (known: primary, min_seconds, planned, timeout)");
    }

    @Test
    void instancesMustBeInTheInventory() {
        assertThat(Param.problems(SPEC, Map.of("primary", "db-9"), Set.of("db-1")))
                .containsExactly("parameter 'primary' names no instance in the inventory, got 'db-9'");
        assertThat(Param.problems(SPEC, Map.of("primary", "db-1", "timeout", "90s"), Set.of("db-1"))).isEmpty();
    }

    @Test
    void durations() {
        assertThat(Param.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Param.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Param.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Param.parseDuration("5 minutes")).isNull();
    }
}
