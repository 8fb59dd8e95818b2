package io.dbops.flinkjobs.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.AlarmStatus;
import io.dbops.events.EventCodec;
import io.dbops.events.Severity;
import io.dbops.flinkjobs.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Routing alarms to their dc, and what cannot be read to the dead letters. */
class RouteTest {
    @Test
    void alarmsGoToTheirDcAndUnreadableOnesToTheDeadLetters() throws Exception {
        MergeJob.Route route = new MergeJob.Route(TopologySource.fixed(MergeOperatorTest.TOPOLOGY));
        try (OneInputStreamOperatorTestHarness<RawRecord, RoutedAlarm> h = ProcessFunctionTestHarnesses.forProcessFunction(route)) {
            var known = MergeOperatorTest.alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 1_000);
            var host = MergeOperatorTest.alarm("host_unreachable", null, "h9", Severity.CRITICAL, AlarmStatus.FIRING, 1_000);
            h.processElement(new RawRecord("dbops.alarms", 0, 1, null, EventCodec.toBytes(known)), 0);
            h.processElement(new RawRecord("dbops.alarms", 0, 2, null, EventCodec.toBytes(host)), 0);
            h.processElement(new RawRecord("dbops.alarms", 0, 3, "x".getBytes(StandardCharsets.UTF_8),
                    "not json".getBytes(StandardCharsets.UTF_8)), 0);
            assertThat(h.extractOutputValues()).extracting(RoutedAlarm::key).containsExactly("dc1", "dc1");
            assertThat(h.getSideOutput(MergeJob.Route.DEAD_LETTERS)).singleElement().satisfies(r -> {
                assertThat(r.getValue().reason()).contains("not JSON");
                assertThat(r.getValue().offset()).isEqualTo(3L);
                assertThat(r.getValue().component()).isEqualTo("flink-jobs/merge");
            });
        }
    }
}
