package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real profiler document of ../shared/conformance/mongo-profiles (MongoDB 2.6 to 3.6, 19
 * kinds of operation) gets the fingerprint, namespace, collection, database and keys that
 * pt-mongodb-query-digest gives it; skipped with a message when the folder is absent.
 */
class MongoFingerprintConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> profilesGetPtMongodbQueryDigestsFingerprints() throws IOException {
        Path profiles = PtQueryDigestConformanceTest.CONFORMANCE.resolve("mongo-profiles");
        Path answers = PtQueryDigestConformanceTest.CONFORMANCE.resolve("mongo-fingerprints");
        Assumptions.assumeTrue(Files.isDirectory(profiles), "conformance data not found at " + profiles + ": skipped");
        List<Path> files;
        try (Stream<Path> s = Files.list(profiles)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(90);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = JSON.readValue(f.toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, String> expected = JSON.readValue(answers.resolve(f.getFileName()).toFile(), Map.class);
            MongoFingerprint fp = MongoFingerprint.of(doc);
            assertThat(fp.fingerprint()).isEqualTo(expected.get("Fingerprint"));
            assertThat(fp.namespace()).isEqualTo(expected.get("Namespace"));
            assertThat(fp.operation()).isEqualTo(expected.get("Operation"));
            assertThat(fp.collection()).isEqualTo(expected.get("Collection"));
            assertThat(fp.database()).isEqualTo(expected.get("Database"));
            assertThat(String.join(",", fp.keys())).isEqualTo(expected.get("Keys"));
        }));
    }

    @Test
    void valuesNeverEnterTheFingerprint() {
        Map<String, Object> a = Map.of("op", "query", "ns", "shop.orders", "command",
                Map.of("find", "orders", "filter", Map.of("user", 42, "state", Map.of("$in", List.of("new", "paid")))));
        Map<String, Object> b = Map.of("op", "query", "ns", "shop.orders", "command",
                Map.of("find", "orders", "filter", Map.of("state", "x", "user", 7)));
        assertThat(MongoFingerprint.of(a).fingerprint()).isEqualTo("FIND orders state,user");
        assertThat(MongoFingerprint.of(a).queryId()).isEqualTo(MongoFingerprint.of(b).queryId());
    }
}
