package io.dbops.sql;

/**
 * pt-query-digest's most frequent fingerprint rules as hand-written scans over byte strings
 * ({@link ByteText}: one Latin-1 character per byte, as a slow log gives them). Each one gives
 * exactly what its regular expression (named in its Javadoc, as {@link Fingerprinter} used to run
 * it) gives with {@code java.util.regex} on Java 17 on the same text as a Latin-1 string, word
 * boundaries included; on a digest of a hundred thousand queries the regular expressions were most
 * of the fingerprinting time, and {@code String.charAt} most of what was left.
 *
 * <p>Each scan reads {@code in} and, when it has something to replace, writes the result to
 * {@code out} and returns true; it returns false (and {@code out} is to be ignored) when the text
 * stays as it is. The {@code String} forms are for the tests, which check every scan against its
 * regular expression on many generated and mutated queries ({@code FingerprintScansTest}).
 */
final class FingerprintScans {
    private static final byte[] A_TRUE = Ascii.of("true");
    private static final byte[] A_FALSE = Ascii.of("false");
    private static final byte[] A_ASC = Ascii.of("asc");
    private static final byte[] A_CALL = Ascii.of("call");
    private static final byte[] A_INSERT = Ascii.of("insert");
    private static final byte[] A_REPLACE = Ascii.of("replace");
    private static final byte[] A_IGNORE = Ascii.of(" ignore");
    private static final byte[] A_INTO = Ascii.of("into");
    private static final byte[] A_VALUES = Ascii.of("values");
    private static final byte[] A_ORDER_BY = Ascii.of("order by ");
    private static final byte[] A_NULL = Ascii.of("null");
    private static final byte[] A_IN = Ascii.of("in");
    private static final byte[] A_VALUE = Ascii.of("value");
    private static final byte[] A_LIST = Ascii.of("(?+)");
    private static final byte[] A_LIMIT = Ascii.of("limit ?");
    private static final byte[] A_COMMA_SPACE_Q = Ascii.of(", ?");
    private static final byte[] A_COMMA_Q = Ascii.of(",?");
    private static final byte[] A_OFFSET = Ascii.of(" offset ?");
    private static final byte[] A_COMMENT_START = Ascii.of("/*");
    private static final byte[] A_COMMENT_END = Ascii.of("*/");
    private static final byte[] A_SELECT = Ascii.of("select");
    private static final byte[] A_REPEAT = Ascii.of(" /*repeat");
    private static final byte[] A_UNION = Ascii.of("union");
    private static final byte[] A_ALL = Ascii.of("all");
    private FingerprintScans() {
    }

    /** {@link #isBoundaryWord} for every Latin-1 character. */
    private static final boolean[] BOUNDARY_WORD = new boolean[256];

    static {
        for (char c = 0; c < 256; c++) {
            BOUNDARY_WORD[c] = isBoundaryWord(c);
        }
    }

    /**
     * A word character for {@code \b} as {@code java.util.regex} on Java 17 sees it (letters and digits in
     * the Unicode sense, and '_'), not only {@code \w}'s ASCII ones. Exact for the byte strings a slow log
     * gives (Latin-1 has no non-spacing marks).
     */
    static boolean isBoundaryWord(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }

    private static boolean word(ByteText s, int i) {
        return BOUNDARY_WORD[s.bytes[i] & 0xff];
    }

    /** Whether a word starting at {@code i} has a {@code \b} before it. */
    private static boolean boundaryBefore(ByteText s, int i) {
        return i == 0 || !word(s, i - 1);
    }

    /** Whether a word ending before {@code i} has a {@code \b} after it. */
    private static boolean boundaryAfter(ByteText s, int i) {
        return i >= s.length || !word(s, i);
    }

    /** {@code \s} of {@code java.util.regex} without UNICODE_CHARACTER_CLASS. */
    static boolean isRegexSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** {@code s/\\["']//g}: a backslash before a quote goes, with the quote. */
    static boolean removeEscapedQuotes(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        for (int i = 0; i + 1 < n; i++) {
            if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\'')) {
                changed = started(changed, out);
                out.append(s, copied, i);
                copied = i + 2;
                i++;
            }
        }
        return finished(changed, in, copied, out);
    }

