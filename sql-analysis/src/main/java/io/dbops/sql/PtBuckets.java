package io.dbops.sql;

/**
 * pt-query-digest's value distribution: 1000 logarithmic buckets, each 5% wider than the last,
 * from 1 microsecond up. Median, 95th percentile and standard deviation are computed from the
 * buckets exactly as pt's EventAggregator does, quirks included, so our numbers equal its numbers.
 * Only the range of buckets in use is stored.
 */
final class PtBuckets {
    static final int NUM_BUCKETS = 1000;
    private static final double BUCKET_SIZE = 1.05;
    private static final double MIN_BUCKET = 0.000001;
    private static final double BASE_LOG = Math.log(BUCKET_SIZE);
    private static final double BASE_OFFSET = Math.abs(1 - Math.log(MIN_BUCKET) / BASE_LOG);
    private static final double[] BUCKET_VALUES = new double[NUM_BUCKETS];

    static {
        for (int i = 1; i < NUM_BUCKETS; i++) {
            BUCKET_VALUES[i] = Math.pow(BUCKET_SIZE, i - 1) * MIN_BUCKET;
        }
    }

    /**
     * The first values' buckets, one element per value, before there are enough to pay for the dense range: most
     * classes of a digest see a few dozen values spread over hundreds of buckets, and a range array for each of
     * their attributes was most of a large digest's memory (and of its garbage collection).
     */
    private int[] sparse = new int[4];
    private int sparseSize;
    private int low = -1;
    private int[] counts = new int[0];
    private static final int MAX_SPARSE = 32;

    static int index(double value) {
        if (value < MIN_BUCKET) {
            return 0;
        }
        int idx = (int) (BASE_OFFSET + Math.log(value) / BASE_LOG);
        return Math.min(idx, NUM_BUCKETS - 1);
    }

    void add(double value) {
        addIndex(index(value));
    }

    /** Counts a value whose bucket the caller already computed (one log() for class and global). */
    void addIndex(int idx) {
        if (sparse != null) {
            if (sparseSize == sparse.length) {
                if (sparseSize == MAX_SPARSE) {
                    dense();
                    addIndex(idx, 1);
                    return;
                }
                sparse = java.util.Arrays.copyOf(sparse, sparseSize * 2);
            }
            sparse[sparseSize++] = idx;
            return;
        }
        addIndex(idx, 1);
    }

    /** Moves the values kept one by one into the dense range (before anything reads the distribution). */
    private void dense() {
        if (sparse == null) {
            return;
        }
        int[] values = sparse;
        int n = sparseSize;
        sparse = null;
        sparseSize = 0;
        for (int i = 0; i < n; i++) {
            addIndex(values[i], 1);
        }
    }

    private void addIndex(int idx, int n) {
        if (low < 0) {
            low = idx;
            counts = new int[4];
        } else if (idx < low) {
            int[] grown = new int[counts.length + (low - idx)];
            System.arraycopy(counts, 0, grown, low - idx, counts.length);
            counts = grown;
            low = idx;
        } else if (idx - low >= counts.length) {
            int[] grown = new int[Math.max(idx - low + 1, counts.length * 2)];
            System.arraycopy(counts, 0, grown, 0, counts.length);
            counts = grown;
        }
        counts[idx - low] += n;
    }

    /** Adds another distribution's counts. */
    void merge(PtBuckets other) {
        if (other.sparse != null) {
            for (int i = 0; i < other.sparseSize; i++) {
                addIndex(other.sparse[i]);
            }
            return;
        }
        dense();
        for (int i = 0; i < other.counts.length; i++) {
            if (other.counts[i] > 0) {
                addIndex(other.low + i, other.counts[i]);
            }
        }
    }

    /** The lowest bucket in use, -1 when empty. */
    int low() {
        dense();
        return low;
    }

    /** The highest bucket in use, -1 when empty. */
    int high() {
        dense();
        return low < 0 ? -1 : low + counts.length - 1;
    }

    /** Count in one bucket. */
    int countAt(int bucket) {
        dense();
        return count(bucket);
    }

    /** The value pt assigns to a bucket (its lower bound). */
    static double value(int bucket) {
        return BUCKET_VALUES[bucket];
    }

    private int count(int bucket) {
        int i = bucket - low;
        return low < 0 || i < 0 || i >= counts.length ? 0 : counts[i];
    }

    /** {median, pct_95, stddev} for {@code n} values with the given min and max, as pt computes them. */
    double[] stats(long n, double min, double max) {
        dense();
        if (n == 0) {
            return new double[] {0, 0, 0};
        }
        if (n == 1 || max == min) {
            return new double[] {max, max, 0};
        }
        if (n == 2) {
            double mean = (min + max) / 2;
            return new double[] {mean, max, Math.sqrt(Math.pow(max - mean, 2) * 2)};
        }
        long cutoff = n >= 10 ? (long) (n * 0.95) : n;
        long totalLeft = n;
        long topValues = n - cutoff;
        long sumExcl = 0;
        double sum = 0;
        double sumSq = 0;
        long mid = n / 2;
        double median = 0;
        int prev = NUM_BUCKETS - 1;
        int bucket95 = 0;
        for (int b = Math.min(NUM_BUCKETS - 1, low + counts.length - 1); b >= low && b >= 0; b--) {
            int val = count(b);
            if (val == 0) {
                continue;
            }
            totalLeft -= val;
            sumExcl += val;
            if (bucket95 == 0 && sumExcl > topValues) {
                bucket95 = b;
            }
            if (median == 0 && totalLeft <= mid) {
                median = (cutoff % 2 != 0 || val > 1) ? BUCKET_VALUES[b] : (BUCKET_VALUES[b] + BUCKET_VALUES[prev]) / 2;
            }
            sum += val * BUCKET_VALUES[b];
            sumSq += val * BUCKET_VALUES[b] * BUCKET_VALUES[b];
            prev = b;
        }
        double var = sumSq / n - Math.pow(sum / n, 2);
        double stddev = var > 0 ? Math.sqrt(var) : 0;
        double maxStddev = (max - min) / 2;
        return new double[] {median, BUCKET_VALUES[bucket95], Math.min(stddev, maxStddev)};
    }
}
