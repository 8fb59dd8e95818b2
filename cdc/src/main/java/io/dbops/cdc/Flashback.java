package io.dbops.cdc;

import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flashback SQL from captured row images: the statements that undo a table's changes over a time
 * range, newest first (INSERT undone by DELETE, DELETE by INSERT of the before image, UPDATE by an
 * UPDATE back to the before image, matched on the primary key's before values). Refuses, with the
 * reason, when an image is partial (the server was not on binlog_row_image=FULL) or when changes
 * after the range touched the same rows, unless forced; then the header says what it overwrites.
 * Plain class: the caller supplies the deduplicated changes in binlog order and the table's columns.
 */
public final class Flashback {
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** A column: its name, its SQL type family, and whether it is part of the primary key. */
    public record Column(String name, Kind kind, boolean key) {
    }

    /** How values of a column are written back as SQL literals. */
    public enum Kind {
        NUMBER, TEXT, BINARY, DATETIME, DATE, TIME, OTHER
    }

    /** The script, or the reason none is given. */
    public record Result(String sql, int statements, List<String> problems, List<String> overwritten) {
        public boolean refused() {
            return sql == null;
        }
    }

    private Flashback() {
    }

    /**
     * {@code inRange}: the changes to undo, oldest first; {@code later}: the table's changes after
     * the range (to detect rows touched since). {@code table} is {@code db.table}.
     */
    public static Result generate(String instance, String table, Instant from, Instant to, List<BinlogChange> inRange,
                                  List<BinlogChange> later, List<Column> columns, boolean force) {
        List<String> problems = new ArrayList<>();
        List<Column> keys = columns.stream().filter(Column::key).toList();
        if (keys.isEmpty()) {
            problems.add("table " + table + " has no primary key: rows cannot be matched safely");
        }
        Set<String> names = new HashSet<>();
        columns.forEach(c -> names.add(c.name()));
        for (BinlogChange c : inRange) {
            if (c.op() == BinlogOp.DDL) {
                problems.add("the range contains DDL (" + abbreviate(c.ddl()) + " at " + c.time() + "): flashback of rows across a schema "
                        + "change is not generated; narrow the range");
                break;
            }
            Map<String, Object> image = c.op() == BinlogOp.CREATE ? c.after() : c.before();
            if (image == null || !image.keySet().containsAll(names) || (c.op() == BinlogOp.UPDATE && (c.after() == null
                    || !c.after().keySet().containsAll(names)))) {
                problems.add("a " + c.op().name().toLowerCase() + " at " + c.time() + " (GTID " + c.gtid() + ") has a partial row image: "
                        + "the server must run with binlog_row_image=FULL, and the table's columns must be those captured");
                break;
            }
        }
        Set<String> touched = new HashSet<>();
        for (BinlogChange c : inRange) {
            if (c.op() != BinlogOp.DDL) {
                touched.add(keyOf(c.op() == BinlogOp.CREATE ? c.after() : c.before(), keys));
                if (c.op() == BinlogOp.UPDATE) {
                    touched.add(keyOf(c.after(), keys));
                }
            }
        }
        List<String> overwritten = new ArrayList<>();
        for (BinlogChange c : later) {
            if (c.op() == BinlogOp.DDL) {
                problems.add("the table changed its schema after the range (" + abbreviate(c.ddl()) + " at " + c.time() + ")");
                continue;
            }
            Map<String, Object> img = c.op() == BinlogOp.CREATE ? c.after() : c.before();
            String k = img == null ? null : keyOf(img, keys);
            if (k != null && touched.contains(k) && overwritten.size() < 1000) {
                overwritten.add(c.op().name().toLowerCase() + " of " + k + " at " + c.time());
            }
        }
        if (!overwritten.isEmpty() && !force) {
            problems.add(overwritten.size() + (overwritten.size() == 1000 ? "+" : "") + " later changes touched rows of the range (first: "
                    + overwritten.get(0) + "); review them, or use --force to overwrite them");
        }
        if (!problems.isEmpty()) {
            return new Result(null, 0, problems, overwritten);
        }
        StringBuilder sql = new StringBuilder(inRange.size() * 96 + 512);
        sql.append("-- dbops flashback of ").append(table).append(" on ").append(instance).append('\n')
                .append("-- undoes ").append(inRange.size()).append(" row changes from ").append(from).append(" to ").append(to)
                .append(inRange.isEmpty() ? "" : " (GTIDs " + inRange.get(0).gtid() + " .. " + inRange.get(inRange.size() - 1).gtid() + ")")
                .append(", newest first\n");
        if (!overwritten.isEmpty()) {
            sql.append("-- FORCED: overwrites ").append(overwritten.size()).append(" later changes, e.g. ").append(overwritten.get(0)).append('\n');
        }
        sql.append("-- review before applying: mysql < this file\nSTART TRANSACTION;\n");
        String target = quoteName(table);
        for (int i = inRange.size() - 1; i >= 0; i--) {
            BinlogChange c = inRange.get(i);
            switch (c.op()) {
                case CREATE -> sql.append("DELETE FROM ").append(target).append(" WHERE ").append(where(c.after(), keys)).append(" LIMIT 1;\n");
                case DELETE -> insert(sql, target, c.before(), columns);
                case UPDATE -> {
                    sql.append("UPDATE ").append(target).append(" SET ");
                    set(sql, c.before(), columns);
                    sql.append(" WHERE ").append(where(c.after(), keys)).append(" LIMIT 1;\n");
                }
                default -> {
                }
            }
        }
        sql.append("COMMIT;\n");
        return new Result(sql.toString(), inRange.size(), List.of(), overwritten);
    }

    private static void insert(StringBuilder sql, String target, Map<String, Object> row, List<Column> columns) {
        sql.append("INSERT INTO ").append(target).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quoteName(columns.get(i).name()));
        }
        sql.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ");
            literal(sql, row.get(columns.get(i).name()), columns.get(i).kind());
        }
        sql.append(");\n");
    }

    private static void set(StringBuilder sql, Map<String, Object> row, List<Column> columns) {
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quoteName(columns.get(i).name())).append(" = ");
            literal(sql, row.get(columns.get(i).name()), columns.get(i).kind());
        }
    }

    private static String where(Map<String, Object> row, List<Column> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(quoteName(keys.get(i).name())).append(" = ");
            literal(sb, row.get(keys.get(i).name()), keys.get(i).kind());
        }
        return sb.toString();
    }

    private static String keyOf(Map<String, Object> row, List<Column> keys) {
        StringBuilder sb = new StringBuilder();
        for (Column k : keys) {
            sb.append(k.name()).append('=').append(row == null ? null : row.get(k.name())).append(';');
        }
        return sb.toString();
    }

    /** A value as Debezium captured it, back as a SQL literal of its column's kind. */
    static void literal(StringBuilder sb, Object v, Kind kind) {
        if (v == null) {
            sb.append("NULL");
            return;
        }
        switch (kind) {
            case NUMBER -> {
                String s = v.toString();
                if (!s.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException("not a number: " + abbreviate(s));
                }
                sb.append(s);
            }
            case BINARY -> sb.append("FROM_BASE64('").append(v.toString().replaceAll("[^A-Za-z0-9+/=]", "")).append("')");
            case DATETIME -> sb.append('\'').append(DATETIME.format(LocalDateTime.ofInstant(instant(v), ZoneOffset.UTC))).append('\'');
            case DATE, TIME -> quote(sb, v.toString()); // ISO date (2026-11-25) or time of day (10:00:07.123456)
            default -> quote(sb, v.toString());
        }
    }

    private static Instant instant(Object v) {
        if (v instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        return Instant.parse(v.toString());
    }

    /** A string literal with everything MariaDB treats specially escaped. */
    static void quote(StringBuilder sb, String s) {
        sb.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> sb.append("\\'");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\0' -> sb.append("\\0");
                case '\u001a' -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        sb.append('\'');
    }

    /** `db`.`table` or `column`, backticks doubled. */
    static String quoteName(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("\\.", 2)) {
            sb.append(sb.length() == 0 ? "" : ".").append('`').append(part.replace("`", "``")).append('`');
        }
        return sb.toString();
    }

    /** The column kinds of a table from information_schema DATA_TYPE values. */
    public static Kind kind(String dataType) {
        return switch (dataType.toLowerCase()) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double", "bit", "year" -> Kind.NUMBER;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Kind.BINARY;
            case "datetime", "timestamp" -> Kind.DATETIME;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json" -> Kind.TEXT;
            default -> Kind.OTHER;
        };
    }

    /** Keeps the first of each (instance, gtid, eventIndex, rowIndex): what at-least-once delivery sent twice. */
    public static List<BinlogChange> dedupe(List<BinlogChange> changes) {
        Map<String, BinlogChange> seen = new LinkedHashMap<>();
        for (BinlogChange c : changes) {
            seen.putIfAbsent(io.dbops.events.BinlogChange.stream(c.instance()) + "|" + c.gtid() + "|" + c.eventIndex() + "|" + c.rowIndex(), c);
        }
        return new ArrayList<>(seen.values());
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
