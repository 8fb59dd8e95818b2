package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The digest of entries read in place ({@link SlowLogParser#next(RawEntry)}, {@link Digest#add(RawEntry)}) against
 * the digest of fully parsed entries ({@link SlowLogParser#next()}, {@link Digest#add(SlowLogEntry)}): the same
 * document, every class, count, statistic and example, on the conformance logs, generated MySQL 8.0 and MariaDB
 * logs, and those logs with their lines mutated (the unusual headers the in-place reading hands to the full parser:
 * banners, repeated or odd time lines, administrator commands, explain lines, empty Schema, header-only entries,
 * odd SET and User@Host lines, non-numeric values, a cut tail).
 */
class RawEntryDigestTest {

    @TestFactory
    Stream<DynamicTest> inPlaceReadingDigestsLikeTheFullParser() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (SlowLogGenerator.Format format : SlowLogGenerator.Format.values()) {
            String log = generated(format, 3000);
            tests.add(DynamicTest.dynamicTest("generated " + format, () -> assertSameDigest(log)));
            for (int seed = 1; seed <= 6; seed++) {
                String mutated = mutate(log, new Random(seed));
                tests.add(DynamicTest.dynamicTest("mutated " + format + " " + seed, () -> assertSameDigest(mutated)));
            }
        }
        Path logs = PtQueryDigestConformanceTest.CONFORMANCE.resolve("slowlogs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.list(logs)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                        try (InputStream in = SlowLogParser.maybeGunzip(Files.newInputStream(f))) {
                            assertSameDigest(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static String generated(SlowLogGenerator.Format format, int entries) throws IOException {
        StringWriter w = new StringWriter();
        new SlowLogGenerator(format, 7).write(w, entries);
        return w.toString();
    }

    private static final String[] ODD_LINES = {
        "# Time: 251125 10:00:16", "# Time: 2025-11-25T10:00:99.1Z", "# Time: nonsense", "# administrator command: Quit;",
        "# explain: id\tselect_type\ttable", "# Schema:   Last_errno: 0", "# Schema: shop  Last_errno: 0  Killed: 0",
        "SET timestamp=1764064816, insert_id=5;", "SET last_insert_id=7;", "SET timestamp = 1;", "use other;",
        "# User@Host: [app] @ localhost []", "# User@Host: app[app] @  [10.0.0.1]  Id: 9", "# User@Host: app @ x",
        "# Query_time: 1e-3  Lock_time: abc Rows_sent: .5  Rows_examined: 007", "# Full_scan: Yes  Tmp_table: No",
        "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:",
        "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock", "Time                 Id Command    Argument",
        "# Rows_affected: 3  Bytes_sent: 99", "# Query_time: 0.5", "SELECT 1;", "", "#", "# ", "use ;",
    };

    /** The log with lines dropped, doubled and odd ones put in, at random. */
    private static String mutate(String log, Random r) {
        String[] lines = log.split("\n", -1);
        StringBuilder out = new StringBuilder(log.length() + 4096);
        for (String line : lines) {
            int dice = r.nextInt(100);
            if (dice < 2) {
                continue;
            }
            if (dice < 4) {
                out.append(line).append('\n');
            } else if (dice < 8) {
                out.append(ODD_LINES[r.nextInt(ODD_LINES.length)]).append('\n');
            }
            out.append(line).append('\n');
        }
        // and a cut tail, mid-entry
        return out.substring(0, out.length() - r.nextInt(200));
    }

    private static void assertSameDigest(String log) throws IOException {
        byte[] bytes = log.getBytes(StandardCharsets.ISO_8859_1);
        Digest full = new Digest(Fingerprinter.pt());
        long fullProblems;
        try (SlowLogParser parser = new SlowLogParser(new ByteArrayInputStream(bytes))) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                full.add(e);
            }
            fullProblems = parser.problemCount();
        }
        Digest inPlace = new Digest(Fingerprinter.pt());
        long inPlaceProblems;
        int raw = 0;
        try (SlowLogParser parser = new SlowLogParser(new ByteArrayInputStream(bytes))) {
            RawEntry entry = new RawEntry();
            for (int kind = parser.next(entry); kind != SlowLogParser.END; kind = parser.next(entry)) {
                if (kind == SlowLogParser.RAW) {
                    inPlace.add(entry);
                    raw++;
                } else {
                    inPlace.add(parser.entry());
                }
            }
            inPlaceProblems = parser.problemCount();
        }
        JsonNode expected = DigestJson.document(full, full.ranked(), List.of());
        JsonNode actual = DigestJson.document(inPlace, inPlace.ranked(), List.of());
        assertThat(actual).isEqualTo(expected);
        assertThat(inPlace.count()).isEqualTo(full.count());
        assertThat(inPlace.invalidQueryTimes()).isEqualTo(full.invalidQueryTimes());
        assertThat(inPlaceProblems).isEqualTo(fullProblems);
        if (log.length() > 100_000) {
            assertThat(raw).as("entries read in place").isGreaterThan((int) (inPlace.count() / 2));
        }
    }
}
