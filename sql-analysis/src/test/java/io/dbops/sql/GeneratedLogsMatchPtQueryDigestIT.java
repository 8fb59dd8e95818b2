package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large generated logs in the MySQL 8.0 and MariaDB formats, digested by us and by the real
 * pt-query-digest (Debian's percona-toolkit, installed by ./dbops test) in the same run.
 */
class GeneratedLogsMatchPtQueryDigestIT {

    @ParameterizedTest
    @EnumSource(SlowLogGenerator.Format.class)
    void generatedLogDigestsExactlyLikePtQueryDigest(SlowLogGenerator.Format format, @TempDir Path dir) throws Exception {
        Path log = dir.resolve(format + ".log");
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            new SlowLogGenerator(format, 42).write(w, 20_000);
        }
        Process pt = new ProcessBuilder("pt-query-digest", "--type", "slowlog", "--output", "json", "--limit", "100%",
                "--no-version-check", log.toString()).redirectErrorStream(false).start();
        byte[] ptOut = pt.getInputStream().readAllBytes();
        assertThat(pt.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(pt.exitValue()).as("pt-query-digest (apt package percona-toolkit) must be installed: ./dbops test installs it").isZero();
        JsonNode expected = new ObjectMapper().readTree(ptOut);

        Digest digest = new Digest(Fingerprinter.pt());
        try (SlowLogParser parser = SlowLogParser.open(log)) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                digest.add(e);
            }
            assertThat(parser.problemCount()).isZero();
        }
        JsonNode ours = DigestJson.document(digest, digest.ranked(), List.of());
        Digest parallel = new Digest(Fingerprinter.pt());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            assertThat(ParallelDigest.digest(log, parallel, pool, 3).problemCount()).isZero();
        } finally {
            pool.shutdownNow();
        }
        JsonNode oursParallel = DigestJson.document(parallel, parallel.ranked(), List.of());
        assertThat(ours.get("classes").size()).isGreaterThan(50);
        assertThat(ours.get("global").get("query_count").asLong()).isEqualTo(expected.get("global").get("query_count").asLong());
        PtComparison.assertMatches(ours, expected);
        // cut into parts on several threads: the same classes and numbers (sums may differ in the
        // last bits, as floating-point addition is not associative; pt's tolerance covers that)
        assertThat(oursParallel.get("global").get("query_count")).isEqualTo(ours.get("global").get("query_count"));
        PtComparison.assertMatches(oursParallel, expected);
    }
}
