package io.dbops.flinkjobs.kafka;

import io.dbops.events.Event;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes events to their catalog topic as JSON with the wire serde, keyed as the catalog says. */
public final class EventSerializer<T extends Event> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final SerializableFunction<T, String> key;

    public EventSerializer(Topic topic, SerializableFunction<T, String> key) {
        this.topic = topic.topicName();
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T event, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(event);
        return new ProducerRecord<>(topic, null, event.time().toEpochMilli(),
                k == null ? null : k.getBytes(StandardCharsets.UTF_8), EventCodec.toBytes(event));
    }
}
