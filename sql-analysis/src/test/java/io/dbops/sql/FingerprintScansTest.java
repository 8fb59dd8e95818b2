package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scan of {@link FingerprintScans} against the regular expression it replaces (the one
 * Fingerprinter used to run, kept here as the reference), on the queries of generated MySQL and
 * MariaDB logs, of the percona-toolkit conformance logs when present, and on random mutations of
 * them built from the characters and words the rules care about.
 */
class FingerprintScansTest {

    record Rule(String name, UnaryOperator<String> scan, UnaryOperator<String> regex) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rule> rules() {
        return Stream.of(
                new Rule("escaped quotes", FingerprintScans::removeEscapedQuotes, q -> RegexFingerprinter.ESCAPED_QUOTE.matcher(q).replaceAll("")),
                new Rule("double quotes", q -> FingerprintScans.replaceQuoted(q, '"'), q -> RegexFingerprinter.DOUBLE_QUOTED.matcher(q).replaceAll("?")),
                new Rule("single quotes", q -> FingerprintScans.replaceQuoted(q, '\''), q -> RegexFingerprinter.SINGLE_QUOTED.matcher(q).replaceAll("?")),
                new Rule("strict quotes", FingerprintScans::replaceStrictQuoted, FingerprintScansTest::strictQuotedByRegex),
                new Rule("booleans", FingerprintScans::replaceBooleans, q -> RegexFingerprinter.BOOLEAN.matcher(q).replaceAll("?")),
                new Rule("null", FingerprintScans::replaceNull, q -> RegexFingerprinter.NULL.matcher(q).replaceAll("?")),
                new Rule("in/values lists", FingerprintScans::collapseLists, q -> RegexFingerprinter.IN_VALUES_LIST.matcher(q).replaceAll("$1(?+)")),
                new Rule("limit", FingerprintScans::collapseLimit, q -> RegexFingerprinter.LIMIT.matcher(q).replaceFirst("limit ?")),
                new Rule("asc after order by", FingerprintScans::dropAscAfterOrderBy, RegexFingerprinter::dropAscAfterOrderBy),
                new Rule("repeated union", FingerprintScans::collapseUnions,
                        q -> RegexFingerprinter.REPEATED_UNION.matcher(q).replaceAll("$1 /*repeat$2*/")),
                new Rule("before literals: percona-toolkit", q -> String.valueOf(FingerprintScans.perconaToolkit(ByteText.of(q))),
                        q -> String.valueOf(RegexFingerprinter.PERCONA_TOOLKIT.matcher(q).find())),
                new Rule("before literals: call", q -> FingerprintScans.onString(q, FingerprintScans::call),
                        q -> {
                            java.util.regex.Matcher m = RegexFingerprinter.CALL.matcher(q);
                            return m.lookingAt() ? Fingerprinter.asciiLower(m.group(1)) : q;
                        }),
                new Rule("before literals: multi-row insert", q -> {
                    int end = FingerprintScans.multiRowInsertEnd(ByteText.of(q));
                    return end < 0 ? q : q.substring(0, end);
                }, q -> {
                    java.util.regex.Matcher m = RegexFingerprinter.MULTI_ROW_INSERT.matcher(q);
                    return m.lookingAt() ? m.group(1) : q;
                }),
                new Rule("before literals: comments", q -> FingerprintScans.onString(q, FingerprintScans::removeComments),
                        q -> RegexFingerprinter.MULTI_LINE_COMMENT.matcher(q).replaceAll("")),
                new Rule("before literals: line comments", q -> FingerprintScans.onString(q, FingerprintScans::removeLineComments),
                        q -> RegexFingerprinter.ONE_LINE_COMMENT.matcher(q).replaceAll("")));
    }

    /** The strict quote rule by its regular expression; null where that overflows the stack (a long literal). */
    private static String strictQuotedByRegex(String q) {
        try {
            return RegexFingerprinter.STRICT_QUOTED.matcher(q).replaceAll("?");
        } catch (StackOverflowError e) {
            return null;
        }
    }

