package io.dbops.cdc;

import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.InstanceRef;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns one Debezium record (a row change or a schema change of a MariaDB/MySQL binlog) into the
 * compact {@link BinlogChange} dbops publishes, or null for what is not a change (heartbeats,
 * transaction markers, the snapshot's bookkeeping). The dedupe identity (gtid, eventIndex,
 * rowIndex) comes from the connector's offset: {@code event} counts the binlog events since the
 * transaction began, {@code row} the row within the rows event, the same on a redelivery.
 */
public final class ChangeMapper {
    private ChangeMapper() {
    }

    public static BinlogChange map(SourceRecord r, InstanceRef instance) {
        if (!(r.value() instanceof Struct v)) {
            return null; // a tombstone
        }
        Map<String, ?> offset = r.sourceOffset();
        int eventIndex = number(offset == null ? null : offset.get("event"));
        int rowIndex = number(offset == null ? null : offset.get("row"));
        Struct source = v.schema().field("source") == null ? null : v.getStruct("source");
        String gtid = source == null || source.schema().field("gtid") == null ? null : source.getString("gtid");
        Instant time = source == null ? Instant.now() : Instant.ofEpochMilli(source.getInt64("ts_ms"));
        if (v.schema().field("ddl") != null) {
            String ddl = v.getString("ddl");
            if (ddl == null || ddl.isBlank()) {
                return null;
            }
            String db = v.schema().field("databaseName") != null ? v.getString("databaseName") : null;
            return new BinlogChange(BinlogChange.SCHEMA, time, instance, gtid, eventIndex, rowIndex, emptyToNull(db),
                    source == null ? null : emptyToNull(source.getString("table")), BinlogOp.DDL, null, null, ddl, null);
        }
        if (v.schema().field("op") == null) {
            return null;
        }
        String op = v.getString("op");
        BinlogOp binlogOp = switch (op) {
            case "c" -> BinlogOp.CREATE;
            case "u" -> BinlogOp.UPDATE;
            case "d" -> BinlogOp.DELETE;
            default -> null; // "r" (snapshot reads) and "t" (truncate) are not row changes of the binlog
        };
        if (binlogOp == null || source == null) {
            return null;
        }
        return new BinlogChange(BinlogChange.SCHEMA, time, instance, gtid, eventIndex, rowIndex, source.getString("db"),
                source.getString("table"), binlogOp, row(v.getStruct("before")), row(v.getStruct("after")), null, null);
    }

    /** A row image as column name to value: numbers, strings (decimals too), booleans, times as Debezium gives them, bytes as base64. */
    static Map<String, Object> row(Struct s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : s.schema().fields()) {
            m.put(f.name(), time(f.schema().name(), value(s.get(f))));
        }
        return m;
    }

    /**
     * Debezium's temporal encodings (epoch days, millis, micros) as ISO-8601 text with their full
     * precision, so a consumer needs no schema to read them: DATETIME as an instant, DATE as a
     * date, TIME as a time of day.
     */
    static Object time(String schemaName, Object v) {
        if (schemaName == null || !(v instanceof Number n)) {
            return v;
        }
        long x = n.longValue();
        return switch (schemaName) {
            case "io.debezium.time.Timestamp" -> java.time.Instant.ofEpochMilli(x).toString();
            case "io.debezium.time.MicroTimestamp" -> java.time.Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000L),
                    Math.floorMod(x, 1_000_000L) * 1000L).toString();
            case "io.debezium.time.NanoTimestamp" -> java.time.Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000_000L),
                    Math.floorMod(x, 1_000_000_000L)).toString();
            case "io.debezium.time.Date" -> java.time.LocalDate.ofEpochDay(x).toString();
            case "io.debezium.time.Time" -> java.time.LocalTime.ofNanoOfDay(x * 1_000_000L).toString();
            case "io.debezium.time.MicroTime" -> java.time.LocalTime.ofNanoOfDay(x * 1000L).toString();
            case "io.debezium.time.NanoTime" -> java.time.LocalTime.ofNanoOfDay(x).toString();
            default -> v;
        };
    }

    private static Object value(Object o) {
        if (o instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (o instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            return Base64.getEncoder().encodeToString(b);
        }
        if (o instanceof java.util.Date d) {
            return d.toInstant().toString();
        }
        if (o instanceof Struct s) {
            return row(s);
        }
        return o;
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
