package io.dbops.cdc;

import io.dbops.events.BinlogChange;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes changes to {@code dbops.binlog} (key = the instance's replication set, or the instance
 * when it has none, + '/' + database.table) and returns once the broker acknowledged them all. The
 * set, not the server: a table's changes stay in one partition, in order, across failovers, and the
 * same transaction read again from the new primary has the same key and identity.
 */
public final class KafkaBinlogSink implements BinlogCapture.Sink {
    private final KafkaProducer<String, byte[]> producer;

    /** {@code producer} must be idempotent with acks=all. */
    public KafkaBinlogSink(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    public static String key(BinlogChange c) {
        return BinlogChange.stream(c.instance()) + "/" + (c.database() == null ? "" : c.database()) + (c.table() == null ? "" : "." + c.table());
    }

    @Override
    public void publish(List<BinlogChange> batch) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (BinlogChange c : batch) {
            acks.add(producer.send(new ProducerRecord<>(Topic.BINLOG.topicName(), key(c), EventCodec.toBytes(c))));
        }
        for (Future<RecordMetadata> f : acks) {
            f.get(60, TimeUnit.SECONDS);
        }
    }
}
