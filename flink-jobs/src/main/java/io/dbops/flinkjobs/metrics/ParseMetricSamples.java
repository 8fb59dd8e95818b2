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
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads {@code dbops.metrics}. A record that is not a metric sample, has a NaN or infinite field
 * (NULL is fine: it means the server said NULL), or a timestamp more than {@link #MAX_FUTURE} ahead
 * of this machine's clock or {@link #MAX_AGE} behind it goes to the dead letters with the reason and
 * its original bytes; the job goes on.
 */
public final class ParseMetricSamples extends ProcessFunction<RawRecord, MetricSample> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("metric-dead-letters") { };
    static final Duration MAX_FUTURE = Duration.ofMinutes(10);
    static final Duration MAX_AGE = Duration.ofDays(1);

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<MetricSample> out) {
        byte[] bytes = r.value() == null ? new byte[0] : r.value();
        String reason;
        try {
            MetricSample s = EventCodec.fromBytes(bytes, MetricSample.class);
            reason = problem(s, ctx.timerService().currentProcessingTime());
            if (reason == null) {
                out.collect(s);
                return;
            }
        } catch (EventFormatException e) {
            reason = e.getMessage();
        }
        ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "flink-jobs/metrics", r.topic(), r.partition(),
                r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), reason, bytes));
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
