package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fingerprint rule, with what pt-query-digest 3.2.1 answers for the same query (checked with
 * its own code on Debian's percona-toolkit). Known pt flaws are kept as cases: the default must
 * reproduce them; strict mode fixes some of them (see {@link #strictModeFixesKnownFlaws}).
 */
class FingerprinterTest {

    static Stream<Arguments> ptCases() {
        return Stream.of(
                row("SELECT /*!40001 SQL_NO_CACHE */ * FROM `film`",
                        "mysqldump",
                        "mysqldump's SELECT is one class"),
                row("REPLACE /*foo.bar:3/3*/ INTO checksum.checksum VALUES (1)",
                        "percona-toolkit",
                        "percona-toolkit's own queries are one class"),
                row("administrator command: Init DB",
                        "administrator command: Init DB",
                        "administrator commands are kept as they are"),
                row("CALL foo(1, 2, 3)",
                        "call foo",
                        "CALL keeps only the procedure name"),
                row("call   Test.Proc_1('a')",
                        "call   test.proc_1",
                        "CALL lower-cases the name and keeps the spacing"),
                row("INSERT INTO t (a,b) VALUES (1,'x'), (2,'y'), (3,'z')",
                        "insert into t (a,b) values(?+)",
                        "multi-row INSERT is cut to its first row, then VALUES collapses"),
                row("REPLACE IGNORE INTO t VALUES(1),(2)",
                        "replace ignore into t values(?+)",
                        "REPLACE IGNORE is cut like INSERT"),
                row("insert into t values (1, 2)",
                        "insert into t values(?+)",
                        "a single VALUES list collapses"),
                row("SELECT * FROM t /* a comment */ WHERE a = 1",
                        "select * from t where a = ?",
                        "/* comments */ are stripped"),
                row("SELECT /*! STRAIGHT_JOIN */ a FROM t",
                        "select /*! straight_join */ a from t",
                        "/*! version comments */ are kept"),
                row("SELECT a FROM t -- trailing comment",
                        "select a from t ",
                        "-- comments are stripped (the space before stays)"),
                row("SELECT a FROM t # hash comment",
                        "select a from t ",
                        "# comments are stripped"),
                row("use db1",
                        "use ?",
                        "USE abstracts the database"),
                row("USE `my-db`",
                        "use ?",
                        "USE with a quoted name"),
                row("SELECT * FROM t WHERE name='O''Brien'",
                        "select * from t where name=??",
                        "KNOWN PT FLAW: a doubled quote splits the literal in two"),
                row("SELECT * FROM t WHERE name = \"double\" AND b = 'single'",
                        "select * from t where name = ? and b = ?",
                        "double- and single-quoted strings"),
                row("SELECT * FROM t WHERE a = 'it\\'s'",
                        "select * from t where a = ?",
                        "backslash-escaped quotes are removed first"),
                row("SELECT * FROM t WHERE flag = TRUE OR other = false",
                        "select * from t where flag = ? or other = ?",
                        "booleans are literals (pt-query-digest only; pt-fingerprint lacks the rule)"),
                row("SELECT * FROM t1 JOIN db2.t2 USING (id)",
                        "select * from t? join d?t? using (id)",
                        "KNOWN PT FLAW: digits inside identifiers are abstracted"),
                row("SELECT * FROM t WHERE a = -1.5e10 AND b = 0x1F AND c = +3",
                        "select * from t where a = ? and b = ?f and c = ?",
                        "signed floats and hex numbers; hex letters after the digits stay"),
                row("SELECT * FROM t WHERE a IS NULL",
                        "select * from t where a is ?",
                        "NULL is a literal"),
                row("SELECT * FROM t WHERE id IN (1, 2, 3) AND x IN ( 'a' , 'b' )",
                        "select * from t where id in(?+) and x in(?+)",
                        "IN lists collapse, with spaces"),
                row("SELECT * FROM t WHERE id IN (SELECT id FROM u)",
                        "select * from t where id in (select id from u)",
                        "IN with a subquery does not collapse"),
                row("INSERT INTO t VALUES (1),(2)",
                        "insert into t values(?+)",
                        "VALUES with several rows"),
                row("SELECT a FROM t UNION SELECT a FROM t UNION ALL SELECT a FROM t",
                        "select a from t /*repeat union all*/",
                        "repeated UNION collapses"),
                row("SELECT * FROM t LIMIT 10",
                        "select * from t limit ?",
                        "LIMIT n"),
                row("SELECT * FROM t LIMIT 10, 20",
                        "select * from t limit ?",
                        "LIMIT n, m"),
                row("SELECT * FROM t LIMIT 10 OFFSET 20",
                        "select * from t limit ?",
                        "LIMIT n OFFSET m"),
                row("SELECT * FROM t ORDER BY a ASC, b DESC, c ASC",
                        "select * from t order by a, b desc, c",
                        "ASC is dropped after ORDER BY"),
                row("SELECT * FROM t ORDER BY name ascii_col",
                        "select * from t order by nameii_col",
                        "KNOWN PT FLAW: 'asc' is cut off a word after ORDER BY"),
                row("SELECT * FROM t ORDER BY a asc LIMIT 1",
                        "select * from t order by a limit ?",
                        "ASC dropped before LIMIT"),
                row("  SELECT   *\nFROM\tt   WHERE a=1",
                        "select * from t where a=?",
                        "leading space and runs of whitespace collapse"),
                row("SELECT * FROM t WHERE a = 'multi\nline string'",
                        "select * from t where a = ?",
                        "a string across lines is one literal"),
                row("UPDATE t SET a = VALUES(a)+1",
                        "update t set a = values(a)?",
                        "KNOWN PT FLAW: VALUES(a)+1 loses its operator"),
                row("SELECT * FROM tbl_2024_11 WHERE md5 = 'd41d8cd98f00b204e9800998ecf8427e'",
                        "select * from tbl_?_? where md? = ?",
                        "KNOWN PT FLAW: md5 and numbered tables lose their digits"),
                row("SELECT 1",
                        "select ?",
                        "a bare number"),
                row("SELECT * FROM t WHERE a = 'É' AND B = 'ÀB'",
                        "select * from t where a = ? and b = ?",
                        "non-ASCII bytes are not lower-cased, literals still go"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("ptCases")
    void fingerprintsLikePtQueryDigest(String query, String expected, String why) {
        assertThat(Fingerprinter.pt().fingerprint(bytes(query))).isEqualTo(bytes(expected));
    }

    static Stream<Arguments> strictCases() {
        return Stream.of(
                row("SELECT * FROM t WHERE name='O''Brien'", "select * from t where name=?", "a doubled quote stays inside the literal"),
                row("SELECT * FROM t WHERE a = 'it\\'s' AND b = 1", "select * from t where a = ? and b = ?", "an escaped quote stays inside the literal"),
                row("SELECT * FROM t1 JOIN db2.t2 USING (id)", "select * from t1 join db2.t2 using (id)", "digits inside identifiers are kept"),
                row("UPDATE t SET a = VALUES(a)+1", "update t set a = values(a)+?", "a sign after an operand is an operator"),
                row("SELECT * FROM t WHERE a = -1.5e10 AND b = 0x1F", "select * from t where a = ? and b = ?", "a sign after an operator belongs to the number; hex is one literal"),
                row("SELECT * FROM t WHERE id IN (1, -2, 3)", "select * from t where id in(?+)", "lists still collapse"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("strictCases")
    void strictModeFixesKnownFlaws(String query, String expected, String why) {
        assertThat(new Fingerprinter(Fingerprinter.Mode.STRICT).fingerprint(query)).isEqualTo(expected);
    }

    @Test
    void textBeyondLatin1IsFingerprintedAsItsUtf8Bytes() {
        // a statement read through JDBC (the processlist) rather than from a log: the rules see its UTF-8 bytes, as pt
        // sees a log's, and the fingerprint comes back as text
        assertThat(Fingerprinter.pt().fingerprint("SELECT \u540d\u524d FROM t WHERE note = '\u4e2d\u6587' AND id IN (1, 2)"))
                .isEqualTo("select \u540d\u524d from t where note = ? and id in(?+)");
    }

    @Test
    void queryIdIsTheUpperCaseHexMd5OfTheFingerprint() {
        // the checksum pt-query-digest reports for this fingerprint (conformance file slow002)
        assertThat(Fingerprinter.queryId("update d?tuningdetail_?_? n inner join d?gonzo a using(gonzo) "
                + "set n.column? = a.column?, n.word? = a.word?")).isEqualTo("45FE45AEC222350466825DDC008FFA89");
        assertThat(Fingerprinter.queryId("select ?")).matches("[0-9A-F]{32}");
    }

    private static Arguments row(String query, String expected, String why) {
        return Arguments.of(query, expected, why);
    }

    /** The fingerprinter works on byte strings (ISO-8859-1 decoded), as the log reader hands them over. */
    private static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
