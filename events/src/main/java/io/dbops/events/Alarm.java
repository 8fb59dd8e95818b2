package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Map;

/**
 * An alarm firing or resolving (topic {@code dbops.alarms}). {@link #type()} is a free-form string
 * owned by the rule pack that raised it; nothing downstream may depend on a fixed list of types.
 * Host-level alarms carry a host and no instance.
 */
@JsonClassDescription("An alarm firing or resolving, on an instance or (host-level) on a host.")
public record Alarm(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("Time of this state change (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Stable id of the alarm series (rule + subject); firing and resolved events share it.")
        String id,
        @JsonProperty(required = true) @JsonPropertyDescription("firing or resolved.")
        AlarmStatus status,
        @JsonProperty(required = true) @JsonPropertyDescription("Alarm type, free-form, owned by the rule pack (e.g. replication_io_stopped).")
        String type,
        @JsonProperty(required = true) @JsonPropertyDescription("info, warning or critical.")
        Severity severity,
        @JsonPropertyDescription("The instance alarmed on; absent for host-level alarms.")
        InstanceRef instance,
        @JsonPropertyDescription("Host alarmed on (for host-level alarms, or the instance's host).")
        String host,
        @JsonPropertyDescription("Id of the rule that raised it.")
        String rule,
        @JsonProperty(required = true) @JsonPropertyDescription("One-line human summary.")
        String summary,
        @JsonPropertyDescription("Observed value that crossed the threshold.")
        Double value,
        @JsonPropertyDescription("Threshold of the rule.")
        Double threshold,
        @JsonPropertyDescription("Extra labels (rack, dc, table, fingerprint...).")
        Map<String, String> labels,
        @JsonProperty(required = true) @JsonPropertyDescription("When the alarm started firing.")
        Instant startsAt,
        @JsonPropertyDescription("When it resolved (resolved events only).")
        Instant endsAt) implements Event {

    public static final int SCHEMA = 1;
}
