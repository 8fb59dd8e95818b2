package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DigestJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0.000000",
        "-0.0, 0.000000",
        "0.000010, 0.000010",
        "8.6013, 8.601300",
        "0.0000005, 0.000000",   // below half a unit after binary rounding: 5e-7 is 4.99999...e-7
        "0.0000015, 0.000002",
        "1.0000005, 1.000001",   // the exact binary value is just above the tie
        "2.5e-7, 0.000000",
        "-1.25, -1.250000",
        "-1e-9, 0.000000",       // rounds to zero: no minus sign, like the exact method
        "123456789.123456789, 123456789.123457",
        "1e12, 1000000000000.000000",
        "3971.711774, 3971.711774",
    })
    void sixDecimalsRoundsLikeCPrintf(double value, String expected) {
        assertThat(DigestJson.sixDecimals(value)).isEqualTo(expected);
    }

    @Test
    void classesRenderedOnSeveralThreadsGiveTheSameBytes() throws Exception {
        java.io.StringWriter log = new java.io.StringWriter();
        new SlowLogGenerator(SlowLogGenerator.Format.MYSQL8, 3).write(log, 8000);
        Digest digest = new Digest(Fingerprinter.pt());
        try (SlowLogParser parser = new SlowLogParser(new java.io.ByteArrayInputStream(
                log.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                digest.add(e);
            }
        }
        java.util.List<QueryClass> classes = digest.ranked();
        assertThat(classes).hasSizeGreaterThan(1000);
        java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
        DigestJson.write(digest, classes, java.util.List.of(new DigestJson.FileInfo("slow.log", 1)), one);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int threads : new int[] {2, 3, 7}) {
                java.io.ByteArrayOutputStream many = new java.io.ByteArrayOutputStream();
                DigestJson.write(digest, classes, java.util.List.of(new DigestJson.FileInfo("slow.log", 1)), many, pool, threads);
                assertThat(many.toString(java.nio.charset.StandardCharsets.UTF_8)).as("%d threads", threads)
                        .isEqualTo(one.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void fastPathAgreesWithExactRoundingOnManyValues() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble() * 10;
                case 1 -> Math.round(r.nextDouble() * 1e7) / 1e7; // values on a 7th-decimal grid: near ties
                case 2 -> Math.pow(10, r.nextDouble() * 14 - 7);
                default -> r.nextInt(1_000_000) / 1e6 + 0.0000005;
            };
            String exact = new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
            assertThat(DigestJson.sixDecimals(v)).as("%s", v).isEqualTo(exact);
        }
    }

    @Test
    void mysqlTimestampsBecomeIso() {
        assertThat(DigestJson.timestamp("071218 11:48:27")).isEqualTo("2007-12-18 11:48:27");
        assertThat(DigestJson.timestamp("071218  1:48:27.5")).isEqualTo("2007-12-18 01:48:27.500000");
        assertThat(DigestJson.timestamp("2020-01-02T03:04:05.123456Z")).isEqualTo("2020-01-02T03:04:05.123456Z");
    }
}
