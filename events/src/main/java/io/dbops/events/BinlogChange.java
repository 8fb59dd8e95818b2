package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Map;

/**
 * One row change or DDL statement from a primary's binlog (topic {@code dbops.binlog}, key = the
 * instance's replication set, or the instance when standalone, + table). Delivery is at-least-once:
 * consumers dedupe on (set, gtid, eventIndex, rowIndex): GTIDs are the set's, so a transaction read
 * again from a new primary after a failover has the same identity.
 */
@JsonClassDescription("One row change or DDL from a binlog; dedupe on (instance.cluster, or instance.id when it has none) + gtid + eventIndex + rowIndex.")
public record BinlogChange(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("Commit time of the event on the primary (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("The primary the change was read from.")
        InstanceRef instance,
        @JsonPropertyDescription("GTID of the transaction (domain-server-seq on MariaDB, uuid:seq on MySQL).")
        String gtid,
        @JsonProperty(required = true) @JsonPropertyDescription("Index of the event within its transaction, from 0.")
        int eventIndex,
        @JsonProperty(required = true) @JsonPropertyDescription("Index of the row within its event, from 0 (0 for DDL).")
        int rowIndex,
        @JsonPropertyDescription("Database of the changed table.")
        String database,
        @JsonPropertyDescription("Changed table; absent for DDL that names no table.")
        String table,
        @JsonProperty(required = true) @JsonPropertyDescription("c = insert, u = update, d = delete, ddl = schema change.")
        BinlogOp op,
        @JsonPropertyDescription("Row image before the change (u, d); FULL row image required.")
        Map<String, Object> before,
        @JsonPropertyDescription("Row image after the change (c, u).")
        Map<String, Object> after,
        @JsonPropertyDescription("DDL statement text, for op = ddl.")
        String ddl,
        @JsonPropertyDescription("Database user that ran the DDL, when the server records it.")
        String user) implements Event {

    public static final int SCHEMA = 1;

    /**
     * The stream a server's changes belong to: its replication set (GTIDs are the set's, so a
     * transaction read again from a new primary after a failover is the same change), or the
     * instance itself when standalone. The topic's key and every consumer's dedupe identity start with it.
     */
    public static String stream(InstanceRef i) {
        return i.cluster() != null && !i.cluster().isBlank() ? i.cluster() : i.id();
    }
}
