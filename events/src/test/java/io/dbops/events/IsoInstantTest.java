package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The quick reader agrees with {@link Instant#parse} on everything, and takes the common shape itself. */
class IsoInstantTest {

    @ParameterizedTest(name = "{0} (quick: {1})")
    @CsvSource({
            "2026-11-25T10:00:00Z, true",
            "2026-11-25T10:00:00.1Z, true",
            "2026-11-25T10:00:00.12Z, true",
            "2026-11-25T10:00:00.123Z, true",
            "2026-11-25T10:00:00.123456Z, true",
            "2026-11-25T10:00:00.123456789Z, true",
            "2024-02-29T23:59:59.999Z, true",
            "1970-01-01T00:00:00Z, true",
            "1969-12-31T23:59:59.5Z, true",
            "0001-01-01T00:00:00Z, true",
            "9999-12-31T23:59:59.999999999Z, true",
            "2026-11-25T10:00:00+08:00, false",
            "2026-11-25T10:00:00.000+00:00, false",
            "2026-12-31T23:59:60Z, false",
            "+12026-11-25T10:00:00Z, false",
            // accepted by Instant.parse, rare enough to leave to it
            "2026-11-25T24:00:00Z, false",
            "2026-11-25T10:00:00.Z, false",
            "2026-11-25t10:00:00z, false",
    })
    void agreesWithInstantParse(String s, boolean quick) {
        assertThat(IsoInstant.parse(s)).isEqualTo(Instant.parse(s));
        assertThat(IsoInstant.quick(s) != null).as("taken by the quick path").isEqualTo(quick);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z",
        "2026-11-25T10:60:00Z", "2026-11-25T10:00:00.1234567890Z",
        "2026-11-25 10:00:00Z", "2026-1-25T10:00:00Z", "2026-11-25T10:00:00", "yesterday", "", "2026-11-2xT10:00:00Z"})
    void rejectsWhatInstantParseRejects(String s) {
        assertThat(IsoInstant.quick(s)).isNull();
        assertThatThrownBy(() -> Instant.parse(s)).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> IsoInstant.parse(s)).isInstanceOf(DateTimeException.class);
    }
}
