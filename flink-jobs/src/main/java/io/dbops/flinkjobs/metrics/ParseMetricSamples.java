package io.dbops.flinkjobs.metrics;

import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.EventFormatException;
import io.dbops.events.MetricSample;
import io.dbops.flinkjobs.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Reads {@code dbops.metrics} records. A record that is not a metric sample, is not keyed by its
 * instance id (the catalog's key: the job's state is partitioned by it), has a NaN or infinite
 * field (NULL is fine: it means the server said NULL), or a timestamp more than
 * {@link #MAX_FUTURE} ahead of this machine's clock or {@link #MAX_AGE} behind it becomes a dead
 * letter with the reason and its original bytes; the job goes on.
 */
public final class ParseMetricSamples {
    static final Duration MAX_FUTURE = Duration.ofMinutes(10);
    static final Duration MAX_AGE = Duration.ofDays(1);

    private ParseMetricSamples() {
    }

    /** A sample, or the dead letter saying why there is none. */
    public record Parsed(MetricSample sample, DeadLetter deadLetter) {
    }

    public static Parsed read(RawRecord r, long now) {
        byte[] bytes = r.value() == null ? new byte[0] : r.value();
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        String reason;
        try {
            MetricSample s = EventCodec.fromBytes(bytes, MetricSample.class);
            reason = problem(s, key, now);
            if (reason == null) {
                return new Parsed(s, null);
            }
        } catch (EventFormatException e) {
            reason = e.getMessage();
        }
        return new Parsed(null, new DeadLetter(DeadLetter.SCHEMA, Instant.ofEpochMilli(now), "flink-jobs/metrics", r.topic(), r.partition(),
                r.offset(), key, reason, bytes));
    }

    /** Why a well-formed sample that arrived under record key {@code key} still cannot be used, or null. */
    static String problem(MetricSample s, String key, long now) {
        String reason = problem(s, now);
        if (reason == null && !s.instance().id().equals(key)) {
            reason = "metric sample: record key '" + key + "' is not the instance id '" + s.instance().id()
                    + "' (dbops.metrics is keyed by instance id)";
        }
        return reason;
    }

    /** Why a well-formed sample still cannot be used, or null. */
    static String problem(MetricSample s, long now) {
        for (Map.Entry<String, Double> f : s.fields().entrySet()) {
            Double v = f.getValue();
            if (v != null && !Double.isFinite(v)) {
                return "metric sample: field 'fields." + f.getKey() + "': " + v + " is not a number a rule can use (NULL is)";
            }
        }
        long t = s.time().toEpochMilli();
        if (t > now + MAX_FUTURE.toMillis()) {
            return "metric sample: field 'time': " + s.time() + " is more than " + MAX_FUTURE.toMinutes()
                    + " minutes in the future (collector clock wrong?)";
        }
        if (t < now - MAX_AGE.toMillis()) {
            return "metric sample: field 'time': " + s.time() + " is more than " + MAX_AGE.toHours() + " hours old";
        }
        return null;
    }
}
