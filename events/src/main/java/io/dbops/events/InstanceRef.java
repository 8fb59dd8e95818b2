package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Identity of one fleet instance as the inventory knows it, repeated in every event about it so
 * that consumers can group and filter without a lookup.
 */
@JsonClassDescription("Identity of a fleet instance: id, engine, cluster or replica set, host and business line.")
public record InstanceRef(
        @JsonProperty(required = true) @JsonPropertyDescription("Inventory id of the instance, unique across the fleet; the Kafka key of most topics.")
        String id,
        @JsonProperty(required = true) @JsonPropertyDescription("Engine: mysql, mariadb, redis or mongo.")
        Engine engine,
        @JsonPropertyDescription("Cluster, replication set or replica set the instance belongs to; absent for standalone instances.")
        String cluster,
        @JsonProperty(required = true) @JsonPropertyDescription("Host (server) name the instance runs on.")
        String host,
        @JsonPropertyDescription("TCP port of the instance on its host.")
        Integer port,
        @JsonPropertyDescription("Business line that owns the instance.")
        String businessLine) {
}
