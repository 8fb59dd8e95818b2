package io.dbops.flinkjobs.kafka;

/** A Kafka record as read, kept raw so that anything unparseable can go to the dead letters intact. */
public record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
}
