package io.dbops.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void everyProblemIsListedAtOnce() {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap", "127.0.0.1:9092");
        p.setProperty("poll.interval.ms", "soon");
        p.setProperty("pol.interval.ms", "1000");
        List<String> problems = ServiceConfig.problems(p, ServiceConfig.METADATA_KEYS, List.of("poll.interval.ms"),
                List.of("poll.interval.ms"));
        assertThat(problems).containsExactlyInAnyOrder(
                "missing required key metadata.url",
                "missing required key metadata.user",
                "missing required key metadata.password.secret",
                "missing required key secrets.file",
                "unknown key pol.interval.ms (known: kafka.bootstrap, metadata.url, metadata.user, metadata.password.secret, "
                        + "secrets.file, poll.interval.ms)",
                "poll.interval.ms must be a non-negative number, got 'soon'");
    }

    @Test
    void aCompleteConfigHasNoProblem() {
        Properties p = new Properties();
        ServiceConfig.METADATA_KEYS.forEach(k -> p.setProperty(k, "x"));
        p.setProperty("poll.interval.ms", "1000");
        assertThat(ServiceConfig.problems(p, ServiceConfig.METADATA_KEYS, List.of("poll.interval.ms"), List.of("poll.interval.ms"))).isEmpty();
    }
}
