package io.dbops.sql;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Streaming reader of MySQL 5.x/8.0, Percona Server and MariaDB slow logs. It splits the log where
 * pt-query-digest does (a line ending in {@code ;} followed by a line starting with {@code #}) and
 * reads each entry's header the same way, so both see the same entries; it keeps one entry in
 * memory at a time.
 *
 * <p>Handled: {@code # Time:} in the MySQL, MariaDB (only when the second changes: later entries
 * inherit it) and ISO forms; {@code # User@Host:} with or without {@code Id:}; every
 * {@code Name: value} header (Percona's InnoDB_*, QC_Hit, Full_scan..., MariaDB's Thread_id,
 * Schema, Rows_affected, Bytes_sent, Priority_queue...); {@code # explain:} lines (kept as
 * headers); server start-up banners in the middle of the file; {@code use db;};
 * {@code SET timestamp=...;}; administrator commands; multi-line queries; gzip input.
 *
 * <p>An entry without a query is never dropped silently: it is counted and reported as a
 * {@link ParseProblem} with its line and byte offset, and reading goes on.
 */
public final class SlowLogParser implements Closeable {
    private static final byte[] ENTRY_SEPARATOR = ";\n#".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] STATEMENT_SEPARATOR = ";\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int KEPT_PROBLEMS = 1000;
    /** Attribute holding MariaDB's {@code # explain:} rows, one per line, the column header first. */
    public static final String EXPLAIN = "explain";

    private static final Pattern SERVER_HEADER = Pattern.compile(
            "^(?:[Tt][Cc][Pp]\\s[Pp]ort:\\s+\\d+|[/A-Z].*mysqld,\\sVersion.*(?:started\\swith:|embedded\\slibrary)"
                    // MariaDB's banner names mariadbd, with or without a path, which pt's pattern misses
                    + "|(?:\\S*/)?mariadbd,\\sVersion.*started\\swith:"
                    + "|Time\\s+Id\\s+Command).*\\n", Pattern.MULTILINE);
    private static final Pattern TRAILING_SEPARATOR = Pattern.compile(";\\n#?\\Z");
    private static final Pattern TIME = Pattern.compile("^# Time: ((?:[0-9: ]{15})|(?:[-0-9: T]{19}))");
    private static final Pattern USER_HOST = Pattern.compile(
            "# User@Host: ([^\\[]+|\\[[^\\[]+\\]).*?@ (\\S*) \\[(.*)\\]\\s*(?:Id:\\s*(\\d+))?");
    private static final Pattern ADMIN = Pattern.compile("^# (?:administrator command:.*)$");
    private static final Pattern EMPTY_SCHEMA = Pattern.compile("Schema:\\s+\\w+: ");
    private static final Pattern SCHEMA_LABEL = Pattern.compile("Schema:\\s+");
    private static final Pattern USE = Pattern.compile("^use ([^;]+)");
    private static final Pattern SET = Pattern.compile("^SET\\s+([^;]*)");
    private static final Pattern SET_SPLIT = Pattern.compile(",|\\s*=\\s*");
    private static final Pattern NEXT_IS_HEADER = Pattern.compile("^\\s*[A-Z][a-z_]+: ");

    private record Chunk(String text, long offset, long line) {
    }

    private final RecordReader reader;
    private final InputStream input;
    private final Deque<Chunk> pending = new ArrayDeque<>();
    private final List<ParseProblem> problems = new ArrayList<>();
    private long problemCount;
    private long entryCount;
    private String lastTs;
    private final long firstLine;

    public SlowLogParser(InputStream in) {
        this(in, null);
    }

    /**
     * A parser that continues a log read earlier: entries before the first {@code # Time:} line
     * inherit {@code inheritedTs}, the time in force where the earlier reading stopped.
     */
    public SlowLogParser(InputStream in, String inheritedTs) {
        this(in, inheritedTs, 0, 1);
    }

    /** A parser over a slice of a log starting at byte {@code offset}, line {@code line}, so entries keep their places. */
    public SlowLogParser(InputStream in, String inheritedTs, long offset, long line) {
        this.input = in;
        this.reader = new RecordReader(in, offset, line);
        this.firstLine = line;
        this.lastTs = inheritedTs;
    }

    /** Lines read so far (the line where the next entry starts, minus the first line). */
    public long linesRead() {
        return reader.line() - firstLine;
    }

    /** The {@code # Time:} in force after the entries read so far. */
    public String lastTs() {
        return lastTs;
    }

    /** Opens a log file, decompressing it when it is gzip (by content, not by name). */
    public static SlowLogParser open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a slow log");
        }
        return new SlowLogParser(maybeGunzip(Files.newInputStream(file)));
    }

    /** Wraps the stream in a gzip decoder when it starts with the gzip magic bytes. */
    public static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /** Entries read so far. */
    public long entryCount() {
        return entryCount;
    }

    /** Problems found so far (every one is counted; the first 1000 are kept with their place). */
    public long problemCount() {
        return problemCount;
    }

    public List<ParseProblem> problems() {
        return List.copyOf(problems);
    }

    /** The next entry, or null at the end of the log. */
    public SlowLogEntry next() throws IOException {
        while (true) {
            Chunk chunk = pending.pollFirst();
            if (chunk == null) {
                long offset = reader.offset();
                long line = reader.line();
                String text = reader.read(ENTRY_SEPARATOR);
                if (text == null) {
                    return null;
                }
                chunk = new Chunk(text, offset, line);
            }
            SlowLogEntry entry = parse(chunk);
            if (entry != null) {
                entryCount++;
                return entry;
            }
        }
    }

    private SlowLogEntry parse(Chunk chunk) throws IOException {
        String stmt = chunk.text();
        Matcher header = mayHaveBanner(stmt) ? SERVER_HEADER.matcher(stmt) : null;
        if (header != null && header.find()) {
            stmt = header.replaceAll("");
            // removing a banner can join two entries: split them again, in order
            String[] parts = stmt.split(";\n#");
            if (parts.length > 1) {
                stmt = parts[0];
                String original = chunk.text();
                List<Chunk> split = new ArrayList<>();
                int cursor = 0;
                for (int i = 1; i < parts.length; i++) {
                    // locate each piece in the original text so problems and entries point at the right line
                    int at = original.indexOf(parts[i], cursor);
                    if (at < 0) {
                        split.add(new Chunk(parts[i], chunk.offset(), chunk.line()));
                        continue;
                    }
                    long lines = original.substring(0, at).chars().filter(ch -> ch == '\n').count();
                    split.add(new Chunk(parts[i], chunk.offset() + at, chunk.line() + lines));
                    cursor = at + parts[i].length();
                }
                for (int i = split.size() - 1; i >= 0; i--) {
                    pending.addFirst(split.get(i));
                }
            }
        }
        if (!stmt.startsWith("#")) {
            stmt = "#" + stmt;
        }
        if (stmt.endsWith(";\n#")) {
            stmt = stmt.substring(0, stmt.length() - 3);
        } else if (stmt.endsWith(";\n")) {
            stmt = stmt.substring(0, stmt.length() - 2);
        } else if (stmt.endsWith("\n")) {
            stmt = TRAILING_SEPARATOR.matcher(stmt).replaceFirst("");
        }

        Map<String, String> attrs = new LinkedHashMap<>();
        String ts = null;
        String query = null;
        boolean admin = false;
        boolean gotUserHost = false;
        boolean gotAdmin = false;
        boolean gotDb = false;
        boolean gotSet = false;
        int len = stmt.length();
        int lineStart = 0;
        while (lineStart <= len) {
            int nl = stmt.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? len : nl;
            if (nl < 0 && lineStart == len && lineStart > 0) {
                break; // no line after a trailing newline
            }
            String line = stmt.substring(lineStart, lineEnd);
            if (headerLike(line)) {
                Matcher m;
                if (ts == null && line.startsWith("# Time: ") && (m = TIME.matcher(line)).find()) {
                    ts = m.group(1);
                    if (!gotUserHost && line.contains("# User@Host: ") && (m = USER_HOST.matcher(line)).find()) {
                        userHost(m, attrs);
                        gotUserHost = true;
                    }
                } else if (!gotUserHost && line.contains("# User@Host: ") && (m = USER_HOST.matcher(line)).find()) {
                    userHost(m, attrs);
                    gotUserHost = true;
                } else if (line.startsWith("# explain: ")) {
                    // MariaDB's log_slow_verbosity=explain: the plan as tab-separated rows, header first
                    attrs.merge(EXPLAIN, line.substring("# explain: ".length()), (a, b) -> a + "\n" + b);
                } else if (!gotAdmin && line.startsWith("# administrator command:") && ADMIN.matcher(line).find()) {
                    query = line.replaceFirst("^#\\s+", "");
                    admin = true;
                    gotAdmin = true;
                } else if (isAttributeLine(line)) {
                    // MariaDB writes "Schema:" with nothing after it when there is no default database
                    String l = line.contains("Schema:") && EMPTY_SCHEMA.matcher(line).find()
                            ? SCHEMA_LABEL.matcher(line).replaceFirst("") : line;
                    pairs(l, attrs);
                } else if (!gotDb && line.startsWith("use ") && (m = USE.matcher(line)).find()) {
                    attrs.put("db", m.group(1));
                    gotDb = true;
                } else if (!gotSet && line.startsWith("SET") && (m = SET.matcher(line)).find()) {
                    String[] kv = SET_SPLIT.split(m.group(1));
                    for (int i = 0; i + 1 < kv.length; i += 2) {
                        attrs.put(kv[i], kv[i + 1]);
                    }
                    gotSet = true;
                }
                if (query == null && lineEnd == len) {
                    // the header was the whole entry: the statement is the next ";\n"-terminated piece
                    long offset = reader.offset();
                    long lineNo = reader.line();
                    String next = reader.read(STATEMENT_SEPARATOR);
                    if (next == null) {
                        problem(chunk, "entry has a header but no query (end of log)");
                        return null;
                    }
                    if (NEXT_IS_HEADER.matcher(next).find()) {
                        String rest = reader.read(ENTRY_SEPARATOR);
                        pending.addLast(new Chunk(rest == null ? next : next + rest, offset, lineNo));
                        query = "/* No query */";
                    } else {
                        String l = next.endsWith(";\n") ? next.substring(0, next.length() - 2) : next;
                        query = l.replaceFirst("^\\s+", "");
                        admin = true;
                    }
                }
            } else {
                query = stmt.substring(lineStart);
                break;
            }
            if (nl < 0) {
                break;
            }
            lineStart = nl + 1;
        }
        if (query == null || query.isEmpty()) {
            if (!stmt.substring(1).isBlank()) {
                problem(chunk, "entry has no query");
            }
            return null;
        }
        if (ts != null) {
            lastTs = ts;
        }
        return new SlowLogEntry(chunk.offset(), chunk.line(), ts != null ? ts : lastTs, attrs, query, admin);
    }

    /** ^# +[A-Z][A-Za-z_]+: \\S+ without a regex. */
    static boolean isAttributeLine(String line) {
        int n = line.length();
        if (n < 3 || line.charAt(0) != '#' || line.charAt(1) != ' ') {
            return false;
        }
        int i = 1;
        while (i < n && line.charAt(i) == ' ') {
            i++;
        }
        if (i >= n || line.charAt(i) < 'A' || line.charAt(i) > 'Z') {
            return false;
        }
        int j = i + 1;
        while (j < n && isLetterOrUnderscore(line.charAt(j))) {
            j++;
        }
        return j > i + 1 && j + 2 < n && line.charAt(j) == ':' && line.charAt(j + 1) == ' ' && !isSpace(line.charAt(j + 2));
    }

    /** Every (\\w+):\\s+(\\S+|\\Z) of the line, left to right, as the regex would find them. */
    static void pairs(String line, Map<String, String> attrs) {
        int n = line.length();
        int i = 0;
        while (i < n) {
            if (!isWord(line.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && isWord(line.charAt(j))) {
                j++;
            }
            // a shorter run starting later ends at the same place: no other start in [i, j) can match
            if (j + 1 < n && line.charAt(j) == ':' && isSpace(line.charAt(j + 1))) {
                int v = j + 1;
                while (v < n && isSpace(line.charAt(v))) {
                    v++;
                }
                int e = v;
                while (e < n && !isSpace(line.charAt(e))) {
                    e++;
                }
                attrs.put(line.substring(i, j), line.substring(v, e));
                i = e;
            } else {
                i = j + 1;
            }
        }
    }

    private static boolean isLetterOrUnderscore(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** ^(?:#|use |SET (?:last_insert_id|insert_id|timestamp)), without a regex. */
    private static boolean headerLike(String line) {
        return line.startsWith("#") || line.startsWith("use ") || line.startsWith("SET last_insert_id")
                || line.startsWith("SET insert_id") || line.startsWith("SET timestamp");
    }

    /** Whether a start-up banner line could be in the text at all (the banner regex is costly on big entries). */
    private static boolean mayHaveBanner(String text) {
        // every alternative of SERVER_HEADER contains one of these ("mysqld, Version", "mariadbd, Version")
        return text.contains("ort:") || text.contains("Version") || text.contains("Command");
    }

    private static void userHost(Matcher m, Map<String, String> attrs) {
        String host = m.group(2);
        attrs.put("user", m.group(1));
        attrs.put("host", host == null || host.isEmpty() ? m.group(3) : host);
        attrs.put("ip", m.group(3));
        if (m.group(4) != null) {
            attrs.put("Thread_id", m.group(4));
        }
    }

    private void problem(Chunk chunk, String reason) {
        problemCount++;
        if (problems.size() < KEPT_PROBLEMS) {
            problems.add(new ParseProblem(chunk.offset(), chunk.line(), reason));
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
