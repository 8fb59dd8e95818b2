package io.dbops.flinkjobs.timeseries;

import io.dbops.events.InstanceRef;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Stats;
import java.util.Locale;

/**
 * InfluxDB line protocol for what the jobs write to the time-series store (VictoriaMetrics locally,
 * InfluxDB 2/3 elsewhere). One line per slow-SQL digest: measurement {@code slowsql}, tagged by the
 * instance identity and query id, so dashboards chart a fingerprint over time per instance,
 * cluster or business line. Tag values are escaped as the protocol requires.
 */
public final class LineProtocol {
    private LineProtocol() {
    }

    public static String slowSql(SlowSqlDigest d) {
        StringBuilder sb = new StringBuilder(256).append("slowsql");
        InstanceRef i = d.instance();
        tag(sb, "instance", i.id());
        tag(sb, "engine", i.engine().name().toLowerCase(Locale.ROOT));
        tag(sb, "cluster", i.cluster());
        tag(sb, "host", i.host());
        tag(sb, "business_line", i.businessLine());
        tag(sb, "query_id", d.queryId());
        sb.append(' ').append("calls=").append(d.calls()).append('i');
        Stats q = d.queryTimeSec();
        field(sb, "query_time_sum", q.sum());
        field(sb, "query_time_max", q.max());
        field(sb, "query_time_avg", q.avg());
        field(sb, "query_time_p95", q.p95());
        if (q.p50() != null) {
            field(sb, "query_time_p50", q.p50());
        }
        if (q.p99() != null) {
            field(sb, "query_time_p99", q.p99());
        }
        if (d.rowsExamined() != null) {
            field(sb, "rows_examined_sum", d.rowsExamined().sum());
        }
        if (d.rowsSent() != null) {
            field(sb, "rows_sent_sum", d.rowsSent().sum());
        }
        // the sample is stamped at the window start: the minute it describes
        sb.append(' ').append(d.windowStart().toEpochMilli()).append("000000");
        return sb.toString();
    }

    /**
     * One metric sample: the measurement, the instance identity and the sample's own tags as tags
     * (except {@code info.*} tags, which describe a sample, such as the user of the longest query,
     * and would make a new series each time), every known field as a float. NULL fields are left
     * out: a missing point is what a NULL is, never a zero.
     */
    public static String metric(io.dbops.events.MetricSample s) {
        StringBuilder sb = new StringBuilder(64 + s.fields().size() * 24);
        head(sb, s);
        char sep = ' ';
        for (var f : s.fields().entrySet()) {
            Double v = f.getValue();
            if (v != null && Double.isFinite(v)) {
                sb.append(sep).append(fieldName(f.getKey())).append('=');
                number(sb, v);
                sep = ',';
            }
        }
        if (sep == ' ') {
            return null;
        }
        return tail(sb, s);
    }

