package io.dbops.cdc;

import io.dbops.events.BinlogChange;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads one table's captured changes back from {@code dbops.binlog} (deduplicated, in binlog order) for flashback. */
public final class BinlogReader {
    private BinlogReader() {
    }

    /** The changes from {@code from} to {@code to} (event time, inclusive) and those after {@code to}. */
    public record Slice(List<BinlogChange> inRange, List<BinlogChange> later) {
    }

    /** The changes of {@code table} in {@code stream} (a replication set, or a standalone instance: see {@link io.dbops.events.BinlogChange#stream}). */
    public static Slice read(String bootstrap, String stream, String table, Instant from, Instant to) {
        String key = stream + "/" + table;
        List<BinlogChange> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topic.BINLOG.topicName(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> since = new HashMap<>();
            // the records' timestamps are publish times, never before their event's time (give or take the clock skew between
            // the database and the collector's host): start 5 s early, the event times decide
            parts.forEach(p -> since.put(p, from.minusSeconds(5).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(since, Duration.ofSeconds(10));
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(10));
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = offsets.get(p);
                long start = o == null ? end.get(p) : o.offset();
                c.seek(p, start);
                if (start < end.get(p)) {
                    remaining.put(p, end.get(p));
                }
            }
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        all.add(EventCodec.fromBytes(r.value(), BinlogChange.class));
                    }
                }
                remaining.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
            }
        }
        List<BinlogChange> inRange = new ArrayList<>();
        List<BinlogChange> later = new ArrayList<>();
        for (BinlogChange ch : Flashback.dedupe(all)) {
            if (ch.time().isAfter(to)) {
                later.add(ch);
            } else if (!ch.time().isBefore(from)) {
                inRange.add(ch);
            }
        }
        return new Slice(inRange, later);
    }

    /** The table's columns as the server has them now, in order, with their kinds and the primary key. */
    public static List<Flashback.Column> columns(Connection c, String table) throws Exception {
        String[] parts = table.split("\\.", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("the table must be given as db.table, got " + table);
        }
        List<Flashback.Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Flashback.Column(rs.getString(1), Flashback.kind(rs.getString(2)), "PRI".equals(rs.getString(3))));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no table " + table + " on the server");
        }
        return out;
    }
}
