package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The parser's hand-read header lines ({@code # Time:}, {@code # User@Host:}, {@code SET name=value;})
 * against the regular expressions they stand in for, on the lines of generated logs, of the
 * conformance logs when present, and on random mutations of them. Where the hand reading declines
 * (returns null or false) the parser falls back to the regular expression, so only what it does
 * accept has to agree.
 */
class SlowLogHeaderLinesTest {

    @Test
    void timeLinesReadByHandEqualTheTimePattern() throws IOException {
        int read = 0;
        for (String line : lines("# Time: ")) {
            Matcher m = SlowLogParser.TIME.matcher(line);
            String expected = m.find() ? m.group(1) : null;
            assertThat(SlowLogParser.time(line, 0, line.length())).as(line).isEqualTo(expected);
            read++;
        }
        assertThat(read).isGreaterThan(1_000);
    }

    @Test
    void userHostLinesReadByHandEqualTheUserHostPattern() throws IOException {
        int accepted = 0;
        for (String line : lines("# User@Host: ")) {
            Map<String, String> byHand = new LinkedHashMap<>();
            if (!SlowLogParser.userHost(line, 0, line.length(), byHand)) {
                assertThat(byHand).as("nothing added when declined: %s", line).isEmpty();
                continue;
            }
            Matcher m = SlowLogParser.USER_HOST.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            Map<String, String> byRegex = new LinkedHashMap<>();
            byRegex.put("user", m.group(1));
            byRegex.put("host", m.group(2) == null || m.group(2).isEmpty() ? m.group(3) : m.group(2));
            byRegex.put("ip", m.group(3));
            if (m.group(4) != null) {
                byRegex.put("Thread_id", m.group(4));
            }
            assertThat(byHand).as(line).isEqualTo(byRegex);
            accepted++;
        }
        assertThat(accepted).isGreaterThan(1_000);
    }

    @Test
    void setLinesReadByHandEqualTheSetPatterns() throws IOException {
        SlowLogParser parser = new SlowLogParser(new ByteArrayInputStream(new byte[0]));
        int accepted = 0;
        for (String line : lines("SET")) {
            Map<String, String> byHand = new LinkedHashMap<>();
            if (!parser.setVariable(line, 0, line.length(), byHand)) {
                assertThat(byHand).as("nothing added when declined: %s", line).isEmpty();
                continue;
            }
            Matcher m = SlowLogParser.SET.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            Map<String, String> byRegex = new LinkedHashMap<>();
            String[] kv = SlowLogParser.SET_SPLIT.split(m.group(1));
            for (int i = 0; i + 1 < kv.length; i += 2) {
                byRegex.put(kv[i], kv[i + 1]);
            }
            assertThat(byHand).as(line).isEqualTo(byRegex);
            accepted++;
        }
        assertThat(accepted).isGreaterThan(1_000);
    }

    @Test
    void emptySchemaReadByHandEqualsItsPattern() throws IOException {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile("Schema:\\s+\\w+: ");
        int empty = 0;
        List<String> lines = lines("# ");
        for (String extra : List.of("# Schema:   Last_errno: 0", "# Thread_id: 1  Schema:  QC_hit: No", "# Schema: shop  QC_hit: No",
                "# Schema:\tx: ", "# Schema:x: y", "# Schema:  : ")) {
            lines.add(extra);
        }
        for (String line : lines) {
            boolean expected = pattern.matcher(line).find();
            assertThat(SlowLogParser.emptySchema(line.getBytes(StandardCharsets.ISO_8859_1), 0, line.length())).as(line).isEqualTo(expected);
            empty += expected ? 1 : 0;
        }
        assertThat(empty).isGreaterThan(0);
    }

    /** Lines starting with {@code prefix}: from logs, then each mutated a few times. */
    private static List<String> lines(String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        for (SlowLogGenerator.Format f : SlowLogGenerator.Format.values()) {
            StringWriter w = new StringWriter();
            new SlowLogGenerator(f, 11).write(w, 1_000);
            collect(w.toString(), prefix, lines);
        }
        Path logs = PtQueryDigestConformanceTest.CONFORMANCE.resolve("slowlogs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.list(logs)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    collect(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1), prefix, lines);
                }
            }
        }
        String[] pieces = {" ", "  ", "\t", "\r", "\u0085", "[", "]", "@", "@ ", "Id:", " Id: 7", "=", ";", ",", "-", "T", ":",
            "1", "x", "\u00e9", "root", "[::1]", "Schema:", "Schema: ", "_"};
        Random random = new Random(20261207);
        int base = lines.size();
        for (int i = 0; i < 5 * base; i++) {
            StringBuilder b = new StringBuilder(lines.get(random.nextInt(base)));
            for (int e = 1 + random.nextInt(3); e > 0; e--) {
                int at = prefix.length() + random.nextInt(b.length() - prefix.length() + 1);
                if (random.nextInt(3) == 0 && at < b.length()) {
                    b.deleteCharAt(at);
                } else {
                    b.insert(at, pieces[random.nextInt(pieces.length)]);
                }
            }
            lines.add(b.toString());
        }
        return lines;
    }

    private static void collect(String log, String prefix, List<String> into) {
        for (String line : log.split("\n")) {
            if (line.startsWith(prefix)) {
                into.add(line);
            }
        }
    }
}