    /**
     * One metric sample whose fields are already written ({@code fields}: {@code name=value} pairs joined by commas, as
     * {@link #field(StringBuilder, String, char[], int, int)} appends them), with the sample's measurement, tags and time
     * as {@link #metric} writes them; null when there are none.
     */
    public static String metric(io.dbops.events.MetricSample s, CharSequence fields) {
        if (fields.length() == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(96 + fields.length());
        head(sb, s);
        return tail(sb.append(' ').append(fields), s);
    }

    /**
     * Appends one float field whose value is the number text {@code text[offset, offset + length)} as JSON wrote it (JSON's
     * number syntax is a float the protocol reads): no conversion to a double and back. The caller makes sure it is finite.
     */
    public static void field(StringBuilder fields, String name, char[] text, int offset, int length) {
        if (fields.length() > 0) {
            fields.append(',');
        }
        fields.append(fieldName(name)).append('=').append(text, offset, length);
    }

    private static void head(StringBuilder sb, io.dbops.events.MetricSample s) {
        escape(sb, s.measurement(), false);
        InstanceRef i = s.instance();
        tag(sb, "instance", i.id());
        tag(sb, "engine", i.engine().name().toLowerCase(Locale.ROOT));
        tag(sb, "cluster", i.cluster());
        tag(sb, "host", i.host());
        tag(sb, "business_line", i.businessLine());
        if (s.tags() != null && !s.tags().isEmpty()) {
            for (var t : (s.tags().size() == 1 ? s.tags() : new java.util.TreeMap<>(s.tags())).entrySet()) {
                if (!t.getKey().startsWith("info.")) {
                    tag(sb, t.getKey(), t.getValue());
                }
            }
        }
    }

    private static String tail(StringBuilder sb, io.dbops.events.MetricSample s) {
        return sb.append(' ').append(s.time().toEpochMilli()).append("000000").toString();
    }

    /**
     * Field names as the protocol writes them, remembered: the same few hundred names come in every sample (the event reader
     * hands out one String per name), and looking one up costs less than checking it again. Bounded: names beyond the
     * limit are escaped each time.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> FIELD_NAMES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int FIELD_NAMES_MAX = 20_000;

    private static String fieldName(String name) {
        String escaped = FIELD_NAMES.get(name);
        if (escaped == null) {
            StringBuilder sb = new StringBuilder(name.length() + 4);
            escape(sb, name, true);
            escaped = sb.toString();
            if (FIELD_NAMES.size() < FIELD_NAMES_MAX) {
                FIELD_NAMES.put(name, escaped);
            }
        }
        return escaped;
    }

    /**
     * A float field: integral values without the ".0" Double.toString would spend time on (still a float to the store), and
     * other values of ordinary size (rates, mostly) in fixed point to 15 significant digits, which Double.toString takes
     * several times longer to do on this JDK: the last digit may differ, a relative 1e-15, below what a float carries.
     */
    static void number(StringBuilder sb, double v) {
        long l = (long) v;
        if (l == v && Math.abs(v) < 1e15) {
            sb.append(l);
            return;
        }
        double a = Math.abs(v);
        if (!(a >= 1e-3 && a < 1e15)) {
            sb.append(v);
            return;
        }
        int intDigits = (int) Math.floor(Math.log10(a)) + 1; // -2 to 15
        int decimals = 15 - intDigits;
        long scaled = Math.round(a * POW10[decimals]);
        long whole = scaled / LPOW10[decimals];
        long frac = scaled % LPOW10[decimals];
        if (v < 0) {
            sb.append('-');
        }
        sb.append(whole);
        if (frac != 0) {
            int zeros = 0;
            while (frac % 10 == 0) {
                frac /= 10;
                zeros++;
            }
            sb.append('.');
            for (long p = LPOW10[decimals - zeros - 1]; p > frac; p /= 10) {
                sb.append('0');
            }
            sb.append(frac);
        }
    }

    private static final double[] POW10 = new double[19];
    private static final long[] LPOW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            LPOW10[i] = p;
            POW10[i] = p;
            p *= 10;
        }
    }

    /** A name or tag value: commas and spaces (and '=' except in a measurement) escaped; a newline becomes an escaped space. */
    private static void escape(StringBuilder sb, String name, boolean equalsToo) {
        if (plain(name, equalsToo)) {
            sb.append(name); // the usual case, one copy
            return;
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k) == '\n' ? ' ' : name.charAt(k);
            if (c == ',' || c == ' ' || (equalsToo && c == '=')) {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    private static boolean plain(String s, boolean equalsToo) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == ',' || c == ' ' || c == '\n' || (equalsToo && c == '=')) {
                return false;
            }
        }
        return true;
    }

    private static void tag(StringBuilder sb, String key, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        sb.append(',');
        escape(sb, key, true);
        sb.append('=');
        escape(sb, value, true);
    }

    private static void field(StringBuilder sb, String key, double value) {
        if (Double.isFinite(value)) {
            sb.append(',').append(key).append('=').append(value);
        }
    }
}
