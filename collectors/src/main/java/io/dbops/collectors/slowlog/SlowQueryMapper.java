package io.dbops.collectors.slowlog;

import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.sql.Fingerprinter;
import io.dbops.sql.SlowLogEntry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a slow-log entry into the {@code dbops.slowlog} event, with the pt-compatible fingerprint
 * and query id computed once here so every consumer agrees on them. Event time comes from
 * {@code SET timestamp=} (exact epoch seconds) when present, else from {@code # Time:} read in the
 * instance's log time zone (MySQL 8 writes UTC, MariaDB the server's local time).
 */
public final class SlowQueryMapper {
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyMMdd H:mm:ss");
    /** Header names that have their own field in the event; the rest go to attributes. */
    private static final Set<String> MAPPED = Set.of("user", "host", "ip", "db", "Schema", "Thread_id", "Id", "Query_time",
            "Lock_time", "Rows_sent", "Rows_examined", "Rows_affected", "Bytes_sent", "timestamp");

    private final Fingerprinter fingerprinter;

    public SlowQueryMapper(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
    }

    /** The event, or an {@link IllegalArgumentException} naming what is missing (the caller dead-letters it). */
    public SlowQuery map(SlowLogEntry e, InstanceRef instance, ZoneId logZone, String source) {
        double queryTime = e.number("Query_time");
        if (Double.isNaN(queryTime)) {
            throw new IllegalArgumentException("entry at byte " + e.offset() + " has no numeric Query_time ("
                    + e.attribute("Query_time") + ")");
        }
        Instant time = time(e, logZone);
        if (time == null) {
            throw new IllegalArgumentException("entry at byte " + e.offset() + " has no time (no # Time: and no SET timestamp)");
        }
        String fingerprint = fingerprinter.fingerprint(e.query());
        Map<String, String> extra = new LinkedHashMap<>();
        e.attributes().forEach((k, v) -> {
            if (!MAPPED.contains(k) && v != null) {
                extra.put(k, SlowLogEntry.text(v));
            }
        });
        String db = e.attribute("db") != null ? e.attribute("db") : e.attribute("Schema");
        String host = e.attribute("ip") != null && !e.attribute("ip").isEmpty() ? e.attribute("ip") : e.attribute("host");
        return new SlowQuery(SlowQuery.SCHEMA, time, instance, SlowLogEntry.text(e.query()), SlowLogEntry.text(fingerprint),
                Fingerprinter.queryId(fingerprint), SlowLogEntry.text(db), SlowLogEntry.text(e.attribute("user")),
                SlowLogEntry.text(host), longOrNull(e, "Thread_id"), queryTime, doubleOrNull(e, "Lock_time"),
                longOrNull(e, "Rows_sent"), longOrNull(e, "Rows_examined"), longOrNull(e, "Rows_affected"),
                longOrNull(e, "Bytes_sent"), extra, source);
    }

    /**
     * The event with its literal values gone: the query text becomes the fingerprint and the
     * attributes that can echo the text (MariaDB's explain rows, client names) are dropped.
     */
    public static SlowQuery withoutLiterals(SlowQuery q) {
        Map<String, String> attributes = new LinkedHashMap<>(q.attributes() == null ? Map.of() : q.attributes());
        attributes.keySet().removeIf(k -> k.equals("explain") || k.equals("client_name"));
        return new SlowQuery(q.schema(), q.time(), q.instance(), q.fingerprint(), q.fingerprint(), q.queryId(), q.database(),
                q.user(), q.clientHost(), q.threadId(), q.queryTimeSec(), q.lockTimeSec(), q.rowsSent(), q.rowsExamined(),
                q.rowsAffected(), q.bytesSent(), attributes, q.source());
    }

    static Instant time(SlowLogEntry e, ZoneId zone) {
        String epoch = e.attribute("timestamp");
        if (epoch != null) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
            } catch (NumberFormatException ignored) {
                // fall back to # Time:
            }
        }
        String ts = e.ts();
        if (ts == null) {
            return null;
        }
        try {
            if (ts.contains("T")) {
                return LocalDateTime.parse(ts.trim()).atZone(zone).toInstant();
            }
            return LocalDateTime.parse(ts.trim().replaceAll(" +", " "), SHORT).atZone(zone).toInstant();
        } catch (RuntimeException bad) {
            return null;
        }
    }

    private static Long longOrNull(SlowLogEntry e, String name) {
        double v = e.number(name);
        return Double.isNaN(v) ? null : (long) v;
    }

    private static Double doubleOrNull(SlowLogEntry e, String name) {
        double v = e.number(name);
        return Double.isNaN(v) ? null : v;
    }
}
