package io.dbops.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a query into its fingerprint (the query with literals abstracted) and query id, exactly as
 * pt-query-digest 3.2.1 does by default, so ids match the history in PMM, Anemometer and Archery.
 *
 * <p>Strings here are byte strings: callers decode the log as ISO-8859-1 (one char per byte),
 * like Perl without a decoding layer, so that lower-casing touches ASCII only and the MD5 is over
 * the original bytes. The rules run in pt's order; each comment says what the rule is for.
 *
 * <p>{@link Mode#STRICT} fixes two plain pt flaws and is never the default: quoted strings with
 * doubled or escaped quotes ({@code 'O''Brien'} is one literal, not {@code ??}) and numbers inside
 * identifiers ({@code t1} stays {@code t1}, as with pt's --preserve-embedded-numbers), and a sign
 * after an operand stays an operator ({@code VALUES(a)+1} keeps its {@code +}).
 */
public final class Fingerprinter {
    private static final byte[] A_TRUE = Ascii.of("true");
    private static final byte[] A_FALSE = Ascii.of("false");
    private static final byte[] A_NULL = Ascii.of("null");
    private static final byte[] A_UNION = Ascii.of("union");
    private static final byte[] A_LIMIT = Ascii.of("limit");
    private static final byte[] A_ORDER = Ascii.of("order");
    private static final byte[] A_CALL = Ascii.of("call");
    private static final byte[] A_INSERT = Ascii.of("insert");
    private static final byte[] A_REPLACE = Ascii.of("replace");
    private static final byte[] A_USE = Ascii.of("use");
    private static final byte[] A_SELECT_40001_SQL_NO_CACHE_FROM = Ascii.of("SELECT /*!40001 SQL_NO_CACHE */ * FROM `");
    private static final byte[] A_COMMENT_START = Ascii.of("/*");
    private static final byte[] A_ADMINISTRATOR_COMMAND = Ascii.of("administrator command: ");
    private static final byte[] A_DASHES = Ascii.of("--");

    /** Which rules to apply. */
    public enum Mode {
        /** Identical to pt-query-digest 3.2.1 (the default). */
        PT,
        /** pt's rules with its known flaws fixed; ids differ from pt's where the flaws applied. */
        STRICT
    }

    private static final Pattern USE_DB = Pattern.compile("\\Ause \\S+\\Z", Pattern.CASE_INSENSITIVE);
    // pt's number rule ([0-9+-][0-9a-f.xb+-]*, see numbersSpaceAndCase) is deliberately broad: it also eats
    // digits inside identifiers (t1 -> t?)
    static final Pattern STRICT_NUMBER = Pattern.compile(
            "(?:(?<![\\w)\\]`?]\\s{0,8})[+-]\\s{0,8})?(?<![\\w$.])"
                    + "(?:0x[0-9a-f]+|0b[01]+|\\d+(?:\\.\\d*)?(?:e[+-]?\\d+)?|\\.\\d+(?:e[+-]?\\d+)?)(?![\\w$])",
            Pattern.CASE_INSENSITIVE);

    private final Mode mode;

    public Fingerprinter(Mode mode) {
        this.mode = mode;
    }

    public static Fingerprinter pt() {
        return new Fingerprinter(Mode.PT);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The fingerprint of a query given as a byte string (one char per byte of the log). Text with characters past
     * U+00FF (a statement read through JDBC, say) is fingerprinted as its UTF-8 bytes, which is what pt-query-digest
     * reads from a log, and the fingerprint is given back as text.
     */
    public String fingerprint(String query) {
        for (int i = 0, n = query.length(); i < n; i++) {
            if (query.charAt(i) > 0xFF) {
                String bytes = new String(query.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                return new String(fingerprintBytes(bytes).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return fingerprintBytes(query);
    }

    /**
     * The fingerprint of the query in {@code [from, to)} of {@code log} (bytes as the log has them), left in one of
     * {@code scratch}'s buffers (valid until its next use), with no {@code String} on the way.
     */
    ByteText fingerprint(byte[] log, int from, int to, Scratch scratch) {
        scratch.a.set(log, from, to);
        return fingerprint(scratch);
    }

    private String fingerprintBytes(String query) {
        Scratch scratch = new Scratch();
        scratch.a.set(query);
        return fingerprint(scratch).toString();
    }

    /** pt's rules in pt's order on the query in {@code scratch.a}; returns the buffer holding the fingerprint. */
    private ByteText fingerprint(Scratch scratch) {
        // each rule is guarded by a cheap test for what it needs to match; the results are pt's
        ByteText q = scratch.a;
        if (q.startsWith(A_SELECT_40001_SQL_NO_CACHE_FROM, 0)) {
            q.set(MYSQLDUMP, 0, MYSQLDUMP.length);
            return q;
        }
        boolean comments = q.indexOf(A_COMMENT_START, 0) >= 0;
        if (comments && FingerprintScans.perconaToolkit(q)) {
            q.set(PERCONA_TOOLKIT_FINGERPRINT, 0, PERCONA_TOOLKIT_FINGERPRINT.length);
            return q;
        }
        if (q.startsWith(A_ADMINISTRATOR_COMMAND, 0)) {
            return q;
        }
        if (startsWithWord(q, A_CALL) && FingerprintScans.call(q, scratch.b)) {
            return scratch.swap();
        }
        if (startsWithWord(q, A_INSERT) || startsWithWord(q, A_REPLACE)) {
            // multi-row INSERT/REPLACE: keep only the first row before anything expensive runs on it
            int end = FingerprintScans.multiRowInsertEnd(q);
            if (end >= 0) {
                q.length = end;
            }
        }
        // /* comments */ but not /*! version-conditional code */, then -- and # comments
        if (comments && FingerprintScans.removeComments(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if ((scratch.a.indexOf(A_DASHES, 0) >= 0 || scratch.a.indexOf('#', 0) >= 0) && FingerprintScans.removeLineComments(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if (startsWithWord(scratch.a, A_USE)) {
            Matcher m = USE_DB.matcher(scratch.a.toString());
            if (m.find()) {
                scratch.a.set(m.replaceFirst("use ?"));
                return scratch.a;
            }
        }
        return abstractLiterals(scratch);
    }

    private static final byte[] MYSQLDUMP = {'m', 'y', 's', 'q', 'l', 'd', 'u', 'm', 'p'};
    private static final byte[] PERCONA_TOOLKIT_FINGERPRINT = "percona-toolkit".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * pt's rules from the quoted literals on (literals, numbers, white space and case, lists, unions, LIMIT, ASC),
     * for a query whose comments are gone.
     */
    String abstractLiterals(String q) {
        Scratch scratch = new Scratch();
        scratch.a.set(q);
        return abstractLiterals(scratch).toString();
    }

    /**
     * Buffers for fingerprinting on one thread, reused from query to query: the query goes into {@link #a}, the rules
     * write back and forth between the two.
     */
    static final class Scratch {
        ByteText a = new ByteText(256);
        ByteText b = new ByteText(256);

        /** Makes the buffer that holds {@code result} {@link #a} again, so the next rule reads it there. */
        private ByteText swap() {
            ByteText t = a;
            a = b;
            b = t;
            return a;
        }
    }

    /** {@link #abstractLiterals(String)} on {@code scratch.a}; returns the buffer holding the result. */
    ByteText abstractLiterals(Scratch scratch) {
        // which of these rules can apply at all, from one look at the query (their own guards were a scan each)
        int features = features(scratch.a);
        if (mode == Mode.STRICT) {
            if (FingerprintScans.replaceStrictQuoted(scratch.a, scratch.b)) {
                scratch.swap();
            }
        } else {
            // the frequent rules run as scans (FingerprintScans), each exactly its regular expression
            if ((features & BACKSLASH) != 0 && FingerprintScans.removeEscapedQuotes(scratch.a, scratch.b)) {
                scratch.swap();
            }
            if ((features & DOUBLE_QUOTE) != 0 && FingerprintScans.replaceQuoted(scratch.a, '"', scratch.b)) {
                scratch.swap();
            }
            if ((features & SINGLE_QUOTE) != 0 && FingerprintScans.replaceQuoted(scratch.a, '\'', scratch.b)) {
                scratch.swap();
            }
        }
        if ((features & BOOLEAN) != 0 && FingerprintScans.replaceBooleans(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if (mode == Mode.STRICT) {
            scratch.a.set(STRICT_NUMBER.matcher(scratch.a.toString()).replaceAll("?"));
            spaceAndCase(scratch.a, scratch.b, false);
        } else {
            spaceAndCase(scratch.a, scratch.b, true);
        }
        scratch.swap();
        if ((features & NULL) != 0 && FingerprintScans.replaceNull(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if ((features & PARENTHESIS) != 0 && FingerprintScans.collapseLists(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if ((features & UNION) != 0 && FingerprintScans.collapseUnions(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if ((features & LIMIT) != 0 && FingerprintScans.collapseLimit(scratch.a, scratch.b)) {
            scratch.swap();
        }
        if ((features & ORDER) != 0 && FingerprintScans.dropAscAfterOrderBy(scratch.a, scratch.b)) {
            scratch.swap();
        }
        return scratch.a;
    }

    private static final int BACKSLASH = 1;
    private static final int DOUBLE_QUOTE = 1 << 1;
    private static final int SINGLE_QUOTE = 1 << 2;
    private static final int BOOLEAN = 1 << 3;
    private static final int NULL = 1 << 4;
    private static final int PARENTHESIS = 1 << 5;
    private static final int UNION = 1 << 6;
    private static final int LIMIT = 1 << 7;
    private static final int ORDER = 1 << 8;
    private static final int ALL = (1 << 9) - 1;

    /**
     * What the rules after the comments may find, read in one pass: a quote, a backslash, "(", and the words
     * true, false, null, union, limit and order in any case. Every later rule only removes text or puts "?"
     * (never a letter) in place of it, and the only rule that can join two pieces into a new word, removing
     * escaped quotes, has them all run; so a rule whose feature is absent here has nothing to do.
     */
    static int features(ByteText q) {
        int f = 0;
        byte[] s = q.bytes;
        for (int i = 0, n = q.length; i < n; i++) {
            switch (s[i]) {
                case '\\' -> {
                    return ALL;
                }
                case '"' -> f |= DOUBLE_QUOTE;
                case '\'' -> f |= SINGLE_QUOTE;
                case '(' -> f |= PARENTHESIS;
                case 't', 'T' -> f |= FingerprintScans.matchesAscii(q, i, A_TRUE) ? BOOLEAN : 0;
                case 'f', 'F' -> f |= FingerprintScans.matchesAscii(q, i, A_FALSE) ? BOOLEAN : 0;
                case 'n', 'N' -> f |= FingerprintScans.matchesAscii(q, i, A_NULL) ? NULL : 0;
                case 'u', 'U' -> f |= FingerprintScans.matchesAscii(q, i, A_UNION) ? UNION : 0;
                case 'l', 'L' -> f |= FingerprintScans.matchesAscii(q, i, A_LIMIT) ? LIMIT : 0;
                case 'o', 'O' -> f |= FingerprintScans.matchesAscii(q, i, A_ORDER) ? ORDER : 0;
                default -> {
                }
            }
        }
        return f;
    }

    /**
     * pt's s/\\A\\s+//, chomp, tr[ \\n\\t\\r\\f][ ]s and lc in one pass: leading whitespace dropped, one
     * trailing newline dropped, each run of those five characters made one space, ASCII letters lower-cased
     * (Perl's lc on a byte string).
     */
    static String normalizeSpaceAndCase(String s) {
        ByteText out = new ByteText(s.length());
        spaceAndCase(ByteText.of(s), out, false);
        return out.toString();
    }

    /**
     * pt's number rule, then {@link #normalizeSpaceAndCase}, in one pass. Numbers: every run matching
     * [0-9+-][0-9a-f.xb+-]* becomes "?", then number leftovers ("x?", "b?", ".?", "+?", "-?") become "?", left to
     * right, each character used once; the leftover test looks at the character as it was, before lower-casing
     * ("X?" stays). The number rule neither makes nor takes white space, so the leading white space and the final
     * newline that normalizing drops are the input's own.
     */
    static String numbersSpaceAndCase(String s) {
        ByteText out = new ByteText(s.length());
        spaceAndCase(ByteText.of(s), out, true);
        return out.toString();
    }

    private static void spaceAndCase(ByteText in, ByteText result, boolean numbers) {
        byte[] s = in.bytes;
        int from = 0;
        int to = in.length;
        while (from < to && isPerlSpace(s[from])) {
            from++;
        }
        if (to > from && s[to - 1] == '\n') {
            to--;
        }
        result.clear();
        result.ensure(to - from);
        byte[] out = result.bytes;
        int o = 0;
        boolean lastLeftover = false; // whether out[o - 1] is a number leftover character copied from the input
        boolean inRun = false;
        for (int i = from; i < to; i++) {
            byte c = s[i];
            if (numbers && startsNumber(c)) {
                int j = i + 1;
                while (j < to && isNumberTail(s[j])) {
                    j++;
                }
                i = j - 1;
                c = '?';
            }
            if (c == '?' && lastLeftover) {
                out[o - 1] = '?';
                lastLeftover = false;
                inRun = false;
            } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
                if (!inRun) {
                    out[o++] = ' ';
                    inRun = true;
                }
                lastLeftover = false;
            } else {
                lastLeftover = numbers && isLeftover(c);
                out[o++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
                inRun = false;
            }
        }
        result.length = o;
    }

    private static boolean startsNumber(byte c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-';
    }

    private static boolean isLeftover(byte c) {
        return c == 'x' || c == 'b' || c == '.' || c == '+' || c == '-';
    }

    private static boolean isNumberTail(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == 'x' || c == 'b' || c == '+' || c == '-';
    }

    /** Whether the text, after leading whitespace, starts with the word (any ASCII case). */
    static boolean startsWithWord(ByteText s, byte[] word) {
        int i = 0;
        while (i < s.length && isPerlSpace(s.bytes[i])) {
            i++;
        }
        return FingerprintScans.matchesAscii(s, i, word);
    }

    /** Upper-case hex MD5 of the fingerprint's bytes: pt-query-digest's checksum, the query id. */
    public static String queryId(String fingerprint) {
        byte[] md5 = MD5.get().digest(fingerprint.getBytes(StandardCharsets.ISO_8859_1));
        char[] hex = new char[32];
        for (int i = 0; i < 16; i++) {
            hex[2 * i] = HEX[(md5[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[md5[i] & 0xF];
        }
        return new String(hex);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** One MD5 per thread: looking the algorithm up costs more than hashing a fingerprint. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static boolean isPerlSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** Lower-cases ASCII letters only, like Perl's lc on a byte string. */
    static String asciiLower(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = s.toCharArray();
                }
                chars[i] = (char) (c + 32);
            }
        }
        return chars == null ? s : new String(chars);
    }
}
