package io.dbops.collectors.slowlog;

import io.dbops.events.DeadLetter;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.events.Topic;
import io.dbops.sql.Fingerprinter;
import io.dbops.sql.SlowLogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Publishes every monitored instance's slow queries to {@code dbops.slowlog} (key = instance id):
 * MySQL/MariaDB slow logs through a {@link SlowLogTailer} each, Redis through SLOWLOG GET. A batch's
 * position is saved only after Kafka acknowledged all of it (idempotent producer, acks=all), so a
 * restart neither loses entries nor re-sends more than the last unacknowledged batch. Entries that
 * cannot become events go to {@code dbops.deadletter} with the reason. A failing source is
 * reported and retried on the next round; it never stops the others.
 */
public final class SlowLogCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlowLogCollector.class);

    /**
     * A source to collect: a slow-log file, or a Redis server's SLOWLOG at {@code address}.
     * {@code keepLiterals} false publishes fingerprints in place of query texts.
     */
    public record Target(InstanceRef instance, String address, Path slowLog, ZoneId logZone, boolean keepLiterals) {
        boolean isRedis() {
            return instance.engine() == Engine.REDIS;
        }
    }

    private final Producer<String, byte[]> producer;
    private final Supplier<List<Target>> targets;
    private final PositionStore positions;
    private final SlowQueryMapper mapper;
    private final Duration quietPeriod;
    private final Clock clock;
    private final Map<String, SlowLogTailer> tailers = new HashMap<>();
    private long sent;
    private long deadLettered;

    public SlowLogCollector(Producer<String, byte[]> producer, Supplier<List<Target>> targets, Path stateDir,
                            Fingerprinter fingerprinter, Duration quietPeriod, Clock clock) {
        this.producer = producer;
        this.targets = targets;
        this.positions = new PositionStore(stateDir);
        this.mapper = new SlowQueryMapper(fingerprinter);
        this.quietPeriod = quietPeriod;
        this.clock = clock;
    }

    public long sent() {
        return sent;
    }

    public long deadLettered() {
        return deadLettered;
    }

    /** One round over every target; returns how many slow-query events were delivered. */
    public int pollOnce() {
        int delivered = 0;
        List<Target> current = targets.get();
        for (Target t : current) {
            try {
                delivered += t.isRedis() ? collectRedis(t) : collectFile(t);
            } catch (Exception e) {
                LOG.warn("slow-log source {} failed this round, will retry: {}", t.instance().id(), e.toString());
            }
        }
        // sources that left the inventory are closed and forgotten
        tailers.keySet().removeIf(id -> current.stream().noneMatch(t -> t.instance().id().equals(id)) && close(tailers.get(id)));
        return delivered;
    }

    private int collectFile(Target t) throws Exception {
        String id = t.instance().id();
        SlowLogTailer tailer = tailers.get(id);
        if (tailer == null || !tailer.path().equals(t.slowLog())) {
            if (tailer != null) {
                tailer.close();
            }
            tailer = new SlowLogTailer(t.slowLog(), positions.load(id), quietPeriod, clock);
            tailers.put(id, tailer);
        }
        SlowLogTailer.Batch batch = tailer.poll();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (String problem : tailer.drainProblems()) {
            acks.add(deadLetter(id, problem, problem.getBytes(StandardCharsets.UTF_8)));
        }
        int events = 0;
        for (SlowLogEntry e : batch.entries()) {
            String source = t.slowLog() + ":" + e.offset();
            try {
                SlowQuery q = mapper.map(e, t.instance(), t.logZone(), source);
                if (!t.keepLiterals()) {
                    q = SlowQueryMapper.withoutLiterals(q);
                }
                acks.add(producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), id, EventCodec.toBytes(q))));
                events++;
            } catch (IllegalArgumentException bad) {
                acks.add(deadLetter(id, source + ": " + bad.getMessage(), e.query().getBytes(StandardCharsets.ISO_8859_1)));
            }
        }
        awaitAll(acks);
        tailer.commit(batch.end());
        positions.save(id, batch.end());
        sent += events;
        return events;
    }

    private int collectRedis(Target t) throws Exception {
        String id = t.instance().id();
        long after = positions.loadLong(id, -1);
        List<SlowQuery> entries;
        try (Jedis jedis = new Jedis(new HostAndPort(t.address(), t.instance().port()),
                DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).connectionTimeoutMillis(1000).socketTimeoutMillis(2000).build())) {
            entries = RedisSlowlogReader.read(jedis, t.instance(), after);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        long newest = after;
        for (SlowQuery q : entries) {
            if (!t.keepLiterals()) {
                q = SlowQueryMapper.withoutLiterals(q);
            }
            acks.add(producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), id, EventCodec.toBytes(q))));
            newest = Math.max(newest, Long.parseLong(q.attributes().get("slowlog_id")));
        }
        awaitAll(acks);
        if (newest != after) {
            positions.saveLong(id, newest);
        }
        sent += entries.size();
        return entries.size();
    }

    private Future<RecordMetadata> deadLetter(String key, String reason, byte[] payload) {
        deadLettered++;
        DeadLetter d = new DeadLetter(DeadLetter.SCHEMA, Instant.now(clock), "collectors/slowlog", null, null, null, key,
                reason, payload);
        return producer.send(new ProducerRecord<>(Topic.DEADLETTER.topicName(), key, EventCodec.toBytes(d)));
    }

    private void awaitAll(List<Future<RecordMetadata>> acks) throws Exception {
        producer.flush();
        for (Future<RecordMetadata> f : acks) {
            f.get();
        }
    }

    private static boolean close(SlowLogTailer t) {
        try {
            t.close();
        } catch (IOException ignored) {
            // closing a read-only file
        }
        return true;
    }

    @Override
    public void close() {
        tailers.values().forEach(SlowLogCollector::close);
        tailers.clear();
    }
}
