package io.dbops.flinkjobs.binlog;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.Severity;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the binlog job judges on one table of one instance, as plain calls over a small state (the
 * Flink operator keeps one {@link State} per instance and table, the key of {@code dbops.binlog},
 * whose partitions keep one table's changes in order):
 * <ul>
 *   <li>dedupe: the capture is at-least-once; a change whose transaction (per GTID domain) is older
 *       than the newest one seen, or within it not after the last (event, row) seen, was seen already;</li>
 *   <li>DDL audit: each statement becomes an info alarm, firing for {@code ddlContextMillis} so that
 *       the merger can attach it to the incident of the alarms that follow (an info alarm never opens
 *       an incident by itself), then resolved;</li>
 *   <li>mass DELETE / UPDATE: rows changed over the last minute (six 10 s buckets of change time)
 *       above {@code massRowsPerMinute}, or above {@code massTableFraction} of the table's estimated
 *       rows when known; resolved once below half of it for {@code quietMillis};</li>
 *   <li>protected tables: any write (or DDL) fires a critical alarm, resolved after {@code quietMillis}
 *       without writes;</li>
 *   <li>per-table write counts per bucket, as {@code binlog_table} samples for the time-series store;</li>
 *   <li>transaction pieces ({@link TxnPart}) for the per-instance large-transaction rule.</li>
 * </ul>
 */
public final class TableRules {
    static final int BUCKETS = 6;

    private TableRules() {
    }

    /** Thresholds; times in milliseconds. */
    public record Settings(long massRowsPerMinute, double massTableFraction, long massMinTableRows, long bucketMillis, long quietMillis,
                           int txnPartRows, long ddlContextMillis) implements Serializable {
        public static Settings defaults() {
            return new Settings(50_000, 0.2, 1000, 10_000, 60_000, 1000, 600_000);
        }
    }

    /** Rows of one transaction seen on one table since the last piece. */
    public record TxnPart(InstanceRef instance, String gtid, String table, long rows, long time) implements Serializable {
    }

    /** What a call produced. */
    public interface Out {
        void alarm(Alarm a);

        void sample(MetricSample s);

        void part(TxnPart p);
    }

    /** Everything kept per instance and table. */
    public static final class State implements Serializable {
        InstanceRef instance;
        String database;
        String table;
        // dedupe: newest transaction per GTID domain, and the last (event, row) seen of it
        final HashMap<String, Long> maxSeq = new HashMap<>();
        long lastIdentity = -1;
        // the transaction piece being counted
        String partGtid;
        long partRows;
        long partTime;
        // mass changes: per op (0 update, 1 delete) a ring of bucket counts
        final long[] ringBucket = new long[BUCKETS];
        final long[][] ring = new long[2][BUCKETS];
        final long[] firingSince = {-1, -1};
        final long[] lastAbove = {-1, -1};
        final long[] peak = {0, 0};
        // per-bucket write counts for the time series
        long metricBucket = -1;
        long inserts;
        long updates;
        long deletes;
        // protected-table writes
        long protectedSince = -1;
        long protectedLast;
        long protectedWrites;
        String protectedRule;
        // the table's estimated rows (from the collectors' mysql_table samples), NaN while unknown
        double estimatedRows = Double.NaN;
        // DDL alarms still firing as context, oldest first (bounded)
        final java.util.ArrayList<Alarm> ddlFiring = new java.util.ArrayList<>();

        public State() {
            java.util.Arrays.fill(ringBucket, Long.MIN_VALUE);
        }

        /** Whether a timer is still needed: something counted, firing or waiting to be flushed. */
        public boolean pending() {
            return metricBucket >= 0 || partRows > 0 || firingSince[0] >= 0 || firingSince[1] >= 0 || protectedSince >= 0 || !ddlFiring.isEmpty();
        }
    }

    /** {domain, sequence} of a MariaDB (domain-server-seq) or MySQL (uuid:seq) GTID; null when it is neither. */
    static Object[] gtid(String gtid) {
        if (gtid == null) {
            return null;
        }
        try {
            int colon = gtid.lastIndexOf(':');
            if (colon > 0) {
                return new Object[] {gtid.substring(0, colon), Long.parseLong(gtid.substring(colon + 1))};
            }
            int first = gtid.indexOf('-');
            int last = gtid.lastIndexOf('-');
            if (first > 0 && last > first) {
                return new Object[] {gtid.substring(0, first), Long.parseLong(gtid.substring(last + 1))};
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** True when the change was seen already (and then nothing else should look at it); remembers it otherwise. */
    public static boolean duplicate(State s, BinlogChange c) {
        Object[] g = gtid(c.gtid());
        if (g == null) {
            return false;
        }
        String domain = (String) g[0];
        long seq = (Long) g[1];
        long identity = ((long) c.eventIndex() << 32) | (c.rowIndex() & 0xffffffffL);
        Long max = s.maxSeq.get(domain);
        if (max == null || seq > max) {
            s.maxSeq.put(domain, seq);
            s.lastIdentity = identity;
            return false;
        }
        if (seq < max || identity <= s.lastIdentity) {
            return true;
        }
        s.lastIdentity = identity;
        return false;
    }

    /** The collectors' estimate of the table's rows. */
    public static void estimatedRows(State s, double rows) {
        s.estimatedRows = rows;
    }

    /** A change not seen before. */
    public static void onChange(State s, BinlogChange c, Settings st, ProtectedTables protectedTables, Out out) {
        s.instance = c.instance();
        s.database = c.database();
        s.table = c.table();
        long t = c.time().toEpochMilli();
        ProtectedTables.Rule rule = protectedTables.match(c.instance(), c.database(), c.table());
        if (rule != null) {
            s.protectedLast = Math.max(s.protectedLast, t);
            s.protectedWrites++;
            if (s.protectedSince < 0) {
                s.protectedSince = t;
                s.protectedRule = rule.describe() + (rule.reason() == null || rule.reason().isBlank() ? "" : " (" + rule.reason() + ")");
                out.alarm(protectedAlarm(s, AlarmStatus.FIRING, c.time(), null, c.op() == BinlogOp.DDL ? "DDL: " + abbreviate(c.ddl(), 200)
                        : opWord(c.op()) + " of a row"));
            }
        }
        if (c.op() == BinlogOp.DDL) {
            Alarm a = ddlAlarm(c, AlarmStatus.FIRING);
            out.alarm(a);
            if (s.ddlFiring.size() >= 100) {
                out.alarm(ended(s.ddlFiring.remove(0), c.time()));
            }
            s.ddlFiring.add(a);
            return;
        }
        long bucket = Math.floorDiv(t, st.bucketMillis());
        if (s.metricBucket >= 0 && bucket > s.metricBucket) {
            flushMetrics(s, st, out);
        }
        if (s.metricBucket < 0 || bucket > s.metricBucket) {
            s.metricBucket = bucket;
        }
        switch (c.op()) {
            case CREATE -> s.inserts++;
            case UPDATE -> s.updates++;
            case DELETE -> s.deletes++;
            default -> { }
        }
        if (s.partGtid != null && !s.partGtid.equals(c.gtid()) && s.partRows > 0) {
            emitPart(s, out);
        }
        s.partGtid = c.gtid();
        s.partTime = t;
        if (++s.partRows >= st.txnPartRows()) {
            emitPart(s, out);
        }
        int op = c.op() == BinlogOp.UPDATE ? 0 : c.op() == BinlogOp.DELETE ? 1 : -1;
        if (op >= 0) {
            int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
            if (s.ringBucket[slot] != bucket) {
                if (s.ringBucket[slot] > bucket) {
                    return; // older than the last minute of this table: counted in the rates only
                }
                s.ringBucket[slot] = bucket;
                s.ring[0][slot] = 0;
                s.ring[1][slot] = 0;
            }
            s.ring[op][slot]++;
            long total = lastMinute(s, op, bucket);
            double threshold = massThreshold(s, st);
            if (total > threshold) {
                s.lastAbove[op] = t;
                s.peak[op] = Math.max(s.peak[op], total);
                if (s.firingSince[op] < 0) {
                    s.firingSince[op] = t;
                    out.alarm(massAlarm(s, op, AlarmStatus.FIRING, c.time(), null, total, threshold));
                }
            }
        }
    }

    /** Time passes ({@code now}: wall-clock ms): flushes buckets and pieces, resolves alarms that went quiet. */
    public static void onTick(State s, long now, Settings st, Out out) {
        while (!s.ddlFiring.isEmpty() && now - s.ddlFiring.get(0).startsAt().toEpochMilli() >= st.ddlContextMillis()) {
            out.alarm(ended(s.ddlFiring.remove(0), Instant.ofEpochMilli(now)));
        }
        if (s.metricBucket >= 0 && (s.metricBucket + 2) * st.bucketMillis() <= now) {
            flushMetrics(s, st, out);
            s.metricBucket = -1;
        }
        if (s.partRows > 0 && now - s.partTime >= st.bucketMillis()) {
            emitPart(s, out);
        }
        long bucket = Math.floorDiv(now, st.bucketMillis());
        double threshold = massThreshold(s, st);
        for (int op = 0; op < 2; op++) {
            if (s.firingSince[op] >= 0 && lastMinute(s, op, bucket) <= threshold / 2 && now - s.lastAbove[op] >= st.quietMillis()) {
                out.alarm(massAlarm(s, op, AlarmStatus.RESOLVED, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now), s.peak[op], threshold));
                s.firingSince[op] = -1;
                s.peak[op] = 0;
            }
        }
        if (s.protectedSince >= 0 && now - s.protectedLast >= st.quietMillis()) {
            out.alarm(protectedAlarm(s, AlarmStatus.RESOLVED, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now), null));
            s.protectedSince = -1;
            s.protectedWrites = 0;
        }
    }

    static double massThreshold(State s, Settings st) {
        double t = st.massRowsPerMinute();
        if (!Double.isNaN(s.estimatedRows) && s.estimatedRows >= st.massMinTableRows()) {
            t = Math.min(t, st.massTableFraction() * s.estimatedRows);
        }
        return t;
    }

    private static long lastMinute(State s, int op, long bucket) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (s.ringBucket[i] > bucket - BUCKETS && s.ringBucket[i] <= bucket) {
                total += s.ring[op][i];
            }
        }
        return total;
    }

    private static void emitPart(State s, Out out) {
        out.part(new TxnPart(s.instance, s.partGtid, s.database + "." + s.table, s.partRows, s.partTime));
        s.partRows = 0;
    }

    private static void flushMetrics(State s, Settings st, Out out) {
        long rows = s.inserts + s.updates + s.deletes;
        if (rows > 0) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("inserts", (double) s.inserts);
            f.put("updates", (double) s.updates);
            f.put("deletes", (double) s.deletes);
            f.put("rows", (double) rows);
            f.put("rows_per_s", rows * 1000.0 / st.bucketMillis());
            out.sample(new MetricSample(MetricSample.SCHEMA, Instant.ofEpochMilli(s.metricBucket * st.bucketMillis()), s.instance, "binlog_table",
                    Map.of("db", s.database, "table", s.table), f, null));
        }
        s.inserts = 0;
        s.updates = 0;
        s.deletes = 0;
    }

    private static Alarm ended(Alarm a, Instant at) {
        return new Alarm(a.schema(), at, a.id(), AlarmStatus.RESOLVED, a.type(), a.severity(), a.instance(), a.host(), a.rule(), a.summary(),
                a.value(), a.threshold(), a.labels(), a.startsAt(), at);
    }

    static Alarm ddlAlarm(BinlogChange c, AlarmStatus status) {
        String table = c.table() == null ? c.database() : c.database() + "." + c.table();
        String who = c.user() == null ? "" : " by " + c.user();
        String summary = String.format(Locale.ROOT, "DDL on %s at %s%s: %s", table == null ? c.instance().id() : table, c.time(), who,
                abbreviate(c.ddl(), 300));
        Map<String, String> labels = new LinkedHashMap<>();
        if (table != null) {
            labels.put("table", table);
        }
        labels.put("gtid", String.valueOf(c.gtid()));
        labels.put("statement", abbreviate(c.ddl(), 2000));
        if (c.user() != null) {
            labels.put("user", c.user());
        }
        return new Alarm(Alarm.SCHEMA, c.time(), "binlog_ddl/" + c.instance().id() + "/" + c.gtid() + "/" + c.eventIndex(), status, "binlog_ddl",
                Severity.INFO, c.instance(), c.instance().host(), "binlog.ddl", summary, null, null, labels, c.time(),
                status == AlarmStatus.RESOLVED ? c.time() : null);
    }

    private static Alarm massAlarm(State s, int op, AlarmStatus status, Instant time, Instant ended, long rows, double threshold) {
        String type = op == 0 ? "binlog_mass_update" : "binlog_mass_delete";
        String table = s.database + "." + s.table;
        String size = Double.isNaN(s.estimatedRows) ? "" : String.format(Locale.ROOT, " (about %.0f rows in the table)", s.estimatedRows);
        String summary = status == AlarmStatus.FIRING
                ? String.format(Locale.ROOT, "mass %s on %s of %s: %,d rows in a minute%s", op == 0 ? "UPDATE" : "DELETE", table, s.instance.id(), rows, size)
                : String.format(Locale.ROOT, "mass %s on %s of %s over (peak %,d rows in a minute)", op == 0 ? "UPDATE" : "DELETE", table,
                        s.instance.id(), rows);
        return new Alarm(Alarm.SCHEMA, time, type + "/" + s.instance.id() + "/" + table, status, type, Severity.CRITICAL, s.instance, s.instance.host(),
                "binlog." + type.substring(7), summary, (double) rows, threshold, Map.of("table", table), Instant.ofEpochMilli(s.firingSince[op]), ended);
    }

    private static Alarm protectedAlarm(State s, AlarmStatus status, Instant time, Instant ended, String what) {
        String table = s.database + "." + s.table;
        String summary = status == AlarmStatus.FIRING ? "write to protected table " + table + " on " + s.instance.id() + ": " + what
                + "; protected by " + s.protectedRule
                : String.format(Locale.ROOT, "writes to protected table %s on %s stopped (%,d changes)", table, s.instance.id(), s.protectedWrites);
        return new Alarm(Alarm.SCHEMA, time, "binlog_protected_write/" + s.instance.id() + "/" + table, status, "binlog_protected_write",
                Severity.CRITICAL, s.instance, s.instance.host(), "binlog.protected_write", summary, (double) s.protectedWrites, null,
                Map.of("table", table, "protection", s.protectedRule == null ? "" : s.protectedRule), Instant.ofEpochMilli(s.protectedSince), ended);
    }

    private static String opWord(BinlogOp op) {
        return switch (op) {
            case CREATE -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
            case DDL -> "DDL";
        };
    }

    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
