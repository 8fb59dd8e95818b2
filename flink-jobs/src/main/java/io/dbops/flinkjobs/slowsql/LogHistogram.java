package io.dbops.flinkjobs.slowsql;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A mergeable sketch of a positive distribution: counts in logarithmic buckets 2% wide from one
 * microsecond up, so any quantile is known within 1% relative error whatever the number of values,
 * and two windows' sketches merge by adding counts. Sparse: it stores only the buckets in use, as
 * sorted (bucket, count) pairs, so a window with a handful of queries costs a handful of bytes in
 * Flink state.
 */
public final class LogHistogram implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final double MIN = 1e-6;
    private static final double GROWTH = 1.02;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private int[] buckets = new int[0];
    private long[] counts = new long[0];
    private int used;
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

    /**
     * Adds a value. Its bucket waits in a small unsorted list and joins the sorted pairs with the next
     * ones, in one merge: a window's or combiner's sketch gets a few values at a time among many
     * thousands of sketches, and a search and an insertion per value in arrays that are rarely in the
     * cache cost more than the rest of adding a slow query.
     */
    public void add(double v) {
        if (pending == null) {
            pending = new int[PENDING];
        }
        pending[waiting++] = index(v);
        total++;
        if (waiting == PENDING) {
            settle();
        }
    }

    private static final int PENDING = 16;
    private int[] pending;
    private int waiting;

    /** Moves the waiting buckets into the sorted pairs. */
    private void settle() {
        if (waiting == 0) {
            return;
        }
        Arrays.sort(pending, 0, waiting);
        int[] b = new int[waiting];
        long[] c = new long[waiting];
        int n = 0;
        for (int i = 0; i < waiting; i++) {
            if (n > 0 && b[n - 1] == pending[i]) {
                c[n - 1]++;
            } else {
                b[n] = pending[i];
                c[n++] = 1;
            }
        }
        waiting = 0;
        mergeSorted(b, c, n);
    }

    /**
     * Adds {@code n} sorted (bucket, count) pairs to this sketch's in one pass from the back, in place
     * when the arrays have room (they grow by half), so a sketch that lives long does not turn every
     * few values into new arrays; {@code total} is the caller's.
     */
    private void mergeSorted(int[] b, long[] c, int n) {
        int size = used + n;
        if (size > buckets.length) {
            int grown = Math.max(size, buckets.length + (buckets.length >> 1) + 4);
            buckets = Arrays.copyOf(buckets, grown);
            counts = Arrays.copyOf(counts, grown);
        }
        int i = used - 1;
        int j = n - 1;
        int k = size - 1;
        while (j >= 0) {
            if (i >= 0 && buckets[i] > b[j]) {
                buckets[k] = buckets[i];
                counts[k--] = counts[i--];
            } else if (i >= 0 && buckets[i] == b[j]) {
                buckets[k] = buckets[i];
                counts[k--] = counts[i--] + c[j--];
            } else {
                buckets[k] = b[j];
                counts[k--] = c[j--];
            }
        }
        // equal buckets left gaps: the merged pairs sit at k + 1 .. size - 1, the untouched ones at 0 .. i
        int merged = size - 1 - k;
        if (k > i) {
            System.arraycopy(buckets, k + 1, buckets, i + 1, merged);
            System.arraycopy(counts, k + 1, counts, i + 1, merged);
        }
        used = i + 1 + merged;
    }

    public void merge(LogHistogram other) {
        other.settle();
        settle();
        mergeSorted(other.buckets, other.counts, other.used);
        total += other.total;
    }

    public long count() {
        return total;
    }

    /** The q-quantile (0..1) by nearest rank, 0 when empty. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        settle();
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < used; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return value(buckets[i]);
            }
        }
        return value(buckets[used - 1]);
    }

    /** A copy that shares no array with this one. */
    LogHistogram copy() {
        settle();
        LogHistogram c = new LogHistogram();
        c.buckets = Arrays.copyOf(buckets, used);
        c.counts = Arrays.copyOf(counts, used);
        c.used = used;
        c.total = total;
        return c;
    }

    /**
     * Writes the buckets in use: their number, then each bucket as the gap from the previous one
     * and its count, as variable-length integers (a window's buckets are near one another and most
     * counts are small, so a pair takes about two bytes instead of twelve: every checkpoint writes
     * every open partial's sketch).
     */
    void write(DataOutputView out) throws IOException {
        settle();
        writeVar(out, used);
        int previous = 0;
        for (int i = 0; i < used; i++) {
            writeVar(out, buckets[i] - previous);
            writeVar(out, counts[i]);
            previous = buckets[i];
        }
    }

    /** Reads what {@link #write} wrote into this empty sketch. */
    void read(DataInputView in) throws IOException {
        long n = readVar(in);
        if (n > Integer.MAX_VALUE) {
            throw new IOException("slow-SQL sketch: " + n + " buckets");
        }
        buckets = new int[(int) n];
        counts = new long[(int) n];
        int previous = 0;
        for (int i = 0; i < n; i++) {
            buckets[i] = previous + (int) readVar(in);
            counts[i] = readVar(in);
            total += counts[i];
            previous = buckets[i];
        }
        used = (int) n;
        waiting = 0;
    }

    /** A non-negative number in 7-bit groups, low first, the high bit saying another group follows. */
    static void writeVar(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVar(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IOException("slow-SQL sketch: a number longer than 64 bits");
    }
}
