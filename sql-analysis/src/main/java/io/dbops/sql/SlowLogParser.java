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
    private static final byte[] A_TIME = Ascii.of("# Time: ");
    private static final byte[] A_EXPLAIN = Ascii.of("# explain: ");
    private static final byte[] A_ADMINISTRATOR_COMMAND = Ascii.of("# administrator command:");
    private static final byte[] A_USE = Ascii.of("use ");
    private static final byte[] A_SET = Ascii.of("SET");
    private static final byte[] A_USER_HOST = Ascii.of("# User@Host: ");
    private static final byte[] A_ID = Ascii.of("Id:");
    private static final byte[] A_SET_LAST_INSERT_ID = Ascii.of("SET last_insert_id");
    private static final byte[] A_SET_INSERT_ID = Ascii.of("SET insert_id");
    private static final byte[] A_SET_TIMESTAMP = Ascii.of("SET timestamp");
    private static final byte[] A_SCHEMA = Ascii.of("Schema:");
    private static final byte[] A_SEMI = Ascii.of(";");
    private static final byte[] A_BRACKET = Ascii.of("[");
    private static final byte[] A_AT = Ascii.of("@ ");
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
    static final Pattern TIME = Pattern.compile("^# Time: ((?:[0-9: ]{15})|(?:[-0-9: T]{19}))");
    static final Pattern USER_HOST = Pattern.compile(
            "# User@Host: ([^\\[]+|\\[[^\\[]+\\]).*?@ (\\S*) \\[(.*)\\]\\s*(?:Id:\\s*(\\d+))?");
    private static final Pattern ADMIN = Pattern.compile("^# (?:administrator command:.*)$");
    private static final Pattern SCHEMA_LABEL = Pattern.compile("Schema:\\s+");
    private static final Pattern USE = Pattern.compile("^use ([^;]+)");
    static final Pattern SET = Pattern.compile("^SET\\s+([^;]*)");
    static final Pattern SET_SPLIT = Pattern.compile(",|\\s*=\\s*");
    private static final Pattern NEXT_IS_HEADER = Pattern.compile("^\\s*[A-Z][a-z_]+: ");

    /** A piece of the log to parse; {@code maybeBanner} false when a start-up banner is known not to be in it. */
    private record Chunk(String text, long offset, long line, boolean maybeBanner) {
        Chunk(String text, long offset, long line) {
            this(text, offset, line, mayHaveBanner(text));
        }
    }

    private final RecordReader reader;
    private final Names names = new Names();
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
                chunk = new Chunk(text, offset, line, reader.lastMayHaveBanner());
            }
            SlowLogEntry entry = parse(chunk);
            if (entry != null) {
                entryCount++;
                return entry;
            }
        }
    }

    /** {@link #next(RawEntry)}: the end of the log. */
    static final int END = 0;
    /** {@link #next(RawEntry)}: an ordinary entry, read in place into the {@link RawEntry}. */
    static final int RAW = 1;
    /** {@link #next(RawEntry)}: any other entry, read the full way: {@link #entry()}. */
    static final int ENTRY = 2;
    private SlowLogEntry entry;

    /**
     * The next entry for a digest. The usual entry (time, user and host, {@code Name: value} headers, {@code use},
     * one {@code SET}, then the statement) is read in place into {@code raw} with no string per value; anything else
     * (a start-up banner nearby, an administrator command, MariaDB's explain lines or empty Schema, a header with no
     * statement, a line the hand readers leave to the regular expressions, the end of a log) goes through
     * {@link #next()}'s full reading, so both give the same entries in the same order.
     */
    int next(RawEntry raw) throws IOException {
        while (true) {
            if (!pending.isEmpty()) {
                entry = next();
                return entry == null ? END : ENTRY;
            }
            long offset = reader.offset();
            long line = reader.line();
            int length = reader.readInPlace(ENTRY_SEPARATOR);
            if (length < 0) {
                return END;
            }
            byte[] buf = reader.buffer();
            int from = reader.recordStart();
            boolean maybeBanner = reader.lastMayHaveBanner();
            if (!maybeBanner) {
                // parse() reads the entry with the '#' the previous separator took put back
                raw.reset(buf, from, length, buf[from] != '#', offset, line);
                if (readInPlace(raw)) {
                    entryCount++;
                    return RAW;
                }
            }
            entry = parse(new Chunk(new String(buf, from, length, StandardCharsets.ISO_8859_1), offset, line, maybeBanner));
            if (entry != null) {
                entryCount++;
                return ENTRY;
            }
        }
    }

    /** EMPTY_SCHEMA ({@code Schema:\\s+\\w+: }, MariaDB's "Schema:" with nothing after it) found in the line [from, to). */
    static boolean emptySchema(byte[] s, int from, int to) {
        for (int at = indexOf(s, A_SCHEMA, from, to); at >= 0; at = indexOf(s, A_SCHEMA, at + 1, to)) {
            int k = at + "Schema:".length();
            int spaces = k;
            while (k < to && isSpace(s[k])) {
                k++;
            }
            int word = k;
            while (k < to && isWord(s[k])) {
                k++;
            }
            if (k > word && word > spaces && k + 1 < to && s[k] == ':' && s[k + 1] == ' ') {
                return true;
            }
        }
        return false;
    }

    /** The entry {@link #next(RawEntry)} read the full way. */
    SlowLogEntry entry() {
        return entry;
    }

    /** {@link #parse} for the usual entry, on its bytes; false (nothing decided) for anything else. */
    private boolean readInPlace(RawEntry raw) {
        byte[] s = raw.bytes;
        int len = raw.length;
        // the statement ends as parse() cuts it: ";\n#" or ";\n"
        if (len >= 3 && s[len - 3] == ';' && s[len - 2] == '\n' && s[len - 1] == '#') {
            len -= 3;
        } else if (len >= 2 && s[len - 2] == ';' && s[len - 1] == '\n') {
            len -= 2;
        } else {
            return false;
        }
        int tsFrom = -1;
        int tsLength = 0;
        boolean gotUserHost = false;
        boolean gotDb = false;
        boolean gotSet = false;
        int lineStart = 0;
        while (true) {
            int lineEnd = lineStart;
            while (lineEnd < len && s[lineEnd] != '\n') {
                lineEnd++;
            }
            if (!headerLike(s, len, lineStart)) {
                raw.queryFrom = lineStart;
                raw.queryTo = len;
                break;
            }
            if (startsWith(s, lineEnd, A_TIME, lineStart)) {
                if (tsFrom >= 0 || (tsLength = timeLength(s, lineStart, lineEnd)) < 0
                        || indexOf(s, A_USER_HOST, lineStart, lineEnd) >= 0) {
                    return false;
                }
                tsFrom = lineStart + TIME_LABEL;
            } else if (!gotUserHost && indexOf(s, A_USER_HOST, lineStart, lineEnd) >= 0) {
                if (!userHost(s, lineStart, lineEnd, raw)) {
                    return false;
                }
                gotUserHost = true;
            } else if (startsWith(s, lineEnd, A_EXPLAIN, lineStart) || startsWith(s, lineEnd, A_ADMINISTRATOR_COMMAND, lineStart)) {
                return false;
            } else if (isAttributeLine(s, lineStart, lineEnd)) {
                if (emptySchema(s, lineStart, lineEnd)) {
                    return false;
                }
                pairs(s, lineStart, lineEnd, raw);
            } else if (!gotDb && startsWith(s, lineEnd, A_USE, lineStart)) {
                int semi = indexOf(s, A_SEMI, lineStart + 4, lineEnd);
                int dbEnd = semi < 0 ? lineEnd : semi;
                if (dbEnd > lineStart + 4) {
                    raw.put("db", s, lineStart + 4, dbEnd);
                    gotDb = true;
                }
            } else if (!gotSet && startsWith(s, lineEnd, A_SET, lineStart)) {
                if (!setVariable(s, lineStart, lineEnd, raw)) {
                    return false;
                }
                gotSet = true;
            }
            if (lineEnd >= len) {
                return false; // a header with no statement after it
            }
            lineStart = lineEnd + 1;
        }
        if (raw.queryTo <= raw.queryFrom) {
            return false;
        }
        if (tsFrom >= 0) {
            // MariaDB repeats no time; MySQL gives each entry its own, often the same as the last one's
            String last = lastTs;
            if (last == null || last.length() != tsLength || !Names.sameChars(last, s, tsFrom)) {
                lastTs = new String(s, tsFrom, tsLength, StandardCharsets.ISO_8859_1);
            }
        }
        raw.ts = lastTs;
        return true;
    }

    private SlowLogEntry parse(Chunk chunk) throws IOException {
        String stmt = chunk.text();
        Matcher header = chunk.maybeBanner() ? SERVER_HEADER.matcher(stmt) : null;
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

        AttributeMap attrs = new AttributeMap();
        byte[] bytes = stmt.getBytes(StandardCharsets.ISO_8859_1);
        AttributeSink sink = (name, text, from, to) -> attrs.put(name, new String(text, from, to - from, StandardCharsets.ISO_8859_1));
        String ts = null;
        String query = null;
        boolean admin = false;
        boolean gotUserHost = false;
        boolean gotAdmin = false;
        boolean gotDb = false;
        boolean gotSet = false;
        int len = stmt.length();
        int lineStart = 0;
        // lines are read in place (indices into the entry): the common header lines are matched by hand, the rare
        // ones by the same regular expressions as pt on a copy of the line
        while (lineStart <= len) {
            int nl = stmt.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? len : nl;
            if (nl < 0 && lineStart == len && lineStart > 0) {
                break; // no line after a trailing newline
            }
            if (headerLike(stmt, lineStart)) {
                Matcher m;
                String t;
                int timeLength;
                if (ts == null && stmt.startsWith("# Time: ", lineStart) && (timeLength = timeLength(bytes, lineStart, lineEnd)) > 0) {
                    t = stmt.substring(lineStart + TIME_LABEL, lineStart + TIME_LABEL + timeLength);
                    ts = t;
                    if (!gotUserHost && indexOf(stmt, "# User@Host: ", lineStart, lineEnd) >= 0
                            && (m = USER_HOST.matcher(stmt.substring(lineStart, lineEnd))).find()) {
                        userHost(m, attrs);
                        gotUserHost = true;
                    }
                } else if (!gotUserHost && indexOf(stmt, "# User@Host: ", lineStart, lineEnd) >= 0
                        && (userHost(bytes, lineStart, lineEnd, sink)
                            || (m = USER_HOST.matcher(stmt.substring(lineStart, lineEnd))).find() && userHost(m, attrs))) {
                    gotUserHost = true;
                } else if (stmt.startsWith("# explain: ", lineStart)) {
                    // MariaDB's log_slow_verbosity=explain: the plan as tab-separated rows, header first
                    attrs.merge(EXPLAIN, stmt.substring(lineStart + "# explain: ".length(), lineEnd), (a, b) -> a + "\n" + b);
                } else if (!gotAdmin && stmt.startsWith("# administrator command:", lineStart)
                        && ADMIN.matcher(stmt.substring(lineStart, lineEnd)).find()) {
                    query = stmt.substring(lineStart, lineEnd).replaceFirst("^#\\s+", "");
                    admin = true;
                    gotAdmin = true;
                } else if (isAttributeLine(bytes, lineStart, lineEnd)) {
                    if (emptySchema(bytes, lineStart, lineEnd)) {
                        // MariaDB writes "Schema:" with nothing after it when there is no default database
                        byte[] l = SCHEMA_LABEL.matcher(stmt.substring(lineStart, lineEnd)).replaceFirst("")
                                .getBytes(StandardCharsets.ISO_8859_1);
                        pairs(l, 0, l.length, sink);
                    } else {
                        pairs(bytes, lineStart, lineEnd, sink);
                    }
                } else if (!gotDb && stmt.startsWith("use ", lineStart)) {
                    // ^use ([^;]+)
                    int semi = indexOf(stmt, ";", lineStart + 4, lineEnd);
                    int dbEnd = semi < 0 ? lineEnd : semi;
                    if (dbEnd > lineStart + 4) {
                        attrs.put("db", stmt.substring(lineStart + 4, dbEnd));
                        gotDb = true;
                    }
                } else if (!gotSet && stmt.startsWith("SET", lineStart)) {
                    if (setVariable(bytes, lineStart, lineEnd, sink)) {
                        gotSet = true;
                    } else if ((m = SET.matcher(stmt.substring(lineStart, lineEnd))).find()) {
                        String[] kv = SET_SPLIT.split(m.group(1));
                        for (int i = 0; i + 1 < kv.length; i += 2) {
                            attrs.put(kv[i], kv[i + 1]);
                        }
                        gotSet = true;
                    }
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

    /** Where the header readers put what they find: a name, and its value as a place in the entry's bytes. */
    interface AttributeSink {
        void put(String name, byte[] text, int from, int to);
    }

    private static final int TIME_LABEL = "# Time: ".length();

    /** ^# +[A-Z][A-Za-z_]+: \\S+ without a regex, on the line [from, to) of {@code s}. */
    static boolean isAttributeLine(byte[] s, int from, int to) {
        if (to - from < 3 || s[from] != '#' || s[from + 1] != ' ') {
            return false;
        }
        int i = from + 1;
        while (i < to && s[i] == ' ') {
            i++;
        }
        if (i >= to || s[i] < 'A' || s[i] > 'Z') {
            return false;
        }
        int j = i + 1;
        while (j < to && isLetterOrUnderscore(s[j])) {
            j++;
        }
        return j > i + 1 && j + 2 < to && s[j] == ':' && s[j + 1] == ' ' && !isSpace(s[j + 2]);
    }

    static boolean isAttributeLine(String s, int from, int to) {
        return isAttributeLine(latin1(s), from, to);
    }

    /** Every (\\w+):\\s+(\\S+|\\Z) of the line [from, to), left to right, as the regex would find them. */
    void pairs(byte[] line, int from, int n, AttributeSink attrs) {
        int i = from;
        while (i < n) {
            if (!isWord(line[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && isWord(line[j])) {
                j++;
            }
            // a shorter run starting later ends at the same place: no other start in [i, j) can match
            if (j + 1 < n && line[j] == ':' && isSpace(line[j + 1])) {
                int v = j + 1;
                while (v < n && isSpace(line[v])) {
                    v++;
                }
                int e = v;
                while (e < n && !isSpace(line[e])) {
                    e++;
                }
                attrs.put(names.get(line, i, j), line, v, e);
                i = e;
            } else {
                i = j + 1;
            }
        }
    }

    /**
     * The length of the TIME pattern's group, ^# Time: ((?:[0-9: ]{15})|(?:[-0-9: T]{19})), for the line [from, to)
     * that starts with "# Time: "; -1 when it does not match.
     */
    static int timeLength(byte[] s, int from, int to) {
        int v = from + TIME_LABEL;
        boolean mysql = v + 15 <= to;
        for (int i = v; mysql && i < v + 15; i++) {
            byte c = s[i];
            mysql = (c >= '0' && c <= '9') || c == ':' || c == ' ';
        }
        if (mysql) {
            return 15;
        }
        if (v + 19 > to) {
            return -1;
        }
        for (int i = v; i < v + 19; i++) {
            byte c = s[i];
            if (!((c >= '0' && c <= '9') || c == ':' || c == ' ' || c == '-' || c == 'T')) {
                return -1;
            }
        }
        return 19;
    }

    /** The TIME pattern's group for the line [from, to) of {@code s} that starts with "# Time: ", or null. */
    static String time(String s, int from, int to) {
        int n = timeLength(latin1(s), from, to);
        return n < 0 ? null : s.substring(from + TIME_LABEL, from + TIME_LABEL + n);
    }

    /**
     * USER_HOST for the usual line, "# User@Host: user[user] @ host [ip]  Id: 12", read by hand the way the
     * regular expression's first attempt reads it: true with the attributes added, or false (nothing added) for
     * anything else, which the regular expression then reads, backtracking included.
     */
    static boolean userHost(byte[] s, int from, int to, AttributeSink attrs) {
        int p = from + "# User@Host: ".length();
        if (!startsWith(s, to, A_USER_HOST, from) || p >= to || s[p] == '[') {
            return false;
        }
        for (int i = p; i < to; i++) {
            if (s[i] == '\r' || s[i] == (byte) 0x85) {
                return false; // '.' stops at these: leave such lines to the regular expression
            }
        }
        int q = indexOf(s, A_BRACKET, p, to);
        int userEnd = q < 0 ? to : q;
        int at = indexOf(s, A_AT, userEnd, to);
        if (at < 0) {
            return false;
        }
        int hostEnd = at + 2;
        while (hostEnd < to && !isSpace(s[hostEnd])) {
            hostEnd++;
        }
        if (hostEnd + 1 >= to || s[hostEnd] != ' ' || s[hostEnd + 1] != '[') {
            return false;
        }
        int ipStart = hostEnd + 2;
        int close = to - 1;
        while (close >= ipStart && s[close] != ']') {
            close--;
        }
        if (close < ipStart) {
            return false;
        }
        attrs.put("user", s, p, userEnd);
        if (hostEnd > at + 2) {
            attrs.put("host", s, at + 2, hostEnd);
        } else {
            attrs.put("host", s, ipStart, close);
        }
        attrs.put("ip", s, ipStart, close);
        int i = close + 1;
        while (i < to && isSpace(s[i])) {
            i++;
        }
        if (i + 3 <= to && startsWith(s, to, A_ID, i)) {
            i += 3;
            while (i < to && isSpace(s[i])) {
                i++;
            }
            int d = i;
            while (d < to && s[d] >= '0' && s[d] <= '9') {
                d++;
            }
            if (d > i) {
                attrs.put("Thread_id", s, i, d);
            }
        }
        return true;
    }

    static boolean userHost(String s, int from, int to, Map<String, String> attrs) {
        return userHost(latin1(s), from, to, (name, text, f, t) -> attrs.put(name, new String(text, f, t - f, StandardCharsets.ISO_8859_1)));
    }

    /**
     * The usual "SET name=value;" line (one variable, no spaces): what SET and SET_SPLIT make of it, without them.
     * False, with nothing added, for any other form.
     */
    boolean setVariable(byte[] s, int from, int to, AttributeSink attrs) {
        int name = from + 4;
        if (name >= to || s[from + 3] != ' ') {
            return false;
        }
        int eq = -1;
        int end = to;
        for (int i = name; i < to; i++) {
            byte c = s[i];
            if (c == ';') {
                end = i;
                break;
            }
            if (c == '=' && eq < 0) {
                eq = i;
            } else if (c == '=' || c == ',' || isSpace(c)) {
                return false;
            }
        }
        if (eq <= name || eq + 1 >= end) {
            return false;
        }
        attrs.put(names.get(s, name, eq), s, eq + 1, end);
        return true;
    }

    boolean setVariable(String s, int from, int to, Map<String, String> attrs) {
        return setVariable(latin1(s), from, to, (name, text, f, t) -> attrs.put(name, new String(text, f, t - f, StandardCharsets.ISO_8859_1)));
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first place of {@code needle} in [from, to) of {@code s}, or -1 (looking no further than {@code to}). */
    static int indexOf(String s, String needle, int from, int to) {
        char first = needle.charAt(0);
        int n = needle.length();
        for (int i = from, last = to - n; i <= last; i++) {
            if (s.charAt(i) == first && s.regionMatches(i + 1, needle, 1, n - 1)) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(byte[] s, byte[] needle, int from, int to) {
        return Ascii.indexOf(s, needle, from, to);
    }

    static boolean startsWith(byte[] s, int to, byte[] prefix, int at) {
        return Ascii.startsWith(s, to, prefix, at);
    }

    private static boolean isLetterOrUnderscore(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWord(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** ^(?:#|use |SET (?:last_insert_id|insert_id|timestamp)) for the line starting at {@code from}, without a regex. */
    private static boolean headerLike(String s, int from) {
        return s.startsWith("#", from) || s.startsWith("use ", from) || s.startsWith("SET last_insert_id", from)
                || s.startsWith("SET insert_id", from) || s.startsWith("SET timestamp", from);
    }

    private static boolean headerLike(byte[] s, int to, int from) {
        return (from < to && s[from] == '#') || startsWith(s, to, A_USE, from) || startsWith(s, to, A_SET_LAST_INSERT_ID, from)
                || startsWith(s, to, A_SET_INSERT_ID, from) || startsWith(s, to, A_SET_TIMESTAMP, from);
    }

    /** Whether a start-up banner line could be in the text at all (the banner regex is costly on big entries). */
    private static boolean mayHaveBanner(String text) {
        // every alternative of SERVER_HEADER contains one of these ("[Pp]ort:", "mysqld, Version", "mariadbd, Version")
        return text.contains("Port:") || text.contains("port:") || text.contains("Version") || text.contains("Command");
    }

    private static boolean userHost(Matcher m, Map<String, String> attrs) {
        String host = m.group(2);
        attrs.put("user", m.group(1));
        attrs.put("host", host == null || host.isEmpty() ? m.group(3) : host);
        attrs.put("ip", m.group(3));
        if (m.group(4) != null) {
            attrs.put("Thread_id", m.group(4));
        }
        return true;
    }

    /**
     * Attribute names seen so far, one interned instance each: every entry repeats the same dozen, and a name
     * that is the same instance as the one a digest keys its tables by is found there without hashing it again.
     */
    static final class Names {
        private final String[] table;
        /** Each name's bytes, compared with the log's instead of the name's chars. */
        private final byte[][] tableBytes;
        private final boolean intern;
        private int count;

        Names() {
            this(256, true);
        }

        /** A table of up to {@code size / 2} strings, put in the JVM's string table too when {@code intern}. */
        Names(int size, boolean intern) {
            this.table = new String[Integer.highestOneBit(size - 1) << 1];
            this.tableBytes = new byte[table.length][];
            this.intern = intern;
        }

        String get(byte[] s, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + (s[i] & 0xff);
            }
            int len = to - from;
            int mask = table.length - 1;
            for (int slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
                String name = table[slot];
                if (name == null) {
                    String fresh = new String(s, from, len, StandardCharsets.ISO_8859_1);
                    // bounded: a log with endless distinct names gets plain strings past the first half of the table
                    if (count < table.length / 2) {
                        fresh = intern ? fresh.intern() : fresh;
                        table[slot] = fresh;
                        tableBytes[slot] = java.util.Arrays.copyOfRange(s, from, to);
                        count++;
                    }
                    return fresh;
                }
                byte[] b = tableBytes[slot];
                if (b.length == len && name.hashCode() == h && java.util.Arrays.equals(b, 0, len, s, from, to)) {
                    return name;
                }
            }
        }

        static boolean sameChars(String name, byte[] s, int from) {
            for (int k = 0, n = name.length(); k < n; k++) {
                if (name.charAt(k) != (s[from + k] & 0xff)) {
                    return false;
                }
            }
            return true;
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