    @ParameterizedTest
    @MethodSource("rules")
    void scanEqualsItsRegularExpressionOnRealAndMutatedQueries(Rule rule) throws IOException {
        List<String> queries = corpus();
        assertThat(queries).hasSizeGreaterThan(5_000);
        for (String q : queries) {
            for (String variant : List.of(q, Fingerprinter.normalizeSpaceAndCase(q))) {
                String expected = rule.regex().apply(variant);
                if (expected != null) {
                    assertThat(rule.scan().apply(variant)).as("%s of %s", rule, variant).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Fingerprinter.Mode.class)
    void literalRulesEqualTheAllRegexOnesOnRealAndMutatedQueries(Fingerprinter.Mode mode) throws IOException {
        Fingerprinter scans = new Fingerprinter(mode);
        RegexFingerprinter regex = new RegexFingerprinter(mode);
        int compared = 0;
        for (String q : corpus()) {
            String expected;
            try {
                expected = regex.abstractLiterals(q);
            } catch (StackOverflowError e) {
                continue; // the strict quote expression on a long literal: the scan has no such limit
            }
            assertThat(scans.abstractLiterals(q)).as("literal rules on %s", q).isEqualTo(expected);
            compared++;
        }
        assertThat(compared).isGreaterThan(20_000);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Fingerprinter.Mode.class)
    void fingerprintOfTheLogsBytesEqualsTheFingerprintOfTheString(Fingerprinter.Mode mode) throws IOException {
        Fingerprinter fp = new Fingerprinter(mode);
        Fingerprinter.Scratch scratch = new Fingerprinter.Scratch();
        for (String q : corpus()) {
            // the query inside a larger buffer, as the digest reads it from the log
            byte[] log = ("# x\n" + q + ";\n#").getBytes(StandardCharsets.ISO_8859_1);
            String expected;
            try {
                expected = fp.fingerprint(q);
            } catch (StackOverflowError e) {
                continue; // a regular expression of the rare rules on a huge literal, the same either way
            }
            assertThat(fp.fingerprint(log, 4, 4 + q.length(), scratch).toString()).as("fingerprint of %s", q).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        select * from t where a in (?, ?) and b in(?)          | select * from t where a in(?+) and b in(?+)
        insert into t values (?,?),(?,?)                        | insert into t values(?+)
        insert into t value (?)                                 | insert into t value(?+)
        select min(?) from t where x in (select ?)              | select min(?) from t where x in (select ?)
        select * from join_in (?)                               | select * from join_in (?)
        select * from t limit ?, ?                              | select * from t limit ?
        select * from t limit ? offset ?                        | select * from t limit ?
        select * from t order by a asc, b asc                   | select * from t order by a, b
        select * from t order by x ascii                        | select * from t order by xii
        select * from t order by ascii asc                      | select * from t order by ascii
        select true, false, trueish, TRUE_1, x_true             | select ?, ?, trueish, TRUE_1, x_true
        select null, nullable, is_null                          | select ?, nullable, is_null
        """)
    void documentedCasesMatchTheRegularExpressions(String query, String afterScans) {
        String q = query;
        String r = query;
        for (Rule rule : rules().toList()) {
            if (rule.name().contains("quotes") || rule.name().startsWith("before literals")) {
                continue;
            }
            q = rule.scan().apply(q);
            r = rule.regex().apply(r);
        }
        assertThat(q).isEqualTo(r).isEqualTo(afterScans);
    }

    @org.junit.jupiter.api.Test
    void strictModeFingerprintsAHugeLiteralWithoutOverflowingTheStack() {
        String query = "SELECT * FROM t WHERE a = '" + "x''y\\'z".repeat(200_000) + "' AND b = 1";
        assertThat(new Fingerprinter(Fingerprinter.Mode.STRICT).fingerprint(query)).isEqualTo("select * from t where a = ? and b = ?");
    }

    /** Queries of generated logs, of the conformance logs when present, and random mutations of them. */
    private static List<String> corpus() throws IOException {
        List<String> queries = new ArrayList<>();
        for (SlowLogGenerator.Format f : SlowLogGenerator.Format.values()) {
            StringWriter w = new StringWriter();
            new SlowLogGenerator(f, 7).write(w, 2_000);
            addQueries(w.toString().getBytes(StandardCharsets.UTF_8), queries);
        }
        Path logs = PtQueryDigestConformanceTest.CONFORMANCE.resolve("slowlogs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.list(logs)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    addQueries(Files.readAllBytes(p), queries);
                }
            }
        }
        String[] pieces = {" ", "  ", "\n", "\t", "\u000B", "\r", "\u0085", "(", ")", "?", ",", "'", "\"", "\\'", "\\\"", "\\",
            "in", "IN", "values", "value", "VALUES", "true", "TRUE", "False", "null", "NULL", "limit ?", "limit", " offset ?",
            "/*", "*/", "/*!", "--", "#", "call ", "CALL\t", "insert into t ", "REPLACE IGNORE INTO t ", " ignore", "), (", ")(",
            "/*a.b:1/2*/", "/*x_1.y:9/0*/", "select ", " union ", " union all ", "select a union select a", "select 1",
            ", ?", ",?", "order by ", "ORDER BY ", "asc", "ASC", "ascii", "_", "1", "x", "\u00e9", "\u00aa", "\u00b2", "\u00d7",
            "t", "f", "a", "select ", " from ", "where "};
        Random random = new Random(20261207);
        int base = queries.size();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(queries.get(random.nextInt(base)));
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length() + 1);
                if (random.nextInt(4) == 0 && at < b.length()) {
                    b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(4)));
                } else {
                    b.insert(at, pieces[random.nextInt(pieces.length)]);
                }
            }
            queries.add(b.toString());
        }
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(12); n >= 0; n--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            queries.add(b.toString());
        }
        return queries;
    }

    private static void addQueries(byte[] log, List<String> into) throws IOException {
        try (SlowLogParser parser = new SlowLogParser(new ByteArrayInputStream(log))) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                into.add(e.query());
            }
        }
    }
}
