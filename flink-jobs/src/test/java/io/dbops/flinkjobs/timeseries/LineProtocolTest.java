package io.dbops.flinkjobs.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Stats;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

    @Test
    void aDigestIsOneLineTaggedByIdentityAndQueryIdAtItsWindowStart() {
        InstanceRef i = new InstanceRef("db 1,a=b", Engine.MARIADB, "orders", "host-7", 3306, "trade");
        Instant start = Instant.parse("2026-11-25T10:00:00Z");
        SlowSqlDigest d = new SlowSqlDigest(1, start.plusSeconds(60), start, start.plusSeconds(60), i, "ABC", "select ?", "shop", 12,
                new Stats(6.0, 0.1, 2.0, 0.5, 1.5, 0.4, 1.9), null, null, new Stats(1200, 100, 100, 100, 100), "SELECT 1", start);
        assertThat(LineProtocol.slowSql(d)).isEqualTo("slowsql,instance=db\\ 1\\,a\\=b,engine=mariadb,cluster=orders,host=host-7,"
                + "business_line=trade,query_id=ABC calls=12i,query_time_sum=6.0,query_time_max=2.0,query_time_avg=0.5,"
                + "query_time_p95=1.5,query_time_p50=0.4,query_time_p99=1.9,rows_examined_sum=1200.0 1795600800000000000");
    }

    @Test
    void absentTagsAndFieldsAreLeftOut() {
        InstanceRef i = new InstanceRef("db-1", Engine.MYSQL, null, "h", null, null);
        Instant start = Instant.EPOCH;
        SlowSqlDigest d = new SlowSqlDigest(1, start, start, start, i, "Q", "f", null, 1, new Stats(1, 1, 1, 1, 1), null, null, null,
                null, null);
        assertThat(LineProtocol.slowSql(d)).isEqualTo("slowsql,instance=db-1,engine=mysql,host=h,query_id=Q calls=1i,"
                + "query_time_sum=1.0,query_time_max=1.0,query_time_avg=1.0,query_time_p95=1.0 0000000");
    }

    /** A metric sample as the collectors send it, with {@code fields} given as name, value pairs (null: NULL). */
    private static io.dbops.events.MetricSample sample(String measurement, java.util.Map<String, String> tags, Object... fields) {
        java.util.Map<String, Double> f = new java.util.LinkedHashMap<>();
        for (int k = 0; k < fields.length; k += 2) {
            f.put((String) fields[k], (Double) fields[k + 1]);
        }
        return new io.dbops.events.MetricSample(io.dbops.events.MetricSample.SCHEMA, Instant.ofEpochMilli(1_700_000_000_123L),
                new InstanceRef("db-1", Engine.MARIADB, "orders", "h1", 3306, "trade"), measurement, tags, f, null);
    }

    @Test
    void aMetricSampleIsOneLineOfItsFieldsTaggedByIdentityAndItsOwnTags() {
        String id = "mysql_status,instance=db-1,engine=mariadb,cluster=orders,host=h1,business_line=trade";
        String ts = " 1700000000123000000";
        record Case(String what, io.dbops.events.MetricSample in, String line) {
        }
        for (Case c : java.util.List.of(
                new Case("integral values without a fraction, others in full", sample("mysql_status", null, "questions", 12.0,
                        "ratio", 0.25, "big", 1e16, "neg", -3.0), id + " questions=12,ratio=0.25,big=1.0E16,neg=-3" + ts),
                new Case("NULL, NaN and infinite fields left out", sample("mysql_status", null, "lag", null, "a", Double.NaN, "b",
                        Double.POSITIVE_INFINITY, "c", 1.0), id + " c=1" + ts),
                new Case("nothing left: no line", sample("mysql_status", null, "lag", null), null),
                new Case("own tags sorted, info.* tags left out", sample("mysql_status", java.util.Map.of("z", "1", "a", "2",
                        "info.user", "app"), "x", 1.0), id + ",a=2,z=1 x=1" + ts),
                new Case("one own tag", sample("mysql_status", java.util.Map.of("role", "primary"), "x", 1.0),
                        id + ",role=primary x=1" + ts),
                new Case("commas, spaces and equals escaped where the protocol needs it; a newline an escaped space",
                        sample("my status,x", java.util.Map.of("k=1", "v 1,\n"), "f=1 a,b", 2.0),
                        "my\\ status\\,x" + id.substring("mysql_status".length()) + ",k\\=1=v\\ 1\\,\\  f\\=1\\ a\\,b=2" + ts))) {
            assertThat(LineProtocol.metric(c.in())).as(c.what()).isEqualTo(c.line());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "20.0, 20", "-3.0, -3", "0.25, 0.25", "-2.5, -2.5", "12.3456, 12.3456", "0.001, 0.001", "0.0125, 0.0125",
            "1234567.125, 1234567.125", "0.3333333333333333, 0.333333333333333", "2.0000000000000004, 2", "1.0E16, 1.0E16",
            "5.0E-4, 5.0E-4", "123456789012.5, 123456789012.5", "100.01, 100.01", "1.05, 1.05",
    })
    void numbers(double v, String text) {
        StringBuilder sb = new StringBuilder();
        LineProtocol.number(sb, v);
        assertThat(sb.toString()).isEqualTo(text);
    }

    @Test
    void fractionsReadBackWithinTheirLastDigit() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 200_000; i++) {
            double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(19) - 3);
            StringBuilder sb = new StringBuilder();
            LineProtocol.number(sb, v);
            double back = Double.parseDouble(sb.toString());
            assertThat(back).as("%s written %s", v, sb).isCloseTo(v, org.assertj.core.data.Offset.offset(Math.abs(v) * 1e-14));
        }
    }
}
