package io.dbops.collectors.metrics;

import io.dbops.events.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Polls one instance. {@link #poll} takes the full set of samples (every 10 s by default),
 * {@link #ping} is the cheap liveness round trip (every 1-2 s) that makes a dead instance visible
 * within seconds; they use separate connections so a slow full poll never delays liveness.
 * Every network call is bounded by the connect and read timeouts; {@link #close} aborts whatever
 * is in progress and the next call reconnects.
 */
public interface Poller extends AutoCloseable {
    List<MetricSample> poll(Instant now) throws Exception;

    void ping() throws Exception;

    @Override
    void close();

    /** Connect and per-call time limits. */
    record Timeouts(Duration connect, Duration read) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    static MetricSample sample(MetricsTarget t, Instant now, String measurement, Map<String, String> tags, Map<String, Double> fields) {
        return new MetricSample(MetricSample.SCHEMA, now, t.instance(), measurement, tags == null || tags.isEmpty() ? null : tags,
                fields, null);
    }
}
