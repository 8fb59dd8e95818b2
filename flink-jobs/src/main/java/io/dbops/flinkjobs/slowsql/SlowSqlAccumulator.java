package io.dbops.flinkjobs.slowsql;

import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.events.Stats;
import java.io.Serializable;

/**
 * What one window keeps for one (instance, query id): counts, sums, extremes, a query-time sketch,
 * the slowest example and the first time seen. Merge is exact for everything but the quantiles,
 * which stay within 1% (see {@link LogHistogram}). A plain class so the window function is trivial
 * and the arithmetic is tested on its own.
 */
public final class SlowSqlAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    long count;
    Moments queryTime = new Moments();
    Moments lockTime = new Moments();
    Moments rowsSent = new Moments();
    Moments rowsExamined = new Moments();
    LogHistogram queryTimeSketch = new LogHistogram();
    InstanceRef instance;
    String queryId;
    String fingerprint;
    String database;
    String example;
    String exampleExplain;
    double exampleQueryTime = -1;
    long firstSeenMillis = Long.MAX_VALUE;
    /** The latest event time added: a partial's timestamp, which places it in its window. */
    long lastSeenMillis = Long.MIN_VALUE;

    public void add(SlowQuery q) {
        add(SlowSample.of(q));
    }

    public void add(SlowSample q) {
        count++;
        queryTime.add(q.queryTime);
        queryTimeSketch.add(q.queryTime);
        if (!Double.isNaN(q.lockTime)) {
            lockTime.add(q.lockTime);
        }
        if (q.rowsSent >= 0) {
            rowsSent.add(q.rowsSent);
        }
        if (q.rowsExamined >= 0) {
            rowsExamined.add(q.rowsExamined);
        }
        if (fingerprint == null) {
            fingerprint = q.fingerprint;
            queryId = q.queryId;
            instance = q.instance();
        }
        if (database == null) {
            database = q.database;
        }
        if (q.queryTime > exampleQueryTime) {
            exampleQueryTime = q.queryTime;
            example = q.query;
            exampleExplain = q.explain;
        }
        firstSeenMillis = Math.min(firstSeenMillis, q.time);
        lastSeenMillis = Math.max(lastSeenMillis, q.time);
    }

    public SlowSqlAccumulator merge(SlowSqlAccumulator other) {
        count += other.count;
        queryTime.merge(other.queryTime);
        lockTime.merge(other.lockTime);
        rowsSent.merge(other.rowsSent);
        rowsExamined.merge(other.rowsExamined);
        queryTimeSketch.merge(other.queryTimeSketch);
        if (fingerprint == null) {
            fingerprint = other.fingerprint;
            queryId = other.queryId;
            instance = other.instance;
        }
        database = database != null ? database : other.database;
        if (other.exampleQueryTime > exampleQueryTime) {
            exampleQueryTime = other.exampleQueryTime;
            example = other.example;
            exampleExplain = other.exampleExplain;
        }
        firstSeenMillis = Math.min(firstSeenMillis, other.firstSeenMillis);
        lastSeenMillis = Math.max(lastSeenMillis, other.lastSeenMillis);
        return this;
    }

    /** A deep copy: merging into either never changes the other. */
    public SlowSqlAccumulator copy() {
        SlowSqlAccumulator c = new SlowSqlAccumulator();
        c.count = count;
        c.queryTime = queryTime.copy();
        c.lockTime = lockTime.copy();
        c.rowsSent = rowsSent.copy();
        c.rowsExamined = rowsExamined.copy();
        c.queryTimeSketch = queryTimeSketch.copy();
        c.instance = instance;
        c.queryId = queryId;
        c.fingerprint = fingerprint;
        c.database = database;
        c.example = example;
        c.exampleExplain = exampleExplain;
        c.exampleQueryTime = exampleQueryTime;
        c.firstSeenMillis = firstSeenMillis;
        c.lastSeenMillis = lastSeenMillis;
        return c;
    }

    /** The key of the window this accumulates: instance and query id (null before the first query). */
    public String key() {
        return instance == null ? null : SlowSample.key(instance.id(), queryId);
    }

    /** The latest event time seen, {@link Long#MIN_VALUE} when empty. */
    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    public long count() {
        return count;
    }

    /** Query-time statistics with p50/p95/p99 from the sketch, clamped into [min, max]. */
    public Stats queryTimeStats() {
        Stats base = queryTime.stats();
        return new Stats(base.sum(), base.min(), base.max(), base.avg(), clamp(queryTimeSketch.quantile(0.95)),
                clamp(queryTimeSketch.quantile(0.50)), clamp(queryTimeSketch.quantile(0.99)));
    }

    /** The digest of this window; {@code time} is the window end. */
    public io.dbops.events.SlowSqlDigest toDigest(java.time.Instant windowStart, java.time.Instant windowEnd) {
        return new io.dbops.events.SlowSqlDigest(io.dbops.events.SlowSqlDigest.SCHEMA, windowEnd, windowStart, windowEnd,
                instance, queryId, fingerprint, database, count, queryTimeStats(),
                lockTime.isEmpty() ? null : lockTime.stats(), rowsSent.isEmpty() ? null : rowsSent.stats(),
                rowsExamined.isEmpty() ? null : rowsExamined.stats(), example,
                firstSeenMillis == Long.MAX_VALUE ? null : java.time.Instant.ofEpochMilli(firstSeenMillis), exampleExplain);
    }

    private double clamp(double v) {
        return Math.max(queryTime.min, Math.min(queryTime.max, v));
    }

    /** Count, sum and extremes of one attribute. */
    static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;
        long n;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double v) {
            n++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        void merge(Moments o) {
            n += o.n;
            sum += o.sum;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
        }

        Moments copy() {
            Moments c = new Moments();
            c.merge(this);
            return c;
        }

        boolean isEmpty() {
            return n == 0;
        }

        /** Without a sketch, p95 is the maximum: an upper bound, never an underestimate. */
        Stats stats() {
            return new Stats(sum, n == 0 ? 0 : min, n == 0 ? 0 : max, n == 0 ? 0 : sum / n, n == 0 ? 0 : max);
        }
    }
}
