package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Map;

/**
 * A request for the action service (topic {@code dbops.actions.requests}, key = request id): a
 * self-service form, an API call or a remediation rule asking for a playbook. Parameters never
 * carry secrets; playbooks resolve credentials themselves.
 */
@JsonClassDescription("A request to run a playbook: provisioning, backup, failover, remediation...")
public record ActionRequest(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When the request was made (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Request id; the Kafka key and the dedupe key.")
        String id,
        @JsonProperty(required = true) @JsonPropertyDescription("What is asked, e.g. provision, backup, restore, failover, switchover, remediate.")
        String kind,
        @JsonProperty(required = true) @JsonPropertyDescription("Who asked: a user name, or incident:ID / rule:ID for automation.")
        String requestedBy,
        @JsonPropertyDescription("Business line the request is for; scopes who may see and approve it.")
        String businessLine,
        @JsonPropertyDescription("Target instance, when the request is about one.")
        InstanceRef target,
        @JsonPropertyDescription("Target cluster, when the request is about one.")
        String cluster,
        @JsonPropertyDescription("Incident that triggered the request, for automation.")
        String incidentId,
        @JsonPropertyDescription("Playbook asked for explicitly, if any.")
        String playbook,
        @JsonPropertyDescription("Playbook parameters; never secrets.")
        Map<String, String> parameters,
        @JsonPropertyDescription("Only print the plan, touch nothing.")
        boolean dryRun,
        @JsonPropertyDescription("Free-text reason given by the requester.")
        String reason) implements Event {

    public static final int SCHEMA = 1;
}
