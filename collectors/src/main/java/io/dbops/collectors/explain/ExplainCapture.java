package io.dbops.collectors.explain;

import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.EventFormatException;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches query plans to slow-SQL digests: reads {@code dbops.slowsql.stats}, and for the digests
 * {@link ExplainPolicy} selects, runs {@code EXPLAIN FORMAT=JSON} of the example on a replica of
 * the instance's cluster (never on a primary) and publishes the digest again with its
 * {@code explain} (same key and window: consumers keep the latest, as for late updates). A digest
 * with no replica to ask, or whose EXPLAIN fails, is left as it is; the reason is logged.
 */
public final class ExplainCapture {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainCapture.class);

    /** Where and as whom to run EXPLAIN for an instance. */
    public record Replica(String host, int port, String database, String user, String password, Engine engine) {
    }

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Function<String, Replica> replicaOf;
    private final ExplainPolicy policy;
    private final ExplainRunner runner;
    private final Clock clock;
    private final Duration settle;
    private final Map<String, Gathering> pending = new LinkedHashMap<>();
    private long explained;

    public ExplainCapture(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, Function<String, Replica> replicaOf,
                          ExplainPolicy policy, ExplainRunner runner, Clock clock, Duration settle) {
        this.settle = settle;
        this.consumer = consumer;
        this.producer = producer;
        this.replicaOf = replicaOf;
        this.policy = policy;
        this.runner = runner;
        this.clock = clock;
    }

    public long explained() {
        return explained;
    }

    /**
     * One poll of the stats topic: digests are gathered per instance and window; a window is judged
     * ({@link ExplainPolicy#choose}) once no new digest of it has come for {@code settle}, when all
     * its query ids are known. Offsets are committed after each poll's plans are sent: plans are
     * best effort, and a window still being gathered at a crash goes without one rather than making
     * a restart re-read the topic from long ago.
     */
    public int pollOnce(Duration timeout) {
        long now = clock.millis();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            SlowSqlDigest d;
            try {
                d = EventCodec.fromBytes(r.value(), SlowSqlDigest.class);
            } catch (EventFormatException e) {
                continue; // not ours to judge: the producers' dead letters cover bad documents
            }
            if (d.explain() != null) {
                continue; // ours, or already explained
            }
            String window = d.instance().id() + "|" + d.windowEnd().toEpochMilli();
            pending.computeIfAbsent(window, k -> new Gathering()).add(d, now);
        }
        int n = 0;
        var it = pending.values().iterator();
        while (it.hasNext()) {
            Gathering g = it.next();
            if (now - g.lastAdded < settle.toMillis()) {
                continue;
            }
            it.remove();
            for (SlowSqlDigest d : policy.choose(g.digests, now)) {
                n += explain(d) ? 1 : 0;
            }
        }
        producer.flush();
        consumer.commitSync();
        return n;
    }

    private boolean explain(SlowSqlDigest d) {
        Replica replica = replicaOf.apply(d.instance().id());
        if (replica == null) {
            LOG.info("no replica to EXPLAIN {} of {} on: skipped", d.queryId(), d.instance().id());
            return false;
        }
        try {
            String plan = runner.explain(replica.host(), replica.port(), replica.user(), replica.password(),
                    d.database(), d.example(), replica.engine() == Engine.MARIADB);
            if (plan == null) {
                return false;
            }
            SlowSqlDigest withPlan = new SlowSqlDigest(d.schema(), d.time(), d.windowStart(), d.windowEnd(), d.instance(),
                    d.queryId(), d.fingerprint(), d.database(), d.calls(), d.queryTimeSec(), d.lockTimeSec(), d.rowsSent(),
                    d.rowsExamined(), d.example(), d.firstSeen(), plan);
            producer.send(new ProducerRecord<>(Topic.SLOWSQL_STATS.topicName(), d.instance().id(), EventCodec.toBytes(withPlan)));
            explained++;
            return true;
        } catch (Exception e) {
            LOG.warn("EXPLAIN of {} on {}:{} failed: {}", d.queryId(), replica.host(), replica.port(), e.getMessage());
            return false;
        }
    }

    /** The digests of one instance's window seen so far. */
    private static final class Gathering {
        final List<SlowSqlDigest> digests = new ArrayList<>();
        long lastAdded;

        void add(SlowSqlDigest d, long now) {
            digests.add(d);
            lastAdded = now;
        }
    }

    /** Replicas by instance id, from a snapshot the caller refreshes. */
    public static Function<String, Replica> lookup(Supplier<Map<String, Replica>> snapshot) {
        return id -> snapshot.get().get(id);
    }
}
