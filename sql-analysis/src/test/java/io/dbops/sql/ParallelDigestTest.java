package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A log cut into parts digested on several threads gives the sequential digest: every part starts with the time and
 * database in force at its cut (read from just before it), entries are read in place, and the parts are merged in order.
 */
class ParallelDigestTest {

    @ParameterizedTest
    @EnumSource(SlowLogGenerator.Format.class)
    void partsGiveTheSequentialDigest(SlowLogGenerator.Format format, @TempDir Path dir) throws IOException {
        StringWriter w = new StringWriter();
        new SlowLogGenerator(format, 5).write(w, 12_000);
        Path log = dir.resolve("slow.log");
        Files.writeString(log, w.toString(), StandardCharsets.ISO_8859_1);
        assertThat(Files.size(log)).isGreaterThan(ParallelDigest.MIN_SPLIT_BYTES);

        Digest sequential = new Digest(Fingerprinter.pt());
        try (SlowLogParser parser = SlowLogParser.open(log)) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                sequential.add(e);
            }
        }
        JsonNode expected = DigestJson.document(sequential, sequential.ranked(), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int parts : new int[] {2, 3, 5}) {
                Digest parallel = new Digest(Fingerprinter.pt());
                assertThat(ParallelDigest.digest(log, parallel, pool, parts).problemCount()).isZero();
                JsonNode actual = DigestJson.document(parallel, parallel.ranked(), List.of());
                // sums are added in another order, so compare what does not depend on it exactly and the rest as numbers
                assertThat(actual.get("classes").size()).isEqualTo(expected.get("classes").size());
                // classes whose total times differ in the last bits may swap places: compare them by id
                java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
                actual.get("classes").forEach(c -> byId.put(c.get("checksum").asText(), c));
                for (JsonNode e : expected.get("classes")) {
                    JsonNode a = byId.get(e.get("checksum").asText());
                    assertThat(a).as("%d parts, class %s", parts, e.get("checksum")).isNotNull();
                    assertThat(a.get("query_count")).isEqualTo(e.get("query_count"));
                    assertThat(a.get("ts_min")).isEqualTo(e.get("ts_min"));
                    assertThat(a.get("ts_max")).isEqualTo(e.get("ts_max"));
                    assertThat(a.get("example")).isEqualTo(e.get("example"));
                    e.get("metrics").fields().forEachRemaining(m -> m.getValue().fields().forEachRemaining(stat -> {
                        JsonNode got = a.get("metrics").get(m.getKey()).get(stat.getKey());
                        if (stat.getValue().asText().matches("-?[0-9.]+")) {
                            assertThat(got.asDouble()).as("%s.%s", m.getKey(), stat.getKey())
                                    .isCloseTo(stat.getValue().asDouble(), org.assertj.core.data.Offset.offset(2e-6));
                        } else {
                            assertThat(got).isEqualTo(stat.getValue());
                        }
                    }));
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
