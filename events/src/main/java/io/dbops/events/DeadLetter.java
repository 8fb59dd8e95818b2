package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/**
 * Something a component could not process (topic {@code dbops.deadletter}): the reason and the
 * original bytes, so nothing is lost and it can be replayed once fixed.
 */
@JsonClassDescription("An input that could not be processed, with the reason and the original bytes.")
public record DeadLetter(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When it was rejected (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Component that rejected it, e.g. flink-jobs/slowsql.")
        String component,
        @JsonPropertyDescription("Topic it was read from, if it came from Kafka.")
        String sourceTopic,
        @JsonPropertyDescription("Partition it was read from.")
        Integer partition,
        @JsonPropertyDescription("Offset it was read from.")
        Long offset,
        @JsonPropertyDescription("Original record key, if any.")
        String key,
        @JsonProperty(required = true) @JsonPropertyDescription("Why it was rejected, naming the field or line at fault.")
        String reason,
        @JsonProperty(required = true) @JsonPropertyDescription("Original bytes, base64.")
        byte[] payload) implements Event {

    public static final int SCHEMA = 1;
}
