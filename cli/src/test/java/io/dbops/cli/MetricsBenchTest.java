package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsBenchTest {
    @Test
    void theLoadGeneratorsDocumentsReadBackAsTheSamplesTheyWrite() {
        Random r = new Random(1);
        long t0 = Instant.parse("2026-12-07T10:00:00.123456Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            MetricSample s = MetricsBench.sample(r, i % 1000, t0 + i * 7L, i / 1000);
            assertThat(EventCodec.fromBytes(MetricsBench.json(s), MetricSample.class)).isEqualTo(s);
        }
    }

    @Test
    void oddValuesAndNamesStillRoundTrip() {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("nul", null);
        f.put("tiny", 1e-300);
        f.put("huge", 1e300);
        f.put("neg", -0.5);
        f.put("big", 1e15);
        f.put("quote\"d", 1.0);
        for (InstanceRef i : new InstanceRef[] {new InstanceRef("db-1", Engine.MYSQL, null, "h", null, null),
                new InstanceRef("db-\u00e9", Engine.MONGO, "rs0", "h", 27017, "trade")}) {
            MetricSample s = new MetricSample(MetricSample.SCHEMA, Instant.ofEpochSecond(1_800_000_000L), i, "m", null, f, null);
            assertThat(EventCodec.fromBytes(MetricsBench.json(s), MetricSample.class)).isEqualTo(s);
            f.remove("quote\"d");
            MetricSample plain = new MetricSample(MetricSample.SCHEMA, Instant.ofEpochSecond(1_800_000_000L), i, "m", null, f, null);
            assertThat(EventCodec.fromBytes(MetricsBench.json(plain), MetricSample.class)).isEqualTo(plain);
        }
    }
}
