package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/**
 * Progress of a playbook run (topic {@code dbops.actions.events}, key = run id): run and step state
 * changes and every log line, numbered by {@link #seq()} so consumers can order and dedupe them.
 */
@JsonClassDescription("A playbook run's state change, a step's state change or one log line.")
public record ActionEvent(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When it happened (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Run id; the Kafka key.")
        String runId,
        @JsonProperty(required = true) @JsonPropertyDescription("Sequence number within the run, from 0, gap-free.")
        long seq,
        @JsonProperty(required = true) @JsonPropertyDescription("run, step or log.")
        ActionEventType type,
        @JsonPropertyDescription("Playbook name.")
        String playbook,
        @JsonPropertyDescription("Request that started the run.")
        String requestId,
        @JsonPropertyDescription("Incident that started the run, for automation.")
        String incidentId,
        @JsonPropertyDescription("New state, for run and step events.")
        RunState state,
        @JsonPropertyDescription("Step name, for step and log events.")
        String step,
        @JsonPropertyDescription("Step index from 0, for step and log events.")
        Integer stepIndex,
        @JsonPropertyDescription("stdout or stderr, for log events.")
        String stream,
        @JsonPropertyDescription("The log line or state message; secrets are masked before they get here.")
        String message) implements Event {

    public static final int SCHEMA = 1;
}
