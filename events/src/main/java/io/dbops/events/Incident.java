package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An incident: alarms the merger grouped as one cause (topic {@code dbops.incidents}, key =
 * incident id). Each event carries the whole current membership, so a consumer that only keeps the
 * latest event per key has the full picture.
 */
@JsonClassDescription("An incident: a group of alarms with one likely cause, with the root-cause candidate.")
public record Incident(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("Time of this update (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Incident id; the Kafka key.")
        String id,
        @JsonProperty(required = true) @JsonPropertyDescription("open, update or resolved.")
        IncidentStatus status,
        @JsonPropertyDescription("What kind of incident the merger judged this to be (e.g. host_down, replication, storm).")
        String kind,
        @JsonProperty(required = true) @JsonPropertyDescription("One-line title.")
        String title,
        @JsonProperty(required = true) @JsonPropertyDescription("Highest severity among the member alarms.")
        Severity severity,
        @JsonPropertyDescription("Id of the alarm judged the most likely root cause.")
        String rootCauseAlarmId,
        @JsonProperty(required = true) @JsonPropertyDescription("Ids of all member alarms.")
        List<String> alarmIds,
        @JsonPropertyDescription("Instances touched by the member alarms.")
        List<InstanceRef> instances,
        @JsonPropertyDescription("Hosts touched by the member alarms.")
        List<String> hosts,
        @JsonPropertyDescription("Business lines touched.")
        List<String> businessLines,
        @JsonPropertyDescription("Extra labels, e.g. the merge distance threshold in force.")
        Map<String, String> labels,
        @JsonProperty(required = true) @JsonPropertyDescription("When the incident opened.")
        Instant openedAt,
        @JsonPropertyDescription("When it resolved.")
        Instant resolvedAt) implements Event {

    public static final int SCHEMA = 1;
}
