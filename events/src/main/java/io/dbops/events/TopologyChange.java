package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.List;

/**
 * A role change in a cluster (topic {@code dbops.topology}, key = cluster, compacted), for proxies,
 * applications and the CDC collector that must follow the primary.
 */
@JsonClassDescription("A role change in a cluster after failover or switchover: who is primary now.")
public record TopologyChange(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When the change took effect (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Cluster or replica set; the Kafka key.")
        String cluster,
        @JsonProperty(required = true) @JsonPropertyDescription("Engine of the cluster.")
        Engine engine,
        @JsonProperty(required = true) @JsonPropertyDescription("What happened, e.g. failover, switchover, replica_added, replica_removed.")
        String kind,
        @JsonProperty(required = true) @JsonPropertyDescription("The primary after the change.")
        InstanceRef primary,
        @JsonPropertyDescription("The primary before the change.")
        InstanceRef previousPrimary,
        @JsonPropertyDescription("Replicas after the change.")
        List<InstanceRef> replicas,
        @JsonPropertyDescription("Replication position of the new primary when promoted (GTID set).")
        String gtidPosition,
        @JsonPropertyDescription("Playbook run that made the change.")
        String runId,
        @JsonPropertyDescription("Why, in one line.")
        String reason) implements Event {

    public static final int SCHEMA = 1;
}
