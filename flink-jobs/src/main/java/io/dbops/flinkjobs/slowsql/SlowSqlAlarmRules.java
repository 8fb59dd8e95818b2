package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import io.dbops.events.SlowSqlDigest;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The slow-SQL alarm rules over window digests, as plain functions of an instance's state:
 * <ul>
 *   <li>{@value #NEW}: a query id first seen on an instance after its warm-up, with a window total
 *       time over a threshold; it resolves with the query's next window.</li>
 *   <li>{@value #REGRESSION}: p95 or calls over the query's baseline (an average of past windows)
 *       by a factor, with a minimum number of calls; windows in regression do not move the
 *       baseline; it resolves with the first normal window.</li>
 *   <li>{@value #BURST}: the total slow time of an instance in one window over a threshold,
 *       decided when the window closes; it resolves with the first window under it.</li>
 * </ul>
 * State per instance is bounded: query states unseen for {@link #FORGET_AFTER_MILLIS} are dropped,
 * window totals are dropped when their window closes.
 */
public final class SlowSqlAlarmRules {
    public static final String NEW = "slow_query_new";
    public static final String REGRESSION = "slow_query_regression";
    public static final String BURST = "slow_query_burst";
    static final long FORGET_AFTER_MILLIS = 7L * 24 * 3600 * 1000;

    /** What the rules remember about one instance. */
    public static final class InstanceState implements Serializable {
        private static final long serialVersionUID = 1L;
        long firstWindowStart = -1;
        final Map<String, QueryState> queries = new HashMap<>();
        final TreeMap<Long, Double> windowTotals = new TreeMap<>();
        long burstStartedAt = -1;
    }

    /** What the rules remember about one query id on one instance. */
    static final class QueryState implements Serializable {
        private static final long serialVersionUID = 1L;
        long lastWindowEnd = -1;
        double lastWindowTotal;
        int windows;
        double baselineP95;
        double baselineCalls;
        long regressionStartedAt = -1;
        long newFiredAt = -1;
    }

    private SlowSqlAlarmRules() {
    }

    /** Applies one digest; returns the alarms it raises or resolves. */
    public static List<Alarm> onDigest(InstanceState s, SlowSqlDigest d, SlowSqlThresholds t) {
        List<Alarm> out = new ArrayList<>();
        long start = d.windowStart().toEpochMilli();
        long end = d.windowEnd().toEpochMilli();
        if (s.firstWindowStart < 0 || start < s.firstWindowStart) {
            s.firstWindowStart = start;
        }
        QueryState q = s.queries.computeIfAbsent(d.queryId(), k -> new QueryState());
        double total = d.queryTimeSec().sum();
        if (q.lastWindowEnd == end) {
            // a late update of a window already seen: correct the instance total, do not judge twice
            s.windowTotals.merge(end, total - q.lastWindowTotal, Double::sum);
            q.lastWindowTotal = total;
            return out;
        }
        s.windowTotals.merge(end, total, Double::sum);
        q.lastWindowTotal = total;

        if (q.newFiredAt >= 0) {
            out.add(alarm(NEW, d, AlarmStatus.RESOLVED, Severity.WARNING, total, t.newMinTotalSeconds(), q.newFiredAt, end,
                    "query " + d.queryId() + " is no longer new"));
            q.newFiredAt = -1;
        } else if (q.windows == 0 && start - s.firstWindowStart >= t.warmUp().toMillis() && total >= t.newMinTotalSeconds()) {
            q.newFiredAt = end;
            out.add(alarm(NEW, d, AlarmStatus.FIRING, Severity.WARNING, total, t.newMinTotalSeconds(), end, null,
                    String.format(Locale.ROOT, "new slow query on %s: %.1f s in %d calls", d.instance().id(), total, d.calls())));
        }

        boolean hasBaseline = q.windows >= Math.min(3, t.baselineWindows());
        double p95 = d.queryTimeSec().p95();
        boolean regressed = hasBaseline && d.calls() >= t.regressionMinCalls()
                && (p95 > t.regressionFactor() * q.baselineP95 || d.calls() > t.regressionFactor() * q.baselineCalls);
        if (regressed && q.regressionStartedAt < 0) {
            q.regressionStartedAt = end;
            double ratio = q.baselineP95 > 0 ? p95 / q.baselineP95 : Double.POSITIVE_INFINITY;
            out.add(alarm(REGRESSION, d, AlarmStatus.FIRING, Severity.WARNING, p95, t.regressionFactor() * q.baselineP95, end, null,
                    String.format(Locale.ROOT, "slow query regressed on %s: p95 %.3f s (baseline %.3f s, x%.1f), %d calls (baseline %.0f)",
                            d.instance().id(), p95, q.baselineP95, ratio, d.calls(), q.baselineCalls)));
        } else if (!regressed && q.regressionStartedAt >= 0) {
            out.add(alarm(REGRESSION, d, AlarmStatus.RESOLVED, Severity.WARNING, p95, t.regressionFactor() * q.baselineP95,
                    q.regressionStartedAt, end, "slow query back to its baseline on " + d.instance().id()));
            q.regressionStartedAt = -1;
        }
        if (!regressed) {
            double alpha = 2.0 / (t.baselineWindows() + 1);
            q.baselineP95 = q.windows == 0 ? p95 : q.baselineP95 + alpha * (p95 - q.baselineP95);
            q.baselineCalls = q.windows == 0 ? d.calls() : q.baselineCalls + alpha * (d.calls() - q.baselineCalls);
        }
        q.windows++;
        q.lastWindowEnd = end;
        return out;
    }

    /** Judges the instance's total for a window that can no longer change; forgets old state. */
    public static List<Alarm> onWindowClosed(InstanceState s, InstanceRef instance, long windowStart, long windowEnd,
                                             SlowSqlThresholds t) {
        List<Alarm> out = new ArrayList<>();
        Double total = s.windowTotals.remove(windowEnd);
        s.windowTotals.headMap(windowEnd).clear();
        s.queries.values().removeIf(q -> q.lastWindowEnd < windowEnd - FORGET_AFTER_MILLIS);
        double value = total == null ? 0 : total;
        if (value >= t.burstTotalSeconds() && s.burstStartedAt < 0) {
            s.burstStartedAt = windowEnd;
            out.add(burst(instance, AlarmStatus.FIRING, value, t, windowStart, windowEnd, windowEnd, null));
        } else if (value < t.burstTotalSeconds() && s.burstStartedAt >= 0) {
            out.add(burst(instance, AlarmStatus.RESOLVED, value, t, windowStart, windowEnd, s.burstStartedAt, windowEnd));
            s.burstStartedAt = -1;
        }
        return out;
    }

    private static Alarm burst(InstanceRef i, AlarmStatus status, double value, SlowSqlThresholds t, long windowStart, long windowEnd,
                               long startedAt, Long endedAt) {
        return new Alarm(Alarm.SCHEMA, Instant.ofEpochMilli(windowEnd), BURST + "/" + i.id(), status, BURST, Severity.CRITICAL, i,
                i.host(), "slowsql." + BURST, String.format(Locale.ROOT, "%.1f s of slow queries on %s between %s and %s", value,
                i.id(), Instant.ofEpochMilli(windowStart), Instant.ofEpochMilli(windowEnd)), value, t.burstTotalSeconds(),
                Map.of("window_start", Instant.ofEpochMilli(windowStart).toString()), Instant.ofEpochMilli(startedAt),
                endedAt == null ? null : Instant.ofEpochMilli(endedAt));
    }

    private static Alarm alarm(String type, SlowSqlDigest d, AlarmStatus status, Severity severity, double value, double threshold,
                               long startedAt, Long endedAt, String summary) {
        String fp = d.fingerprint() == null ? "" : d.fingerprint();
        return new Alarm(Alarm.SCHEMA, d.windowEnd(), type + "/" + d.instance().id() + "/" + d.queryId(), status, type, severity,
                d.instance(), d.instance().host(), "slowsql." + type, summary, value, threshold,
                Map.of("query_id", d.queryId(), "fingerprint", fp.length() > 200 ? fp.substring(0, 200) : fp,
                        "window_start", d.windowStart().toString()),
                Instant.ofEpochMilli(startedAt), endedAt == null ? null : Instant.ofEpochMilli(endedAt));
    }
}
