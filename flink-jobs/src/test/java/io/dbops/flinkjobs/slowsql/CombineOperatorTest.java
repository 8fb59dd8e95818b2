package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The combiner in Flink's operator harness: partials come before the watermark that closes their window, never after. */
class CombineOperatorTest {

    @Test
    void partialsPrecedeTheirWatermarkAndLateQueriesPassAtOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "a", 1_000);
            send(h, "a", 2_000);
            send(h, "b", 61_000);
            assertThat(h.getOutput()).isEmpty();
            h.processWatermark(new Watermark(59_999));
            assertThat(out(h)).containsExactly("a@2000=2", "wm 59999");
            send(h, "a", 3_000); // its window has closed here: on at once, alone, for the window's allowed lateness
            assertThat(out(h)).containsExactly("a@2000=2", "wm 59999", "a@3000=1");
            h.processWatermarkStatus(WatermarkStatus.IDLE); // idle: nothing may wait for a watermark from here
            assertThat(out(h)).containsExactly("a@2000=2", "wm 59999", "a@3000=1", "b@61000=1", "idle");
        }
    }

    @Test
    void openPartialsSurviveACheckpointAndTheInputEndFlushesThem() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, "a", 1_000);
            send(h, "b", 2_000);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            send(h, "a", 5_000);
            h.endInput();
            List<String> out = out(h);
            out.sort(null);
            assertThat(out).containsExactly("a@5000=2", "b@2000=1");
        }
    }

    private static OneInputStreamOperatorTestHarness<SlowSample, SlowSqlAccumulator> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new CombineOperator(60_000), SlowSampleSerializer.INSTANCE);
    }

    private static void send(OneInputStreamOperatorTestHarness<SlowSample, SlowSqlAccumulator> h, String queryId, long time) throws Exception {
        h.processElement(WindowCombinerTest.sample(queryId, time), time);
    }

    /** The output as "queryId@timestamp=count", "wm T" and "idle". */
    private static List<String> out(OneInputStreamOperatorTestHarness<SlowSample, SlowSqlAccumulator> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof SlowSqlAccumulator p) {
                assertThat(r.getTimestamp()).isEqualTo(p.lastSeenMillis());
                out.add(p.key().substring(p.key().indexOf('|') + 1) + "@" + r.getTimestamp() + "=" + p.count());
            } else if (o instanceof Watermark w) {
                out.add("wm " + w.getTimestamp());
            } else if (o instanceof WatermarkStatus s) {
                out.add(s.isIdle() ? "idle" : "active");
            }
        }
        return out;
    }
}
