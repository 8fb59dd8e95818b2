package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/**
 * Per-window, per-fingerprint digest of slow queries on one instance (topic
 * {@code dbops.slowsql.stats}): what pt-query-digest reports for one query class, emitted
 * continuously.
 */
@JsonClassDescription("Per-window per-fingerprint slow-query digest for one instance.")
public record SlowSqlDigest(
        @JsonProperty(required = true) @JsonPropertyDescription("Schema version of this document.")
        int schema,
        @JsonProperty(required = true) @JsonPropertyDescription("Event time: the window end (ISO-8601).")
        Instant time,
        @JsonProperty(required = true) @JsonPropertyDescription("Window start, inclusive.")
        Instant windowStart,
        @JsonProperty(required = true) @JsonPropertyDescription("Window end, exclusive.")
        Instant windowEnd,
        @JsonProperty(required = true) @JsonPropertyDescription("The instance the queries ran on.")
        InstanceRef instance,
        @JsonProperty(required = true) @JsonPropertyDescription("Query id: upper-case hex MD5 of the fingerprint (pt-query-digest checksum).")
        String queryId,
        @JsonProperty(required = true) @JsonPropertyDescription("Normalised query text.")
        String fingerprint,
        @JsonPropertyDescription("Database most of the queries ran in.")
        String database,
        @JsonProperty(required = true) @JsonPropertyDescription("Number of queries in the window.")
        long calls,
        @JsonProperty(required = true) @JsonPropertyDescription("Query time in seconds.")
        Stats queryTimeSec,
        @JsonPropertyDescription("Lock time in seconds.")
        Stats lockTimeSec,
        @JsonPropertyDescription("Rows sent.")
        Stats rowsSent,
        @JsonPropertyDescription("Rows examined.")
        Stats rowsExamined,
        @JsonPropertyDescription("The slowest query of the window, as an example.")
        String example,
        @JsonPropertyDescription("First time this query id was seen on this instance, if known.")
        Instant firstSeen,
        @JsonPropertyDescription("Query plan of the example, when known: MariaDB's logged explain rows (tab-separated, header first) or EXPLAIN FORMAT=JSON output.")
        String explain) implements Event {

    public static final int SCHEMA = 1;

    /** A digest without a plan. */
    public SlowSqlDigest(int schema, Instant time, Instant windowStart, Instant windowEnd, InstanceRef instance, String queryId,
                         String fingerprint, String database, long calls, Stats queryTimeSec, Stats lockTimeSec, Stats rowsSent,
                         Stats rowsExamined, String example, Instant firstSeen) {
        this(schema, time, windowStart, windowEnd, instance, queryId, fingerprint, database, calls, queryTimeSec, lockTimeSec,
                rowsSent, rowsExamined, example, firstSeen, null);
    }
}
