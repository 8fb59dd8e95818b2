package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sketch holds exactly one count per value in the value's bucket, however the values came in: one
 * by one (across the waiting list's size), in parts merged in any order, copied, or written and read.
 */
class LogHistogramTest {

    /** How many values, how many parts they come in, and how they are drawn. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("none", 0, 1, "spread"),
                Arguments.of("one", 1, 1, "spread"),
                Arguments.of("one short of the waiting list", 15, 1, "spread"),
                Arguments.of("exactly the waiting list", 16, 1, "spread"),
                Arguments.of("one past it", 17, 1, "spread"),
                Arguments.of("the same value many times", 100, 3, "constant"),
                Arguments.of("zeros and negatives in bucket 0", 40, 2, "tiny"),
                Arguments.of("many values, many parts", 5_000, 7, "spread"),
                Arguments.of("parts smaller than the waiting list", 50, 20, "spread"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void holdsEveryValueInItsBucket(String why, int n, int parts, String draw) throws Exception {
        Random r = new Random(n * 31L + parts);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (draw) {
                case "constant" -> 0.25;
                case "tiny" -> r.nextBoolean() ? 0 : -r.nextDouble();
                default -> Math.exp(r.nextGaussian() * 3 - 3);
            };
        }
        Map<Integer, Long> exact = new TreeMap<>();
        LogHistogram whole = new LogHistogram();
        LogHistogram[] part = new LogHistogram[parts];
        for (int p = 0; p < parts; p++) {
            part[p] = new LogHistogram();
        }
        for (int i = 0; i < n; i++) {
            exact.merge(LogHistogram.index(values[i]), 1L, Long::sum);
            whole.add(values[i]);
            part[i % parts].add(values[i]);
        }
        LogHistogram merged = new LogHistogram();
        for (int p = parts - 1; p >= 0; p--) {
            merged.merge(part[p]);
        }
        assertThat(whole.count()).isEqualTo(n);
        assertThat(merged.count()).isEqualTo(n);
        byte[] expected = bytes(exact);
        assertThat(bytes(whole)).isEqualTo(expected);
        assertThat(bytes(merged)).isEqualTo(expected);
        assertThat(bytes(whole.copy())).isEqualTo(expected);
        for (double q : new double[] {0.01, 0.5, 0.95, 0.99, 1}) {
            assertThat(merged.quantile(q)).isEqualTo(whole.quantile(q));
        }
    }

    private static byte[] bytes(LogHistogram h) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        h.write(out);
        return out.getCopyOfBuffer();
    }

    /** The expected sketch's bytes, written from the exact counts in the sketch's format. */
    private static byte[] bytes(Map<Integer, Long> exact) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        LogHistogram.writeVar(out, exact.size());
        int previous = 0;
        for (var e : exact.entrySet()) {
            LogHistogram.writeVar(out, e.getKey() - previous);
            LogHistogram.writeVar(out, e.getValue());
            previous = e.getKey();
        }
        return out.getCopyOfBuffer();
    }
}
