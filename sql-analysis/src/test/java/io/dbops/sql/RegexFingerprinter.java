package io.dbops.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fingerprinter as it was before its frequent rules became scans: every rule a regular expression
 * in pt's order. Kept as the oracle that {@link Fingerprinter} must equal on any query.
 */
final class RegexFingerprinter {

    private static final Pattern PERCONA_TOOLKIT = Pattern.compile("/\\*\\w+\\.\\w+:[0-9]/[0-9]\\*/");
    private static final Pattern CALL = Pattern.compile("\\A\\s*(call\\s+\\S+)\\(", Pattern.CASE_INSENSITIVE);
    // multi-row INSERT/REPLACE: keep only the first row before anything expensive runs on it
    private static final Pattern MULTI_ROW_INSERT = Pattern.compile(
            "\\A((?:INSERT|REPLACE)(?: IGNORE)?\\s+INTO.+?VALUES\\s*\\(.*?\\))\\s*,\\s*\\(",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    // /* comments */ but not /*! version-conditional code */
    private static final Pattern MULTI_LINE_COMMENT = Pattern.compile("/\\*[^!].*?\\*/", Pattern.DOTALL);
    private static final Pattern ONE_LINE_COMMENT = Pattern.compile("(?:--|#)[^'\"\\r\\n]*(?=[\\r\\n]|\\Z)");
    private static final Pattern USE_DB = Pattern.compile("\\Ause \\S+\\Z", Pattern.CASE_INSENSITIVE);
    private static final Pattern ESCAPED_QUOTE = Pattern.compile("\\\\[\"']");
    private static final Pattern DOUBLE_QUOTED = Pattern.compile("\".*?\"", Pattern.DOTALL);
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'.*?'", Pattern.DOTALL);
    private static final Pattern STRICT_QUOTED = Pattern.compile(
            "'(?:[^'\\\\]|\\\\.|'')*'|\"(?:[^\"\\\\]|\\\\.|\"\")*\"", Pattern.DOTALL);
    private static final Pattern BOOLEAN = Pattern.compile("\\bfalse\\b|\\btrue\\b", Pattern.CASE_INSENSITIVE);
    // pt's number rule ([0-9+-][0-9a-f.xb+-]*, see abstractNumbers) is deliberately broad: it also eats
    // digits inside identifiers (t1 -> t?)
    private static final Pattern STRICT_NUMBER = Pattern.compile(
            "(?:(?<![\\w)\\]`?]\\s{0,8})[+-]\\s{0,8})?(?<![\\w$.])"
                    + "(?:0x[0-9a-f]+|0b[01]+|\\d+(?:\\.\\d*)?(?:e[+-]?\\d+)?|\\.\\d+(?:e[+-]?\\d+)?)(?![\\w$])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NULL = Pattern.compile("\\bnull\\b");
    private static final Pattern IN_VALUES_LIST = Pattern.compile("\\b(in|values?)(?:[\\s,]*\\([\\s?,]*\\))+");
    private static final Pattern REPEATED_UNION = Pattern.compile("\\b(select\\s.*?)(?:(\\sunion(?:\\sall)?)\\s\\1)+");
    private static final Pattern LIMIT = Pattern.compile("\\blimit \\?(?:, ?\\?| offset \\?)?");
    private static final Pattern ORDER_BY = Pattern.compile("\\bORDER BY ", Pattern.CASE_INSENSITIVE);
    private static final Pattern ASC_AFTER = Pattern.compile("(.+?)\\s+ASC", Pattern.CASE_INSENSITIVE);

    private final Fingerprinter.Mode mode;

    RegexFingerprinter(Fingerprinter.Mode mode) {
        this.mode = mode;
    }

    public String fingerprint(String query) {
        // each rule is guarded by a cheap test for what it needs to match; the results are pt's
        if (query.startsWith("SELECT /*!40001 SQL_NO_CACHE */ * FROM `")) {
            return "mysqldump";
        }
        boolean comments = query.indexOf("/*") >= 0;
        if (comments && PERCONA_TOOLKIT.matcher(query).find()) {
            return "percona-toolkit";
        }
        if (query.startsWith("administrator command: ")) {
            return query;
        }
        Matcher m;
        if (Fingerprinter.startsWithWord(query, "call")) {
            m = CALL.matcher(query);
            if (m.lookingAt()) {
                return Fingerprinter.asciiLower(m.group(1));
            }
        }
        if (Fingerprinter.startsWithWord(query, "insert") || Fingerprinter.startsWithWord(query, "replace")) {
            m = MULTI_ROW_INSERT.matcher(query);
            if (m.lookingAt()) {
                query = m.group(1);
            }
        }
        String q = comments ? MULTI_LINE_COMMENT.matcher(query).replaceAll("") : query;
        if (q.indexOf("--") >= 0 || q.indexOf('#') >= 0) {
            q = ONE_LINE_COMMENT.matcher(q).replaceAll("");
        }
        if (Fingerprinter.startsWithWord(q, "use")) {
            m = USE_DB.matcher(q);
            if (m.find()) {
                return m.replaceFirst("use ?");
            }
        }
        if (mode == Fingerprinter.Mode.STRICT) {
            q = STRICT_QUOTED.matcher(q).replaceAll("?");
        } else {
            if (q.indexOf('\\') >= 0) {
                q = ESCAPED_QUOTE.matcher(q).replaceAll("");
            }
            if (q.indexOf('"') >= 0) {
                q = DOUBLE_QUOTED.matcher(q).replaceAll("?");
            }
            if (q.indexOf('\'') >= 0) {
                q = SINGLE_QUOTED.matcher(q).replaceAll("?");
            }
        }
        if (containsIgnoreCase(q, "true") || containsIgnoreCase(q, "false")) {
            q = BOOLEAN.matcher(q).replaceAll("?");
        }
        if (mode == Fingerprinter.Mode.STRICT) {
            q = STRICT_NUMBER.matcher(q).replaceAll("?");
        } else {
            q = abstractNumbers(q);
        }
        q = Fingerprinter.normalizeSpaceAndCase(q);
        if (q.indexOf("null") >= 0) {
            q = NULL.matcher(q).replaceAll("?");
        }
        if (q.indexOf('(') >= 0) {
            q = IN_VALUES_LIST.matcher(q).replaceAll("$1(?+)");
        }
        if (q.indexOf("union") >= 0) {
            q = REPEATED_UNION.matcher(q).replaceAll("$1 /*repeat$2*/");
        }
        if (q.indexOf("limit ?") >= 0) {
            q = LIMIT.matcher(q).replaceFirst("limit ?");
        }
        return q.indexOf("order by ") >= 0 ? dropAscAfterOrderBy(q) : q;
    }

    /**
     * pt's number rule as a scan: every run matching [0-9+-][0-9a-f.xb+-]* becomes "?"; then, in the
     * same pass, its clean-up of number leftovers ("x?", "b?", ".?", "+?", "-?" become "?", left to
     * right, each character used once).
     */
    static String abstractNumbers(String s) {
        int n = s.length();
        int first = 0;
        while (first < n && !startsNumber(s.charAt(first)) && s.charAt(first) != '?') {
            first++;
        }
        if (first == n) {
            return s;
        }
        char[] out = new char[n];
        s.getChars(0, first, out, 0);
        int o = first;
        boolean lastPlain = true; // whether out[o - 1] was copied from the input (a leftover candidate)
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (startsNumber(c)) {
                int j = i + 1;
                while (j < n && isNumberTail(s.charAt(j))) {
                    j++;
                }
                i = j - 1;
                c = '?';
            }
            if (c == '?' && o > 0 && lastPlain && isLeftover(out[o - 1])) {
                out[o - 1] = '?';
                lastPlain = false;
            } else {
                out[o++] = c;
                lastPlain = true;
            }
        }
        return new String(out, 0, o);
    }

    private static boolean startsNumber(char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-';
    }

    private static boolean isLeftover(char c) {
        return c == 'x' || c == 'b' || c == '.' || c == '+' || c == '-';
    }

    private static boolean isNumberTail(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == 'x' || c == 'b' || c == '+' || c == '-';
    }

    private static boolean containsIgnoreCase(String s, String word) {
        char first = word.charAt(0);
        char upper = Character.toUpperCase(first);
        for (int i = 0; i <= s.length() - word.length(); i++) {
            char c = s.charAt(i);
            if ((c == first || c == upper) && s.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * pt anchors after the first "ORDER BY " and, in one global pass, drops every " ASC" that
     * follows, each match starting where the previous ended. It also cuts "asc" off words that
     * start with it (" ascii" becomes "ii"); that is pt's behaviour and is kept.
     */
    static String dropAscAfterOrderBy(String q) {
        Matcher order = ORDER_BY.matcher(q);
        if (!order.find()) {
            return q;
        }
        int pos = order.end();
        StringBuilder out = new StringBuilder(q.length()).append(q, 0, pos);
        Matcher asc = ASC_AFTER.matcher(q);
        while (pos < q.length()) {
            asc.region(pos, q.length());
            if (!asc.lookingAt()) {
                break;
            }
            out.append(asc.group(1));
            pos = asc.end();
        }
        return out.append(q, pos, q.length()).toString();
    }

}
