package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SlowLogParserTest {

    static final String MARIADB = """
            /usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:
            Tcp port: 13307  Unix socket: /tmp/s.sock
            Time		    Id Command	Argument
            # Time: 251125 11:02:03
            # User@Host: app[app] @ localhost [127.0.0.1]
            # Thread_id: 8  Schema: shop  QC_hit: No
            # Query_time: 0.150000  Lock_time: 0.000100  Rows_sent: 1  Rows_examined: 1000
            # Rows_affected: 0  Bytes_sent: 512
            # Tmp_tables: 1  Tmp_disk_tables: 0  Tmp_table_sizes: 0
            # Full_scan: Yes  Full_join: No  Tmp_table: Yes  Tmp_table_on_disk: No
            # Filesort: Yes  Filesort_on_disk: No  Merge_passes: 0  Priority_queue: No
            #
            # explain: id	select_type	table	type	possible_keys	key	key_len	ref	rows	r_rows	filtered	r_filtered	Extra
            # explain: 1	SIMPLE	orders	ALL	NULL	NULL	NULL	NULL	1000	1000.00	100.00	0.10	Using where
            #
            use shop;
            SET timestamp=1764068523;
            SELECT * FROM orders
            WHERE note = 'x';
            # User@Host: app[app] @ localhost [127.0.0.1]
            # Thread_id: 8  Schema: shop  QC_hit: No
            # Query_time: 0.200000  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0
            # Rows_affected: 0  Bytes_sent: 11
            SET timestamp=1764068523;
            # administrator command: Quit;
            """;

    static final String MYSQL8 = """
            # Time: 2025-11-25T11:02:03.123456Z
            # User@Host: root[root] @ localhost []  Id:    12
            # Query_time: 2.000001  Lock_time: 0.000002 Rows_sent: 3  Rows_examined: 30
            use db1;
            SET timestamp=1764068523;
            SELECT 1;
            /usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
            Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
            Time                 Id Command    Argument
            # Time: 2025-11-25T11:02:04.000001Z
            # User@Host: root[root] @ localhost []  Id:    13
            # Query_time: 1.5  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 1
            SELECT 2;
            """;

    @Test
    void mariaDbEntriesWithBannerExplainAndInheritedTime() throws IOException {
        List<SlowLogEntry> entries = parseAll(MARIADB);
        assertThat(entries).hasSize(2);
        SlowLogEntry first = entries.get(0);
        assertThat(first.ts()).isEqualTo("251125 11:02:03");
        assertThat(first.query()).isEqualTo("SELECT * FROM orders\nWHERE note = 'x'");
        assertThat(first.attributes()).containsEntry("user", "app").containsEntry("host", "localhost")
                .containsEntry("ip", "127.0.0.1").containsEntry("Thread_id", "8").containsEntry("Schema", "shop")
                .containsEntry("QC_hit", "No").containsEntry("Query_time", "0.150000").containsEntry("Rows_examined", "1000")
                .containsEntry("Bytes_sent", "512").containsEntry("Priority_queue", "No").containsEntry("db", "shop")
                .containsEntry("timestamp", "1764068523").containsEntry("Full_scan", "Yes");
        assertThat(first.attribute(SlowLogParser.EXPLAIN).split("\n")).hasSize(2)
                .satisfies(rows -> assertThat(rows[1]).startsWith("1\tSIMPLE\torders\tALL"));
        SlowLogEntry quit = entries.get(1);
        assertThat(quit.admin()).isTrue();
        assertThat(quit.query()).isEqualTo("administrator command: Quit");
        assertThat(quit.ts()).as("MariaDB writes # Time only when the second changes").isEqualTo("251125 11:02:03");
    }

    @Test
    void aMariaDbRestartBannerInTheMiddleDoesNotSwallowTheNextEntry() throws IOException {
        String log = "# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 1;\n"
                + "mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
                + "Tcp port: 13307  Unix socket: /tmp/s.sock\nTime\t\t    Id Command\tArgument\n"
                + "mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
                + "Tcp port: 13307  Unix socket: /tmp/s.sock\nTime\t\t    Id Command\tArgument\n"
                + "# Time: 251125 11:02:03\n# Query_time: 2  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 2;\n";
        List<SlowLogEntry> entries = parseAll(log);
        assertThat(entries).extracting(SlowLogEntry::query).containsExactly("SELECT 1", "SELECT 2");
        assertThat(entries.get(1).attribute("Query_time")).isEqualTo("2");
    }

    @Test
    void mysql8IsoTimesIdAndAStartupBannerInTheMiddle() throws IOException {
        List<SlowLogEntry> entries = parseAll(MYSQL8);
        assertThat(entries).extracting(SlowLogEntry::query).containsExactly("SELECT 1", "SELECT 2");
        assertThat(entries.get(0).ts()).isEqualTo("2025-11-25T11:02:03");
        assertThat(entries.get(0).attributes()).containsEntry("Thread_id", "12").containsEntry("db", "db1");
        assertThat(entries.get(1).ts()).isEqualTo("2025-11-25T11:02:04");
        assertThat(entries.get(1).line()).isGreaterThan(entries.get(0).line());
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("a header with nothing after it at the end",
                        "# Time: 251125 11:02:03\n# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\n", 0, 1),
                Arguments.of("a good entry, then a truncated one",
                        "# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 1;\n# Query_time: 2", 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void entriesWithoutAQueryAreCountedAndLocatedNotDropped(String why, String log, int entries, int problems) throws IOException {
        try (SlowLogParser p = new SlowLogParser(in(log))) {
            int n = 0;
            while (p.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(entries);
            assertThat(p.problemCount()).isEqualTo(problems);
            assertThat(p.problems()).allSatisfy(pr -> assertThat(pr.line()).isPositive());
        }
    }

    @Test
    void gzipIsRecognisedByContent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(MYSQL8.getBytes(StandardCharsets.UTF_8));
        }
        try (SlowLogParser p = new SlowLogParser(SlowLogParser.maybeGunzip(new ByteArrayInputStream(bytes.toByteArray())))) {
            assertThat(p.next().query()).isEqualTo("SELECT 1");
        }
    }

    @Test
    void invalidUtf8AndBinaryBytesPassThroughUnchanged() throws IOException {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3, 0x28};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        log.write("# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT '".getBytes(StandardCharsets.US_ASCII));
        log.write(garbage);
        log.write("';\n# Query_time: 2  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 2;\n".getBytes(StandardCharsets.US_ASCII));
        List<SlowLogEntry> entries = parseAll(log.toByteArray());
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).query().getBytes(StandardCharsets.ISO_8859_1)).endsWith((byte) 0x28, (byte) '\'');
        assertThat(Fingerprinter.pt().fingerprint(entries.get(0).query())).isEqualTo("select ?");
    }

    @Test
    void aSixteenMegabyteQueryIsOneEntry() throws IOException {
        StringBuilder q = new StringBuilder("INSERT INTO t VALUES ");
        while (q.length() < 16 << 20) {
            q.append("(1,'abcdefghij'),");
        }
        q.append("(2,'z')");
        String log = "# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\n" + q + ";\n"
                + "# Query_time: 2  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 2;\n";
        List<SlowLogEntry> entries = parseAll(log);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).query()).hasSize(q.length());
        assertThat(Fingerprinter.pt().fingerprint(entries.get(0).query())).isEqualTo("insert into t values(?+)");
    }

    @Test
    void offsetsPointAtTheEntry() throws IOException {
        String log = "# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 1;\n"
                + "# Query_time: 2  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSELECT 2;\n";
        List<SlowLogEntry> entries = parseAll(log);
        assertThat(entries.get(0).offset()).isZero();
        assertThat(log.substring((int) entries.get(1).offset() - 1)).startsWith("# Query_time: 2");
        assertThat(entries.get(1).line()).isEqualTo(3);
        assertThat(entries.get(0).attributes()).isInstanceOf(Map.class);
    }

    private static List<SlowLogEntry> parseAll(String log) throws IOException {
        return parseAll(log.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SlowLogEntry> parseAll(byte[] log) throws IOException {
        List<SlowLogEntry> out = new ArrayList<>();
        try (SlowLogParser p = new SlowLogParser(new ByteArrayInputStream(log))) {
            for (SlowLogEntry e = p.next(); e != null; e = p.next()) {
                out.add(e);
            }
        }
        return out;
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
