package io.dbops.flinkjobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.FuzzRecords;
import io.dbops.flinkjobs.kafka.RawRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParseMetricSamplesFuzzTest {
    @Test
    void badMetricRecordsAreDeadLettersNotRestarts() {
        long now = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
        byte[] valid = EventCodec.toBytes(new MetricSample(MetricSample.SCHEMA, Instant.ofEpochMilli(now),
                new InstanceRef("db-1", Engine.MARIADB, "c1", "h1", 3306, "shop"), "mysql_status", null, Map.of("threads_running", 3.0), null));
        List<RawRecord> in = FuzzRecords.records(Topic.METRICS.topicName(), "db-1", valid, 34);
        long parsed = 0;
        for (RawRecord r : in) {
            ParseMetricSamples.Parsed p = ParseMetricSamples.read(r, now);
            assertThat(p.sample() != null ^ p.deadLetter() != null).as("parsed or dead-lettered, record %d", r.offset()).isTrue();
            if (p.deadLetter() != null) {
                assertThat(p.deadLetter().reason()).isNotBlank();
            } else {
                parsed++;
            }
        }
        assertThat(parsed).isPositive();
    }
}
