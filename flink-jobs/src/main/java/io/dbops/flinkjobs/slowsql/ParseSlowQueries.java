package io.dbops.flinkjobs.slowsql;

import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.EventFormatException;
import io.dbops.events.SlowQuery;
import io.dbops.flinkjobs.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads {@code dbops.slowlog} records; a record that is not a valid slow-query event, or one whose
 * producer did not compute the query id, goes to the dead-letter side output with the reason and
 * its original bytes, and the job goes on.
 */
public final class ParseSlowQueries extends ProcessFunction<RawRecord, SlowQuery> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") { };

    @Override
    public void processElement(RawRecord r, Context ctx, Collector<SlowQuery> out) {
        String reason;
        try {
            SlowQuery q = EventCodec.fromBytes(r.value() == null ? new byte[0] : r.value(), SlowQuery.class);
            if (q.queryId() != null) {
                out.collect(q);
                return;
            }
            reason = "slow-query document: field 'queryId': missing; producers must fingerprint the query";
        } catch (EventFormatException e) {
            reason = e.getMessage();
        }
        ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "flink-jobs/slowsql", r.topic(), r.partition(),
                r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), reason,
                r.value() == null ? new byte[0] : r.value()));
    }
}
