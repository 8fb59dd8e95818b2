package io.dbops.flinkjobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.rules.CompiledRules;
import io.dbops.flinkjobs.rules.RulePack;
import io.dbops.flinkjobs.timeseries.LineProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-pass read must agree with the careful one ({@link ParseMetricSamples} + {@link LineProtocol#metric}) on every
 * record: the same dead letters with the same reasons, the same sample but for the fields no rule keeps, and a line the
 * store reads as the same values.
 */
class SampleReaderTest {
    static final long NOW = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
    static final CompiledRules RULES = new CompiledRules(List.of(RulePack.parse("default", MetricsJobMain.defaultPack()),
            RulePack.parse("t", """
                    pack: t
                    counters:
                      s: [questions, com_*]
                    rules:
                      - {id: hot, value: s.threads_running, op: '>', threshold: 40}
                    """)));
    static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "orders", "h1", 3306, "trade");

    @Test
    void generatedSamplesReadOnceAgreeWithTheCarefulRead() {
        Random r = new Random(11);
        String[] measurements = {"s", "mysql_status", "up", "redis_info", "mysql_replication", "inventory", "MySQL_Status"};
        String[] names = {"questions", "com_select", "COM_Insert", "threads_running", "uptime", "bytes_received", "up", "lag",
                "seconds_behind_master", "io_running", "removed", "used_memory", "f=1 a,b", "Innodb_Rows_Read"};
        int onePass = 0;
        for (int i = 0; i < 3_000; i++) {
            Map<String, Double> f = new LinkedHashMap<>();
            int n = r.nextInt(names.length) + (i % 50 == 0 ? 0 : 1);
            for (int k = 0; k < n; k++) {
                f.put(names[r.nextInt(names.length)], value(r));
            }
            Map<String, String> tags = r.nextInt(5) == 0 ? Map.of("role", "primary", "info.user", "app") : null;
            long t = NOW - r.nextInt(100_000);
            MetricSample s = new MetricSample(MetricSample.SCHEMA, Instant.ofEpochMilli(t), DB,
                    measurements[r.nextInt(measurements.length)], tags, f, r.nextInt(10) == 0 ? "timeout" : null);
            if (agree(record(i % 97 == 0 ? "db-2" : "db-1", EventCodec.toBytes(s)))) {
                onePass++;
            }
        }
        assertThat(onePass).as("records read in one pass, leaving fields out").isGreaterThan(1_000);
    }

    private static Double value(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> null;
            case 1 -> -r.nextDouble() * 100;
            case 2 -> r.nextDouble() * 1e20;
            case 3 -> r.nextDouble() * 1e-6;
            case 4 -> (double) r.nextInt(1000);
            case 5 -> 1e7 + r.nextInt(1000);
            default -> r.nextDouble() * 1000;
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exponents written in every way JSON allows|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"questions\":1E+5,\"uptime\":2e5,\"x\":-3.5E-7,\"y\":0,\"z\":-0}}",
            "a number too big for a double|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":1e400}}",
            "a big exponent that is still finite|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":1e300,\"questions\":3}}",
            "a long mantissa|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":123456789012345678901234567890123456789}}",
            "the measurement after the fields|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"fields\":{\"threads_running\":50,\"uptime\":1},\"measurement\":\"s\"}",
            "an inventory removal keeps its field|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"inventory\",\"fields\":{\"removed\":1}}",
            "a sample from last week|{\"schema\":1,\"time\":\"2026-11-30T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":1}}",
            "a string where a number goes|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":\"1\"}}",
            "no fields at all|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\"}",
            "only NULLs|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":null,\"threads_running\":null}}",
            "a later schema version|{\"schema\":99,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":1}}",
            "truncated|{\"schema\":1,\"time\":\"2026-12-07T09:59:00Z\",\"instance\":{\"id\":\"db-1\",\"engine\":\"mariadb\",\"host\":\"h1\"},\"measurement\":\"s\",\"fields\":{\"uptime\":1",
            "not JSON|uptime=1",
    })
    void documentsWrittenByHand(String what, String json) {
        agree(record("db-1", json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0} finite for sure: {1}")
    @CsvSource({
            "1, true", "-0, true", "1.5E7, true", "1e99, true", "1e-99, true", "1E+99, true", "1e100, false", "1e-100, false",
            "123456789012345678901234567890, true", "1234567890123456789012345678901, false", "1e308, false",
    })
    void finiteWithoutConverting(String text, boolean sure) {
        char[] padded = ("[" + text + "]").toCharArray();
        assertThat(SampleReader.surelyFinite(padded, 1, text.length())).isEqualTo(sure);
        if (sure) {
            assertThat(Double.parseDouble(text)).isFinite();
        }
    }

    private static RawRecord record(String key, byte[] value) {
        return new RawRecord("dbops.metrics", 0, 0, key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Checks one record; true when the one-pass read left fields out (it took the one-pass path). */
    private static boolean agree(RawRecord r) {
        SampleReader.Read fast = new SampleReader(true).read(r, NOW, RULES);
        ParseMetricSamples.Parsed careful = ParseMetricSamples.read(r, NOW);
        String doc = new String(r.value(), StandardCharsets.UTF_8);
        if (careful.deadLetter() != null) {
            assertThat(fast.deadLetter()).as(doc).isNotNull();
            assertThat(fast.deadLetter().reason()).as(doc).isEqualTo(careful.deadLetter().reason());
            assertThat(fast.sample()).isNull();
            return false;
        }
        assertThat(fast.deadLetter()).as(doc).isNull();
        MetricSample all = careful.sample();
        MetricSample kept = fast.sample();
        assertThat(kept.time()).isEqualTo(all.time());
        assertThat(kept.instance()).isEqualTo(all.instance());
        assertThat(kept.measurement()).isEqualTo(all.measurement());
        assertThat(kept.tags()).isEqualTo(all.tags());
        assertThat(kept.error()).isEqualTo(all.error());
        CompiledRules.Measurement plan = RULES.measurement(all.measurement().toLowerCase(Locale.ROOT));
        Map<String, Double> expectedKept = new HashMap<>();
        all.fields().forEach((k, v) -> {
            if (plan.field(k).kept()) {
                expectedKept.put(k, v);
            }
        });
        // every kept field, with its value; others only when the record took the careful path
        assertThat(kept.fields()).as(doc).containsAllEntriesOf(expectedKept);
        assertThat(all.fields()).as(doc).containsAllEntriesOf(kept.fields());
        List<Object> line = parts(fast.line());
        List<Object> reference = parts(LineProtocol.metric(all));
        if (reference == null) {
            assertThat(line).as(doc).isNull();
            return kept.fields().size() < all.fields().size();
        }
        assertThat(line).as(doc).isNotNull();
        assertThat(line.get(0)).as(doc).isEqualTo(reference.get(0));
        assertThat(line.get(2)).as(doc).isEqualTo(reference.get(2));
        @SuppressWarnings("unchecked") Map<String, Double> values = (Map<String, Double>) line.get(1);
        @SuppressWarnings("unchecked") Map<String, Double> expected = (Map<String, Double>) reference.get(1);
        assertThat(values.keySet()).as(doc).isEqualTo(expected.keySet());
        // the reference writes fractions to 15 significant digits; the one-pass line copies the JSON's text
        expected.forEach((k, v) -> assertThat(values.get(k)).as(doc + " " + k).isCloseTo(v, org.assertj.core.data.Offset.offset(Math.abs(v) * 1e-14)));
        return kept.fields().size() < all.fields().size();
    }

    /** A line as the store reads it: measurement and tags, each field's value as a double, the time. */
    private static List<Object> parts(String line) {
        if (line == null) {
            return null;
        }
        String[] p = line.split("(?<!\\\\) ");
        assertThat(p).hasSize(3);
        Map<String, Double> fields = new HashMap<>();
        for (String f : p[1].split("(?<!\\\\),")) {
            int eq = f.lastIndexOf('=');
            fields.put(f.substring(0, eq), Double.parseDouble(f.substring(eq + 1)));
        }
        List<Object> out = new ArrayList<>();
        out.add(p[0]);
        out.add(fields);
        out.add(p[2]);
        return out;
    }
}
