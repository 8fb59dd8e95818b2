package io.dbops.flinkjobs.slowsql;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A mergeable sketch of a positive distribution: counts in logarithmic buckets 2% wide from one
 * microsecond up, so any quantile is known within 1% relative error whatever the number of values,
 * and two windows' sketches merge by adding counts. Only the range of buckets in use is stored.
 */
public final class LogHistogram implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double MIN = 1e-6;
    private static final double GROWTH = 1.02;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private int low = -1;
    private long[] counts = new long[0];
    private long total;

    static int index(double value) {
        if (value <= MIN) {
            return 0;
        }
        return 1 + (int) (Math.log(value / MIN) / LOG_GROWTH);
    }

    /** A value representing bucket {@code i}: the geometric middle of its bounds. */
    static double value(int i) {
        if (i == 0) {
            return 0;
        }
        return MIN * Math.pow(GROWTH, i - 0.5);
    }

    public void add(double v) {
        add(index(v), 1);
    }

    private void add(int idx, long n) {
        if (low < 0) {
            low = idx;
            counts = new long[8];
        } else if (idx < low) {
            long[] grown = new long[counts.length + (low - idx)];
            System.arraycopy(counts, 0, grown, low - idx, counts.length);
            counts = grown;
            low = idx;
        } else if (idx - low >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(idx - low + 1, counts.length * 2));
        }
        counts[idx - low] += n;
        total += n;
    }

    public void merge(LogHistogram other) {
        for (int i = 0; i < other.counts.length; i++) {
            if (other.counts[i] > 0) {
                add(other.low + i, other.counts[i]);
            }
        }
    }

    public long count() {
        return total;
    }

    /** The q-quantile (0..1) by nearest rank, 0 when empty. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return value(low + i);
            }
        }
        return value(low + counts.length - 1);
    }
}
