package io.dbops.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An ordinary slow-log entry read in place, for the digest: its bytes (with the statement's final
 * {@code ;} and the next entry's {@code #} cut off) and the places of its query and attribute
 * values in them, with no string per value. One instance is reused from entry to entry;
 * {@link #toEntry()} makes the {@link SlowLogEntry} the parser would have given, for the few
 * entries a digest keeps (a class's example).
 */
final class RawEntry implements SlowLogParser.AttributeSink {
    /** The entry's text; a leading '#' is put back where the log's entry separator took it. */
    byte[] bytes = new byte[1024];
    int length;
    long offset;
    long line;
    /** The {@code # Time:} in force: the entry's own, or the one before it. */
    String ts;
    int queryFrom;
    int queryTo;
    /** Attributes in log order (a repeated name keeps its first place and takes the last value), as in {@link AttributeMap}. */
    String[] names = new String[16];
    int[] valueFrom = new int[16];
    int[] valueTo = new int[16];
    int count;

    void reset(byte[] src, int from, int len, boolean hash, long offset, long line) {
        int n = len + (hash ? 1 : 0);
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        int at = 0;
        if (hash) {
            bytes[at++] = '#';
        }
        System.arraycopy(src, from, bytes, at, len);
        length = n;
        this.offset = offset;
        this.line = line;
        ts = null;
        queryFrom = -1;
        queryTo = -1;
        count = 0;
    }

    /** An attribute whose value is [from, to) of this entry's {@link #bytes} ({@code text} is them). */
    @Override
    public void put(String name, byte[] text, int from, int to) {
        int i = indexOf(name);
        if (i < 0) {
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                valueFrom = Arrays.copyOf(valueFrom, count * 2);
                valueTo = Arrays.copyOf(valueTo, count * 2);
            }
            i = count++;
            names[i] = name;
        }
        valueFrom[i] = from;
        valueTo[i] = to;
    }

    int indexOf(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        // names are usually the same interned instances; a string's hash is kept once computed
        int h = name.hashCode();
        for (int i = 0; i < count; i++) {
            if (names[i].hashCode() == h && names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    String value(int i) {
        return new String(bytes, valueFrom[i], valueTo[i] - valueFrom[i], StandardCharsets.ISO_8859_1);
    }

    int queryLength() {
        return queryTo - queryFrom;
    }

    boolean queryStartsWith(byte[] ascii) {
        int n = ascii.length;
        if (queryTo - queryFrom < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (bytes[queryFrom + k] != ascii[k]) {
                return false;
            }
        }
        return true;
    }

    /** The entry as {@link SlowLogParser#next()} would have given it. */
    SlowLogEntry toEntry() {
        AttributeMap attrs = new AttributeMap();
        for (int i = 0; i < count; i++) {
            attrs.put(names[i], value(i));
        }
        return new SlowLogEntry(offset, line, ts, attrs,
                new String(bytes, queryFrom, queryTo - queryFrom, StandardCharsets.ISO_8859_1), false);
    }
}
