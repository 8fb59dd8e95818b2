package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our digest of the percona-toolkit test suite's slow logs against what pt-query-digest 3.2.1
 * printed for them (../shared/conformance, beside the project; skipped when absent): the same
 * classes by checksum, the same counts, the same time sums/min/max, the same row sums, and
 * median/95th percentile equal (we reproduce pt's bucket method; the contract allows 5%).
 */
class PtQueryDigestConformanceTest {
    static final Path CONFORMANCE = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/conformance");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyLogDigestsLikePtQueryDigest() throws IOException {
        Path logs = CONFORMANCE.resolve("slowlogs");
        Assumptions.assumeTrue(Files.isDirectory(logs), "conformance data not found at " + logs + ": skipped");
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path log) throws IOException {
        Digest digest = new Digest(Fingerprinter.pt());
        try (SlowLogParser parser = SlowLogParser.open(log)) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                digest.add(e);
            }
        }
        JsonNode ours = DigestJson.document(digest, digest.ranked(), List.of());
        Path expectedFile = CONFORMANCE.resolve("pt-query-digest").resolve(log.getFileName() + ".json");
        if (!Files.exists(expectedFile)) {
            // pt printed no report for these (empty, or entries pt cannot attribute); slow039/040 are gzip,
            // which pt-query-digest does not read itself: we must read them as the text logs they hold
            if (!log.getFileName().toString().endsWith(".gz")) {
                assertThat(ours.get("classes")).as("pt found no classes in %s", log).isEmpty();
            }
            return;
        }
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        Map<String, JsonNode> ourClasses = new HashMap<>();
        ours.get("classes").forEach(c -> ourClasses.put(c.get("checksum").asText(), c));
        List<String> expectedIds = new ArrayList<>();
        expected.get("classes").forEach(c -> expectedIds.add(c.get("checksum").asText()));
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(ourClasses.keySet()).as("checksums").containsExactlyInAnyOrderElementsOf(expectedIds);
        for (JsonNode pt : expected.get("classes")) {
            JsonNode our = ourClasses.get(pt.get("checksum").asText());
            if (our == null) {
                continue;
            }
            String id = pt.get("fingerprint").asText();
            soft.assertThat(our.get("fingerprint").asText()).as("fingerprint").isEqualTo(id);
            soft.assertThat(our.get("query_count").asLong()).as("%s query_count", id).isEqualTo(pt.get("query_count").asLong());
            for (String attr : List.of("Query_time", "Lock_time")) {
                JsonNode p = pt.get("metrics").get(attr);
                if (p == null) {
                    continue;
                }
                JsonNode o = our.get("metrics").get(attr);
                soft.assertThat(o).as("%s %s present", id, attr).isNotNull();
                if (o == null) {
                    continue;
                }
                for (String stat : List.of("sum", "min", "max")) {
                    soft.assertThat(o.get(stat).asDouble()).as("%s %s %s", id, attr, stat).isCloseTo(p.get(stat).asDouble(), within(1e-6));
                }
                for (String stat : List.of("median", "pct_95")) {
                    double e = p.get(stat).asDouble();
                    soft.assertThat(o.get(stat).asDouble()).as("%s %s %s", id, attr, stat).isCloseTo(e, within(1e-6));
                }
            }
            pt.get("metrics").fieldNames().forEachRemaining(attr -> {
                if (attr.startsWith("Rows_")) {
                    JsonNode o = our.get("metrics").get(attr);
                    soft.assertThat(o).as("%s %s present", id, attr).isNotNull();
                    if (o != null) {
                        soft.assertThat(o.get("sum").asLong()).as("%s %s sum", id, attr).isEqualTo(pt.get("metrics").get(attr).get("sum").asLong());
                    }
                }
            });
        }
        soft.assertAll();
    }
}