    /** {@code s/".*?"/?/sg} (or with single quotes): each quoted stretch, shortest first, becomes "?". */
    static boolean replaceQuoted(ByteText in, int quote, ByteText out) {
        int open = in.indexOf(quote, 0);
        if (open < 0) {
            return false;
        }
        int close = in.indexOf(quote, open + 1);
        if (close < 0) {
            return false; // an unclosed quote: no later quote can close anything either
        }
        out.clear();
        int copied = 0;
        while (open >= 0 && close >= 0) {
            out.append(in.bytes, copied, open);
            out.append('?');
            copied = close + 1;
            open = in.indexOf(quote, copied);
            close = open < 0 ? -1 : in.indexOf(quote, open + 1);
        }
        out.append(in.bytes, copied, in.length);
        return true;
    }

    /**
     * {@code --fingerprint strict}'s quoted literal, {@code '(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"} (DOTALL),
     * each becoming "?". The regular expression recursed once per character and overflowed the stack on a long
     * literal; this scan follows its one greedy path and, where that finds no closing quote, backs off to the last
     * doubled quote as the regular expression's backtracking does.
     */
    static boolean replaceStrictQuoted(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            byte q = s[i];
            if (q != '\'' && q != '"') {
                continue;
            }
            int j = i + 1;
            int lastDoubled = -1;
            while (j < n) {
                byte c = s[j];
                if (c == '\\') {
                    if (j + 1 >= n) {
                        break;
                    }
                    j += 2;
                } else if (c == q) {
                    if (j + 1 < n && s[j + 1] == q) {
                        lastDoubled = j;
                        j += 2;
                    } else {
                        break;
                    }
                } else {
                    j++;
                }
            }
            int close = j < n && s[j] == q ? j : lastDoubled;
            if (close < 0) {
                continue;
            }
            changed = started(changed, out);
            out.append(s, copied, i);
            out.append('?');
            copied = close + 1;
            i = close;
        }
        return finished(changed, in, copied, out);
    }

    /** {@code s/\bfalse\b|\btrue\b/?/ig}. */
    static boolean replaceBooleans(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        for (int i = 0; i + 4 <= n; i++) {
            int c = s[i] | 0x20;
            int len = c == 't' && matchesAscii(in, i, A_TRUE) ? 4 : c == 'f' && matchesAscii(in, i, A_FALSE) ? 5 : 0;
            if (len > 0 && boundaryBefore(in, i) && boundaryAfter(in, i + len)) {
                changed = started(changed, out);
                out.append(s, copied, i);
                out.append('?');
                copied = i + len;
                i += len - 1;
            }
        }
        return finished(changed, in, copied, out);
    }

    /** {@code s/\bnull\b/?/g} (case-sensitive: it runs after lower-casing). */
    static boolean replaceNull(ByteText in, ByteText out) {
        boolean changed = false;
        int copied = 0;
        for (int at = in.indexOf(A_NULL, 0); at >= 0; at = in.indexOf(A_NULL, at + 1)) {
            if (at >= copied && boundaryBefore(in, at) && boundaryAfter(in, at + 4)) {
                changed = started(changed, out);
                out.append(in.bytes, copied, at);
                out.append('?');
                copied = at + 4;
            }
        }
        return finished(changed, in, copied, out);
    }

    /** {@code s/\b(in|values?)(?:[\s,]*\([\s?,]*\))+/$1(?+)/g}: a list of placeholders becomes one. */
    static boolean collapseLists(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            byte c = s[i];
            if ((c != 'i' && c != 'v') || !boundaryBefore(in, i)) {
                continue;
            }
            int keyword = 0;
            int end = -1;
            if (in.startsWith(A_IN, i)) {
                keyword = 2;
                end = lists(in, i + 2);
            } else if (in.startsWith(A_VALUE, i)) {
                // values? is greedy: "values" first, then "value"
                if (in.startsWith(A_VALUES, i)) {
                    keyword = 6;
                    end = lists(in, i + 6);
                }
                if (end < 0) {
                    keyword = 5;
                    end = lists(in, i + 5);
                }
            }
            if (end < 0) {
                continue;
            }
            changed = started(changed, out);
            out.append(s, copied, i + keyword);
            out.append(A_LIST);
            copied = end;
            i = end - 1;
        }
        return finished(changed, in, copied, out);
    }

    /** The end of {@code (?:[\s,]*\([\s?,]*\))+} matched at {@code from}, or -1. */
    private static int lists(ByteText in, int from) {
        byte[] s = in.bytes;
        int n = in.length;
        int matched = -1;
        int j = from;
        while (true) {
            int k = j;
            while (k < n && (isRegexSpace(s[k]) || s[k] == ',')) {
                k++;
            }
            if (k >= n || s[k] != '(') {
                return matched;
            }
            k++;
            while (k < n && (isRegexSpace(s[k]) || s[k] == '?' || s[k] == ',')) {
                k++;
            }
            if (k >= n || s[k] != ')') {
                return matched;
            }
            j = k + 1;
            matched = j;
        }
    }

    /** {@code s/\blimit \?(?:, ?\?| offset \?)?/limit ?/} (the first one only). */
    static boolean collapseLimit(ByteText in, ByteText out) {
        for (int at = in.indexOf(A_LIMIT, 0); at >= 0; at = in.indexOf(A_LIMIT, at + 1)) {
            if (!boundaryBefore(in, at)) {
                continue;
            }
            int end = at + 7;
            if (in.startsWith(A_COMMA_SPACE_Q, end)) {
                end += 3;
            } else if (in.startsWith(A_COMMA_Q, end)) {
                end += 2;
            } else if (in.startsWith(A_OFFSET, end)) {
                end += 9;
            }
            if (end == at + 7) {
                return false;
            }
            out.clear();
            out.append(in.bytes, 0, at + 7);
            out.append(in.bytes, end, in.length);
            return true;
        }
        return false;
    }

    /**
     * pt's {@code s/\bORDER BY (.+?)\s+ASC/.../gi} as {@link Fingerprinter} applies it: after the first
     * "ORDER BY ", each {@code (.+?)\s+ASC} matched where the previous one ended loses its {@code \s+ASC}
     * ("ASC" also when it only starts a word: " ascii" loses " asc", pt's behaviour).
     */
    static boolean dropAscAfterOrderBy(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        int pos = -1;
        for (int at = indexOfIgnoreCase(in, A_ORDER_BY, 0); at >= 0; at = indexOfIgnoreCase(in, A_ORDER_BY, at + 1)) {
            if (boundaryBefore(in, at)) {
                pos = at + 9;
                break;
            }
        }
        if (pos < 0) {
            return false;
        }
        boolean changed = false;
        scan:
        while (pos < n) {
            // (.+?) takes at least one character and never a line terminator; \s+ then "asc", any case
            int j = pos + 1;
            int found = -1;
            int after = -1;
            if (isLineTerminator(s[pos])) {
                break;
            }
            while (j < n) {
                byte c = s[j];
                if (isRegexSpace(c)) {
                    int k = j;
                    while (k < n && isRegexSpace(s[k])) {
                        k++;
                    }
                    if (matchesAscii(in, k, A_ASC)) {
                        found = j;
                        after = k + 3;
                        break;
                    }
                    // every start inside this run of spaces ends at the same place: skip it, checking the
                    // characters (.+?) would have to take
                    for (int x = j; x < k; x++) {
                        if (isLineTerminator(s[x])) {
                            break scan;
                        }
                    }
                    j = k;
                    continue;
                }
                if (isLineTerminator(c)) {
                    break;
                }
                j++;
            }
            if (found < 0) {
                break;
            }
            if (!changed) {
                out.clear();
                out.append(s, 0, pos);
                changed = true;
            }
            out.append(s, pos, found);
            pos = after;
        }
        return finished(changed, in, pos, out);
    }

    /** {@code \\w} without UNICODE_CHARACTER_CLASS. */
    private static boolean isRegexWord(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** {@code /\*\w+\.\w+:[0-9]/[0-9]\*\/} found anywhere: a query percona-toolkit tagged. */
    static boolean perconaToolkit(ByteText in) {
        byte[] s = in.bytes;
        int n = in.length;
        for (int at = in.indexOf(A_COMMENT_START, 0); at >= 0; at = in.indexOf(A_COMMENT_START, at + 1)) {
            // each \w+ ends where the next character (not a word character) must be
            int k = at + 2;
            int w = k;
            while (k < n && isRegexWord(s[k])) {
                k++;
            }
            if (k == w || k >= n || s[k] != '.') {
                continue;
            }
            w = ++k;
            while (k < n && isRegexWord(s[k])) {
                k++;
            }
            if (k > w && k + 6 <= n && s[k] == ':' && isDigit(s[k + 1]) && s[k + 2] == '/' && isDigit(s[k + 3])
                    && s[k + 4] == '*' && s[k + 5] == '/') {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * {@code \A\s*(call\s+\S+)\(} (any case), looked for at the start: the group, ASCII lower-cased, to {@code out}
     * and true; false when it does not match. {@code \S+} gives back up to the last "(" of its run.
     */
    static boolean call(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        int i = 0;
        while (i < n && isRegexSpace(s[i])) {
            i++;
        }
        if (!matchesAscii(in, i, A_CALL)) {
            return false;
        }
        int k = i + 4;
        int spaces = k;
        while (k < n && isRegexSpace(s[k])) {
            k++;
        }
        if (k == spaces) {
            return false;
        }
        int end = k;
        while (end < n && !isRegexSpace(s[end])) {
            end++;
        }
        int paren = end - 1;
        while (paren > k && s[paren] != '(') {
            paren--;
        }
        if (paren <= k) {
            return false;
        }
        out.clear();
        for (int j = i; j < paren; j++) {
            byte c = s[j];
            out.append(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return true;
    }

    /**
     * The end of the group of {@code \A((?:INSERT|REPLACE)(?: IGNORE)?\s+INTO.+?VALUES\s*\(.*?\))\s*,\s*\(} (any
     * case, DOTALL) matched at the start: a multi-row INSERT or REPLACE up to the end of its first row; -1 when it
     * does not match. The candidates are tried in the regular expression's order: with IGNORE first, then each
     * VALUES from the left, then each ")" from the left.
     */
    static int multiRowInsertEnd(ByteText in) {
        int w = matchesAscii(in, 0, A_INSERT) ? 6 : matchesAscii(in, 0, A_REPLACE) ? 7 : -1;
        if (w < 0) {
            return -1;
        }
        if (matchesAscii(in, w, A_IGNORE)) {
            int end = insertRest(in, w + 7);
            if (end >= 0) {
                return end;
            }
        }
        return insertRest(in, w);
    }

    /** {@code \s+INTO.+?VALUES\s*\(.*?\))\s*,\s*\(} at {@code at}: the group's end, or -1. */
    private static int insertRest(ByteText in, int at) {
        byte[] s = in.bytes;
        int n = in.length;
        int k = at;
        while (k < n && isRegexSpace(s[k])) {
            k++;
        }
        if (k == at || !matchesAscii(in, k, A_INTO)) {
            return -1;
        }
        for (int v = k + 5; v + 6 <= n; v++) {
            if ((s[v] | 0x20) != 'v' || !matchesAscii(in, v, A_VALUES)) {
                continue;
            }
            int q = v + 6;
            while (q < n && isRegexSpace(s[q])) {
                q++;
            }
            if (q >= n || s[q] != '(') {
                continue;
            }
            for (int r = q + 1; r < n; r++) {
                if (s[r] != ')') {
                    continue;
                }
                int t = r + 1;
                while (t < n && isRegexSpace(s[t])) {
                    t++;
                }
                if (t >= n || s[t] != ',') {
                    continue;
                }
                t++;
                while (t < n && isRegexSpace(s[t])) {
                    t++;
                }
                if (t < n && s[t] == '(') {
                    return r + 1;
                }
            }
        }
        return -1;
    }

    /** {@code s/\/\*[^!].*?\*\///gs}: comments go, version-conditional code ({@code /*!...}) stays. */
    static boolean removeComments(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        for (int i = in.indexOf(A_COMMENT_START, 0); i >= 0; i = in.indexOf(A_COMMENT_START, i + 1)) {
            if (i < copied || i + 2 >= n || s[i + 2] == '!') {
                continue;
            }
            int close = in.indexOf(A_COMMENT_END, i + 3);
            if (close < 0) {
                break; // no later start can find an end either
            }
            changed = started(changed, out);
            out.append(s, copied, i);
            copied = close + 2;
            i = close + 1;
        }
        return finished(changed, in, copied, out);
    }

    /**
     * {@code s/(?:--|#)[^'"\r\n]*(?=[\r\n]|\Z)//g}: a comment to the end of its line, unless a quote comes first.
     * The greedy run is the only candidate: a shorter one would end before a character that is neither a line end nor
     * the input's end.
     */
    static boolean removeLineComments(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            int m = s[i] == '#' ? 1 : s[i] == '-' && i + 1 < n && s[i + 1] == '-' ? 2 : 0;
            if (m == 0) {
                continue;
            }
            int k = i + m;
            while (k < n && s[k] != '\'' && s[k] != '"' && s[k] != '\r' && s[k] != '\n') {
                k++;
            }
            if (k < n && s[k] != '\r' && s[k] != '\n') {
                continue; // stopped at a quote
            }
            changed = started(changed, out);
            out.append(s, copied, i);
            copied = k;
            i = k - 1;
        }
        return finished(changed, in, copied, out);
    }

    /**
     * {@code s/\\b(select\\s.*?)(?:(\\sunion(?:\\sall)?)\\s\\1)+/$1 \/*repeat$2*\//g}: a SELECT repeated with UNION (ALL)
     * is written once. For each "select" the shortest first part that one repetition follows wins; repetitions are
     * then taken while they match, each with " all" tried first, as the regular expression's greedy loop does.
     */
    static boolean collapseUnions(ByteText in, ByteText out) {
        byte[] s = in.bytes;
        int n = in.length;
        boolean changed = false;
        int copied = 0;
        int p = in.indexOf(A_SELECT, 0);
        while (p >= 0) {
            int groupEnd = -1;
            int matchEnd = -1;
            int unionFrom = -1;
            int unionTo = -1;
            if (p + 6 < n && isRegexSpace(s[p + 6]) && boundaryBefore(in, p)) {
                for (int e = p + 7; e <= n; e++) {
                    long r = repetition(in, p, e, e);
                    if (r >= 0) {
                        groupEnd = e;
                        unionFrom = e;
                        unionTo = (int) r;
                        matchEnd = (int) (r >>> 32);
                        for (long more = repetition(in, p, e, matchEnd); more >= 0; more = repetition(in, p, e, matchEnd)) {
                            unionFrom = matchEnd;
                            unionTo = (int) more;
                            matchEnd = (int) (more >>> 32);
                        }
                        break;
                    }
                    if (e < n && isLineTerminator(s[e])) {
                        break; // .*? cannot take it
                    }
                }
            }
            if (matchEnd < 0) {
                p = in.indexOf(A_SELECT, p + 1);
                continue;
            }
            changed = started(changed, out);
            out.append(s, copied, groupEnd);
            out.append(A_REPEAT);
            out.append(s, unionFrom, unionTo);
            out.append(A_COMMENT_END);
            copied = matchEnd;
            p = in.indexOf(A_SELECT, matchEnd);
        }
        return finished(changed, in, copied, out);
    }

    /**
     * One {@code (\\sunion(?:\\sall)?)\\s\\1} at {@code at}, group 1 being [p, groupEnd): its end in the high half and
     * the end of the union part in the low half, or -1.
     */
    private static long repetition(ByteText in, int p, int groupEnd, int at) {
        byte[] s = in.bytes;
        int n = in.length;
        if (at + 6 > n || !isRegexSpace(s[at]) || !in.startsWith(A_UNION, at + 1)) {
            return -1;
        }
        int u = at + 6;
        if (u + 4 <= n && isRegexSpace(s[u]) && in.startsWith(A_ALL, u + 1)) {
            long end = sameAgain(in, p, groupEnd, u + 4);
            if (end >= 0) {
                return end << 32 | (u + 4);
            }
        }
        long end = sameAgain(in, p, groupEnd, u);
        return end < 0 ? -1 : end << 32 | u;
    }

    /** {@code \\s\\1} at {@code at}: its end, or -1. */
    private static long sameAgain(ByteText in, int p, int groupEnd, int at) {
        int len = groupEnd - p;
        if (at >= in.length || !isRegexSpace(in.bytes[at]) || at + 1 + len > in.length) {
            return -1;
        }
        return java.util.Arrays.equals(in.bytes, p, groupEnd, in.bytes, at + 1, at + 1 + len) ? at + 1 + len : -1;
    }

    static String collapseUnions(String s) {
        return onString(s, FingerprintScans::collapseUnions);
    }

    /** At a scan's first replacement, {@code out} starts empty; returns true (the text changed). */
    private static boolean started(boolean changed, ByteText out) {
        if (!changed) {
            out.clear();
        }
        return true;
    }

    /** A scan's end: after its last replacement the rest of the input follows; returns whether the text changed. */
    private static boolean finished(boolean changed, ByteText in, int copied, ByteText out) {
        if (changed) {
            out.append(in.bytes, copied, in.length);
        }
        return changed;
    }

    /** What {@code .} does not match (without DOTALL), among Latin-1 characters. */
    private static boolean isLineTerminator(byte c) {
        return c == '\n' || c == '\r' || c == (byte) 0x85;
    }

    private static int indexOfIgnoreCase(ByteText s, byte[] word, int from) {
        for (int i = from, last = s.length - word.length; i <= last; i++) {
            if (matchesAscii(s, i, word)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code s} has the lower-case {@code word} at {@code at} in any ASCII case: what CASE_INSENSITIVE
     * without UNICODE_CASE compares.
     */
    static boolean matchesAscii(ByteText s, int at, byte[] word) {
        int n = word.length;
        if (at < 0 || at + n > s.length) {
            return false;
        }
        byte[] b = s.bytes;
        for (int k = 0; k < n; k++) {
            int c = b[at + k];
            int w = word[k];
            if (c != w && !(c >= 'A' && c <= 'Z' && c + 32 == w)) {
                return false;
            }
        }
        return true;
    }

    /** A scan as the tests call it: on a Latin-1 string, returning the same instance when nothing changes. */
    interface Scan {
        boolean apply(ByteText in, ByteText out);
    }

    static String onString(String s, Scan scan) {
        ByteText out = new ByteText(s.length() * 2);
        return scan.apply(ByteText.of(s), out) ? out.toString() : s;
    }

    static String removeEscapedQuotes(String s) {
        return onString(s, FingerprintScans::removeEscapedQuotes);
    }

    static String replaceQuoted(String s, char quote) {
        return onString(s, (in, out) -> replaceQuoted(in, quote, out));
    }

    static String replaceStrictQuoted(String s) {
        return onString(s, FingerprintScans::replaceStrictQuoted);
    }

    static String replaceBooleans(String s) {
        return onString(s, FingerprintScans::replaceBooleans);
    }

    static String replaceNull(String s) {
        return onString(s, FingerprintScans::replaceNull);
    }

    static String collapseLists(String s) {
        return onString(s, FingerprintScans::collapseLists);
    }

    static String collapseLimit(String s) {
        return onString(s, FingerprintScans::collapseLimit);
    }

    static String dropAscAfterOrderBy(String s) {
        return onString(s, FingerprintScans::dropAscAfterOrderBy);
    }
}
