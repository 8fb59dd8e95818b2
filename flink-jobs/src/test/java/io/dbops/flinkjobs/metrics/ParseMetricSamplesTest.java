package io.dbops.flinkjobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.flinkjobs.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParseMetricSamplesTest {
    static final long NOW = 1_764_064_923_000L; // 2025-11-25T10:02:03Z

    static RawRecord record(String key, String json) {
        return new RawRecord("dbops.metrics", 1, 42, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    static String sample(String time, String fields) {
        return "{\"schema\":1,\"time\":\"" + time + "\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h\"},"
                + "\"measurement\":\"mysql_status\",\"fields\":{" + fields + "}}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a good sample                 | db-1 | 2025-11-25T10:02:00Z | \"threads_running\":3,\"seconds_behind_master\":null | ",
            "NaN as a string               | db-1 | 2025-11-25T10:02:00Z | \"threads_running\":\"NaN\" | 'fields.threads_running': NaN is not a number",
            "Infinity                      | db-1 | 2025-11-25T10:02:00Z | \"x\":\"Infinity\" | 'fields.x': Infinity is not a number",
            "a clock an hour ahead         | db-1 | 2025-11-25T11:02:03Z | \"x\":1 | more than 10 minutes in the future",
            "two days old                  | db-1 | 2025-11-23T10:02:03Z | \"x\":1 | more than 24 hours old",
            "keyed by something else       | db-2 | 2025-11-25T10:02:00Z | \"x\":1 | record key 'db-2' is not the instance id 'db-1'",
            "no key                        |      | 2025-11-25T10:02:00Z | \"x\":1 | record key 'null' is not the instance id",
            "a string value                | db-1 | 2025-11-25T10:02:00Z | \"x\":\"abc\" | fields.x",
    })
    void refusesWhatRulesCannotUseAndSaysWhy(String why, String key, String time, String fields, String reason) {
        ParseMetricSamples.Parsed p = ParseMetricSamples.read(record(key, sample(time, fields)), NOW);
        if (reason == null) {
            assertThat(p.deadLetter()).as(why).isNull();
            assertThat(p.sample().fields()).containsKey("seconds_behind_master");
        } else {
            assertThat(p.sample()).as(why).isNull();
            assertThat(p.deadLetter().reason()).as(why).contains(reason);
            assertThat(p.deadLetter().offset()).isEqualTo(42);
            assertThat(new String(p.deadLetter().payload(), StandardCharsets.UTF_8)).isEqualTo(sample(time, fields));
        }
    }
}
