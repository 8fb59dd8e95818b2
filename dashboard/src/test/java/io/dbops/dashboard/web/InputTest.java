package io.dbops.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputTest {

    private static Map<String, String> problems(Runnable r) {
        try {
            r.run();
        } catch (InvalidInput e) {
            return e.fields();
        }
        return Map.of();
    }

    @ParameterizedTest(name = "body {0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {"not json|is not JSON", "[1,2]|must be a JSON object", "''|is empty", "\"text\"|must be a JSON object"})
    void aBodyThatIsNotAJsonObjectIsRefusedAsAWhole(String body, String message) {
        assertThatThrownBy(() -> Input.json(body)).isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).fields().get("body")).contains(message));
    }

    @ParameterizedTest(name = "port {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"port\": 3307}|OK",
            "{\"port\": \"3307\"}|OK",
            "{\"port\": \"abc\"}|must be a whole number, got 'abc'",
            "{\"port\": 3.5}|must be a whole number",
            "{\"port\": true}|must be a number, not true/false",
            "{\"port\": {\"a\": 1}}|must be a value, not an object",
            "{\"port\": [1]}|must be a single value, not a list",
            "{\"port\": 80}|must be between 1024 and 65535, got 80",
            "{\"port\": 99999999999}|must be between 1024 and 65535",
            "{}|is required"})
    void integersAreCheckedForTypeAndRange(String body, String expected) {
        Map<String, String> p = problems(() -> {
            Input in = Input.json(body);
            in.integer("port", true, 1024, 65535);
            in.check();
        });
        if (expected.equals("OK")) {
            assertThat(p).isEmpty();
        } else {
            assertThat(p.get("port")).contains(expected);
        }
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        Map<String, String> p = problems(() -> {
            Input in = Input.json("{\"engine\": \"oracle\", \"name\": \"" + "x".repeat(300) + "\", \"size\": 5, \"when\": \"soon\"}");
            in.choice("engine", true, List.of("mariadb", "redis"));
            in.text("name", true, 64, Pattern.compile("[a-z]+"), "lower-case letters");
            in.text("size", true);
            in.time("when", true);
            in.duration("for", true, Duration.ofDays(1));
            in.check();
        });
        assertThat(p).containsEntry("engine", "must be one of mariadb, redis, got 'oracle'")
                .containsEntry("name", "is too long (300 characters, at most 64)")
                .containsEntry("size", "must be a string")
                .containsEntry("for", "is required");
        assertThat(p.get("when")).startsWith("must be a time like");
    }

    @ParameterizedTest(name = "duration {0} -> {1}")
    @CsvSource({"30m, PT30M", "2h, PT2H", "1d, PT24H", "0m, ERROR", "3d, ERROR", "2 hours, ERROR", "-1h, ERROR"})
    void durationsAreShortAndBounded(String v, String expected) {
        Input in = Input.form(Map.of("d", List.of(v)));
        Duration d = in.duration("d", true, Duration.ofDays(2));
        if (expected.equals("ERROR")) {
            assertThatThrownBy(in::check).isInstanceOf(InvalidInput.class);
        } else {
            in.check();
            assertThat(d).isEqualTo(Duration.parse(expected));
        }
    }

    @Test
    void formFieldsAreReadLikeJsonStrings() {
        Input in = Input.form(Map.of("name", List.of("  orders-1 "), "on", List.of("on"), "at", List.of("2026-11-25T10:00")));
        assertThat(in.text("name", true)).isEqualTo("orders-1");
        assertThat(in.bool("on")).isTrue();
        assertThat(in.time("at", true)).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(in.text("missing", false)).isNull();
        in.check();
    }
}
