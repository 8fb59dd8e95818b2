package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sustained rate leaves out the start and the tail of a run, and counts progress as its running maximum. */
class BenchJobsTest {

    static TreeMap<Long, Long> progress(long... timeAndDone) {
        TreeMap<Long, Long> p = new TreeMap<>();
        for (int i = 0; i < timeAndDone.length; i += 2) {
            p.put(timeAndDone[i], timeAndDone[i + 1]);
        }
        return p;
    }

    @Test
    void rateBetweenTenAndNinetyPercent() {
        // a slow start (5 s for the first 100), then 1,000 events a second, then a slow tail
        assertThat(BenchJobs.sustainedRate(progress(0, 0, 5_000, 100, 6_000, 1_100, 13_000, 8_100, 14_000, 9_100, 30_000, 10_000), 10_000))
                .isEqualTo(1_000.0);
    }

    @Test
    void progressSeenOutOfOrderCountsAsItsRunningMaximum() {
        // an incident naming only early alarms, made late, does not take progress back
        assertThat(BenchJobs.sustainedRate(progress(1_000, 1_000, 2_000, 500, 3_000, 9_000), 10_000)).isEqualTo(4_000.0);
    }

    @Test
    void unknownWhenTheProgressNeverShowedBoth() {
        assertThat(BenchJobs.sustainedRate(progress(1_000, 1_000, 2_000, 5_000), 10_000)).isNaN();
        assertThat(BenchJobs.sustainedRate(progress(), 10_000)).isNaN();
        assertThat(BenchJobs.sustainedRate(progress(1_000, 9_500), 10_000)).as("10% and 90% at one moment").isNaN();
    }

    @Test
    void anotherCounterIsRatedOverTheSameSpan() {
        BenchJobs.Span span = BenchJobs.span(progress(0, 0, 6_000, 1_100, 14_000, 9_100, 30_000, 10_000), 10_000);
        assertThat(span).isEqualTo(new BenchJobs.Span(6_000, 1_100, 14_000, 9_100));
        // the store's counter, observed at its own moments: the latest value at or before each end of the span
        assertThat(span.rateOf(progress(5_500, 1_000, 7_000, 5_000, 13_500, 81_000, 20_000, 99_000))).isEqualTo(10_000.0);
        assertThat(span.rateOf(progress(7_000, 5_000))).as("nothing observed before the span").isNaN();
        assertThat(span.rateOf(progress())).isNaN();
    }
}
