package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A distribution is the same whether its values were kept one by one (the first 32) or in the dense
 * range, and whether it was built in one piece or merged from two parts split anywhere.
 */
class PtBucketsTest {

    @ParameterizedTest(name = "{0} values, split after {1}")
    @CsvSource({"1, 0", "1, 1", "5, 2", "31, 31", "32, 16", "33, 32", "33, 1", "64, 40", "100, 0", "100, 99", "500, 250"})
    void mergedPartsEqualTheWholeOnEitherSideOfTheListLimit(int n, int split) {
        Random random = new Random(n * 31L + split);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.exp(random.nextGaussian() * 3 - 4);
        }
        PtBuckets whole = new PtBuckets();
        PtBuckets first = new PtBuckets();
        PtBuckets second = new PtBuckets();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            whole.add(values[i]);
            (i < split ? first : second).add(values[i]);
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        first.merge(second);

        // the reference: every value's bucket counted in a plain array
        int[] expected = new int[PtBuckets.NUM_BUCKETS];
        for (double v : values) {
            expected[PtBuckets.index(v)]++;
        }
        for (PtBuckets b : new PtBuckets[] {whole, first}) {
            for (int bucket = 0; bucket < PtBuckets.NUM_BUCKETS; bucket++) {
                assertThat(b.countAt(bucket)).as("bucket %d", bucket).isEqualTo(expected[bucket]);
            }
            assertThat(b.low()).isEqualTo(firstNonZero(expected));
            assertThat(b.stats(n, min, max)).containsExactly(whole.stats(n, min, max));
        }
    }

    private static int firstNonZero(int[] counts) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                return i;
            }
        }
        return -1;
    }
}
