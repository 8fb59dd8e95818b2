package io.dbops.flinkjobs.kafka;

import io.dbops.events.Event;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes events to their catalog topic as JSON with the wire serde, keyed as the catalog says. It
 * names its one topic to the sink (the pooled transaction naming of {@link EventSinks} needs to know
 * where the sink writes).
 */
public final class EventSerializer<T extends Event> implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
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

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
