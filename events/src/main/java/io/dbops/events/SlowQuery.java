package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Map;

/**
 * One slow query as the server logged it (topic {@code dbops.slowlog}): a MySQL/MariaDB slow-log
 * entry or a MongoDB profiler document. Engine-specific extras go to {@link #attributes()}.
 */
@JsonClassDescription("One slow query from a MySQL/MariaDB slow log or the MongoDB profiler.")
public record SlowQuery(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("When the query ran, from the log's Time/timestamp (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("The instance that logged the query.")
        InstanceRef instance,
        @JsonProperty(required = true) @JsonPropertyDescription("Query text as logged (for MongoDB, the command document as JSON).")
        String query,
        @JsonPropertyDescription("Fingerprint (pt-query-digest compatible for SQL, pt-mongodb-query-digest for MongoDB), when the producer computed it.")
        String fingerprint,
        @JsonPropertyDescription("Query id: upper-case hex MD5 of the fingerprint, when the producer computed it.")
        String queryId,
        @JsonPropertyDescription("Database (schema) the query ran in.")
        String database,
        @JsonPropertyDescription("User that ran the query.")
        String user,
        @JsonPropertyDescription("Client host or address.")
        String clientHost,
        @JsonPropertyDescription("Server thread or connection id.")
        Long threadId,
        @JsonProperty(required = true) @JsonPropertyDescription("Execution time in seconds.")
        double queryTimeSec,
        @JsonPropertyDescription("Lock wait time in seconds.")
        Double lockTimeSec,
        @JsonPropertyDescription("Rows sent to the client.")
        Long rowsSent,
        @JsonPropertyDescription("Rows (or documents) examined.")
        Long rowsExamined,
        @JsonPropertyDescription("Rows affected by a write.")
        Long rowsAffected,
        @JsonPropertyDescription("Bytes sent to the client.")
        Long bytesSent,
        @JsonPropertyDescription("Other logged attributes by their log name (Full_scan, Tmp_tables, InnoDB_IO_r_ops, planSummary...).")
        Map<String, String> attributes,
        @JsonPropertyDescription("Where the entry came from, e.g. the slow-log path and byte offset, for tracing back.")
        String source) implements Event {

    public static final int SCHEMA = 1;
}
