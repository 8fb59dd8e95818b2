package io.dbops.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @ParameterizedTest(name = "after {0} failures the key waits {1} s")
    @CsvSource({"1, 0", "5, 0", "6, 1", "7, 2", "8, 4", "12, 64", "20, 900", "40, 900"})
    void eachFailureBeyondTheFreeOnesDoublesTheLock(int failures, long waitSeconds) {
        LoginThrottle t = new LoginThrottle(5, Duration.ofMinutes(15), Duration.ofMinutes(15));
        for (int i = 0; i < failures; i++) {
            t.failure("user:bob", T0);
        }
        assertThat(t.wait("user:bob", T0).map(Duration::toSeconds).orElse(0L)).isEqualTo(waitSeconds);
        assertThat(t.wait("user:alice", T0)).isEmpty();
    }

    @Test
    void aSuccessClearsTheKey() {
        LoginThrottle t = new LoginThrottle(1, Duration.ofMinutes(15), Duration.ofMinutes(15));
        t.failure("k", T0);
        t.failure("k", T0);
        assertThat(t.wait("k", T0)).isPresent();
        t.success("k");
        assertThat(t.wait("k", T0)).isEmpty();
    }

    @Test
    void theLockEndsAndAQuietWindowForgetsTheFailures() {
        LoginThrottle t = new LoginThrottle(1, Duration.ofMinutes(15), Duration.ofMinutes(15));
        t.failure("k", T0);
        t.failure("k", T0);
        assertThat(t.wait("k", T0.plusSeconds(2))).isEmpty();
        t.failure("k", T0.plus(Duration.ofMinutes(20)));
        assertThat(t.wait("k", T0.plus(Duration.ofMinutes(20)))).isEmpty(); // counted as the first failure again
    }
}
