package io.dbops.sql;

import java.util.Map;

/**
 * One entry of a MySQL, Percona Server or MariaDB slow log, as the log has it. Strings are byte
 * strings (ISO-8859-1 decoded, one char per byte), so nothing is lost on invalid UTF-8; use
 * {@link #text(String)} to show them to people.
 *
 * @param offset     byte offset of the entry in the (uncompressed) log
 * @param line       1-based line number where the entry starts
 * @param ts         the {@code # Time:} value in force (the entry's own, or the last one before it,
 *                   as MariaDB writes it only when the second changes), or null
 * @param attributes every {@code Name: value} of the header, plus user, host, ip, db and
 *                   {@code SET} settings such as timestamp, in log order
 * @param query      the statement without its final semicolon, or the administrator command
 * @param admin      true for {@code # administrator command:} entries
 */
public record SlowLogEntry(long offset, long line, String ts, Map<String, String> attributes, String query, boolean admin) {

    public String attribute(String name) {
        return attributes.get(name);
    }

    /** A numeric attribute, or NaN when absent or not a number. */
    public double number(String name) {
        String v = attributes.get(name);
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A byte string from the log as text (UTF-8, invalid sequences replaced). */
    public static String text(String bytes) {
        if (bytes == null) {
            return null;
        }
        int i = 0;
        while (i < bytes.length() && bytes.charAt(i) < 0x80) {
            i++;
        }
        if (i == bytes.length()) {
            return bytes; // ASCII reads the same in UTF-8
        }
        return new String(bytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
    }
}
