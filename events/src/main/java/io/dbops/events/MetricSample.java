package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Map;

/**
 * One poll of one measurement on one instance (topic {@code dbops.metrics}). Field values are
 * nullable on purpose: a value the server reports as NULL (MySQL's Seconds_Behind_Master with the
 * IO thread down) stays null and must never be read as 0.
 */
@JsonClassDescription("One poll of one measurement on one instance: numeric fields plus tags, in line-protocol shape.")
public record MetricSample(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When the sample was taken (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("The instance sampled.")
        InstanceRef instance,
        @JsonProperty(required = true) @JsonPropertyDescription("Measurement name, e.g. mysql_status, redis_info, mongo_server_status, up.")
        String measurement,
        @JsonPropertyDescription("Extra tags (besides the instance identity), e.g. the table of a per-table rate.")
        Map<String, String> tags,
        @JsonProperty(required = true) @JsonPropertyDescription("Numeric fields; null means the server reported NULL, not zero.")
        Map<String, Double> fields,
        @JsonPropertyDescription("Error text when the poll failed (the up measurement is then 0); never contains credentials.")
        String error) implements Event {

    public static final int SCHEMA = 1;
}
