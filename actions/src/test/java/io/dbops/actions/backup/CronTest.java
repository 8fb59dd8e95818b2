package io.dbops.actions.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CronTest {

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "0 2 * * *        | 2026-11-25T10:15:00Z | 2026-11-26T02:00Z",
        "0 2 * * *        | 2026-11-25T01:59:59Z | 2026-11-25T02:00Z",
        "*/15 * * * *     | 2026-11-25T10:15:00Z | 2026-11-25T10:30Z",
        "30 3 1,15 * *    | 2026-11-25T10:00:00Z | 2026-12-01T03:30Z",
        "0 0 * * 1-5      | 2026-11-27T12:00:00Z | 2026-11-30T00:00Z",   // Friday noon -> Monday
        "0 0 * * 0        | 2026-11-25T00:00:00Z | 2026-11-29T00:00Z",   // Sunday as 0
        "0 0 * * 7        | 2026-11-25T00:00:00Z | 2026-11-29T00:00Z",   // and as 7
        "0 0 13 * 5       | 2026-11-25T00:00:00Z | 2026-11-27T00:00Z",   // both day fields: either matches
        "0 12 29 2 *      | 2026-03-01T00:00:00Z | 2028-02-29T12:00Z",   // leap day
        "5-10/5 * * * *   | 2026-11-25T10:06:00Z | 2026-11-25T10:10Z",
    })
    void nextFireTime(String cron, String after, String expected) {
        assertThat(Cron.parse(cron).next(ZonedDateTime.parse(after))).isEqualTo(ZonedDateTime.parse(expected));
    }

    @Test
    void badExpressionsNameEveryBadField() {
        assertThatThrownBy(() -> Cron.parse("61 25 0 13 x")).hasMessageContaining("minute: 61 is outside 0-59")
                .hasMessageContaining("hour: 25 is outside 0-23").hasMessageContaining("day-of-month: 0 is outside 1-31")
                .hasMessageContaining("month: 13 is outside 1-12").hasMessageContaining("day-of-week: 'x' is not a number");
        assertThatThrownBy(() -> Cron.parse("0 2 * *")).hasMessageContaining("needs 5 fields");
        assertThatThrownBy(() -> Cron.parse("0 5-2 * * *")).hasMessageContaining("runs backwards");
    }
}
