package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/**
 * A new version of an alarm rule pack (topic {@code dbops.rules}, compacted, key = pack name): the
 * metrics job applies it without a restart. The YAML is validated by whoever publishes it and again
 * by the job, which keeps the previous version and dead-letters an invalid one with every problem.
 */
@JsonClassDescription("A new version of an alarm rule pack, applied by the metrics job without a restart.")
public record RuleUpdate(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When it was published (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Name of the rule pack; also the Kafka key.")
        String pack,
        @JsonPropertyDescription("The rule pack as YAML (docs/alarm-rules.md); absent or empty removes the pack.")
        String yaml,
        @JsonPropertyDescription("Who published it (user or tool), for the audit trail.")
        String author) implements Event {

    public static final int SCHEMA = 1;
}
