package io.dbops.flinkjobs.kafka;

import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.Event;
import io.dbops.events.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The Kafka sinks every job writes with, configured once.
 *
 * <p>Exactly-once sinks write in Kafka transactions committed on each checkpoint. They take their
 * transactional ids from a small pool ({@link TransactionNamingStrategy#POOLING}) instead of a new id
 * per checkpoint: with a new id every checkpoint (every second here, six sinks) the brokers' transaction
 * coordinators accumulate half a million ids a day, each kept until it expires (seven days by
 * default). On a restart the sink lists its open transactions on the brokers and aborts them,
 * instead of probing ids one by one from the last checkpoint on. Transactions stay open for at most
 * 10 minutes (longer than any checkpoint stall we have seen, shorter than the brokers' 15-minute
 * maximum).
 */
public final class EventSinks {
    private static final String TRANSACTION_TIMEOUT_MS = "600000";

    private EventSinks() {
    }

    /** Exactly-once into the event's catalog topic; {@code prefix} names this sink's transactions and must be unique per sink. */
    public static <T extends Event> KafkaSink<T> exactlyOnce(String bootstrap, Topic topic, SerializableFunction<T, String> key,
            String prefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new EventSerializer<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(prefix)
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .build();
    }

    /** Exactly-once into {@code dbops.alarms}, keyed by the alarm's instance (or host when it has none). */
    public static KafkaSink<Alarm> alarms(String bootstrap, String prefix) {
        return exactlyOnce(bootstrap, Topic.ALARMS, a -> a.instance() != null ? a.instance().id() : a.host(), prefix);
    }

    /** At-least-once into {@code dbops.deadletter}: a dead letter written twice is harmless, one lost is not. */
    public static KafkaSink<DeadLetter> deadLetters(String bootstrap) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new EventSerializer<DeadLetter>(Topic.DEADLETTER, DeadLetter::key))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
