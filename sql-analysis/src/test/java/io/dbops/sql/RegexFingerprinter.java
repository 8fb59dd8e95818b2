package io.dbops.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fingerprinter's literal rules as they were before they became scans: every rule a regular
 * expression, in pt's order. Kept as the oracle that {@link Fingerprinter} must equal on any query.
 */
final class RegexFingerprinter {

    static final Pattern ESCAPED_QUOTE = Pattern.compile("\\\\[\"']");
    static final Pattern DOUBLE_QUOTED = Pattern.compile("\".*?\"", Pattern.DOTALL);
    static final Pattern SINGLE_QUOTED = Pattern.compile("'.*?'", Pattern.DOTALL);
    static final Pattern STRICT_QUOTED = Pattern.compile(
            "'(?:[^'\\\\]|\\\\.|'')*'|\"(?:[^\"\\\\]|\\\\.|\"\")*\"", Pattern.DOTALL);
    static final Pattern BOOLEAN = Pattern.compile("\\bfalse\\b|\\btrue\\b", Pattern.CASE_INSENSITIVE);
    static final Pattern NULL = Pattern.compile("\\bnull\\b");
    static final Pattern IN_VALUES_LIST = Pattern.compile("\\b(in|values?)(?:[\\s,]*\\([\\s?,]*\\))+");
    static final Pattern LIMIT = Pattern.compile("\\blimit \\?(?:, ?\\?| offset \\?)?");
    static final Pattern ORDER_BY = Pattern.compile("\\bORDER BY ", Pattern.CASE_INSENSITIVE);
    static final Pattern ASC_AFTER = Pattern.compile("(.+?)\\s+ASC", Pattern.CASE_INSENSITIVE);
    static final Pattern REPEATED_UNION = Pattern.compile("\\b(select\\s.*?)(?:(\\sunion(?:\\sall)?)\\s\\1)+");
    // the rules before the literal ones, as Fingerprinter ran them
    static final Pattern PERCONA_TOOLKIT = Pattern.compile("/\\*\\w+\\.\\w+:[0-9]/[0-9]\\*/");
    static final Pattern CALL = Pattern.compile("\\A\\s*(call\\s+\\S+)\\(", Pattern.CASE_INSENSITIVE);
    static final Pattern MULTI_ROW_INSERT = Pattern.compile(
            "\\A((?:INSERT|REPLACE)(?: IGNORE)?\\s+INTO.+?VALUES\\s*\\(.*?\\))\\s*,\\s*\\(",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    static final Pattern MULTI_LINE_COMMENT = Pattern.compile("/\\*[^!].*?\\*/", Pattern.DOTALL);
    static final Pattern ONE_LINE_COMMENT = Pattern.compile("(?:--|#)[^'\"\\r\\n]*(?=[\\r\\n]|\\Z)");

    private final Fingerprinter.Mode mode;

    RegexFingerprinter(Fingerprinter.Mode mode) {
        this.mode = mode;
    }

    /** {@link Fingerprinter#abstractLiterals} as it was: every rule a regular expression. */
    String abstractLiterals(String q) {
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
            q = Fingerprinter.STRICT_NUMBER.matcher(q).replaceAll("?");
        } else {
            q = abstractNumbers(q);
        }
        q = normalizeSpaceAndCase(q);
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

    static final Pattern NUMBER = Pattern.compile("[0-9+-][0-9a-f.xb+-]*");
    static final Pattern NUMBER_LEFTOVER = Pattern.compile("[xb.+-]\\?");
    static final Pattern LEADING_SPACE = Pattern.compile("\\A[ \\t\\n\\r\\f\\x0B]+");
    static final Pattern SPACE_RUN = Pattern.compile("[ \\n\\t\\r\\f]+");

    /** pt's number rule: s/[0-9+-][0-9a-f.xb+-]*\/?/g, then its leftovers s/[xb.+-]\\?/?/g. */
    static String abstractNumbers(String s) {
        return NUMBER_LEFTOVER.matcher(NUMBER.matcher(s).replaceAll("?")).replaceAll("?");
    }

    /** pt's s/\\A\\s+//, chomp, tr[ \\n\\t\\r\\f][ ]s and lc. */
    static String normalizeSpaceAndCase(String s) {
        String t = LEADING_SPACE.matcher(s).replaceFirst("");
        if (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        return Fingerprinter.asciiLower(SPACE_RUN.matcher(t).replaceAll(" "));
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
