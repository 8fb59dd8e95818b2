package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
    /** ../shared/conformance beside the project root, or $DBOPS_CONFORMANCE. */
    static final Path CONFORMANCE = System.getenv("DBOPS_CONFORMANCE") != null ? Path.of(System.getenv("DBOPS_CONFORMANCE"))
            : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/conformance");
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
        PtComparison.assertMatches(ours, JSON.readTree(expectedFile.toFile()));
    }
}
