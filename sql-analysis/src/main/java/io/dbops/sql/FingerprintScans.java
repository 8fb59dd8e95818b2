package io.dbops.sql;

/**
 * pt-query-digest's most frequent fingerprint rules as hand-written scans. On the Latin-1 byte
 * strings a slow log gives, each one gives exactly what its regular expression (named in its
 * Javadoc, as {@link Fingerprinter} used to run it) gives with {@code java.util.regex} on Java 17,
 * word boundaries included; on a digest of a hundred thousand queries the regular expressions were
 * most of the fingerprinting time. Each returns its input unchanged (the same instance) when there
 * is nothing to replace. {@code FingerprintScansTest} checks every scan against its regular
 * expression on many generated and mutated queries.
 */
final class FingerprintScans {
    private FingerprintScans() {
    }

    /**
     * A word character for {@code \b} as {@code java.util.regex} on Java 17 sees it (letters and digits in
     * the Unicode sense, and '_'), not only {@code \w}'s ASCII ones. Exact for the byte strings a slow log
     * gives (Latin-1 has no non-spacing marks); past Latin-1 a non-spacing mark counts as a word character
     * without the regular expression's look for a base character before it.
     */
    static boolean isBoundaryWord(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }

    /** Whether a word starting at {@code i} has a {@code \b} before it. */
    private static boolean boundaryBefore(String s, int i) {
        return i == 0 || !isBoundaryWord(s.charAt(i - 1));
    }

    /** Whether a word ending before {@code i} has a {@code \b} after it. */
    private static boolean boundaryAfter(String s, int i) {
        return i >= s.length() || !isBoundaryWord(s.charAt(i));
    }

    /** {@code \s} of {@code java.util.regex} without UNICODE_CHARACTER_CLASS. */
    static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** {@code s/\\["']//g}: a backslash before a quote goes, with the quote. */
    static String removeEscapedQuotes(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + 1 < n; i++) {
            if (s.charAt(i) == '\\' && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\'')) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, i);
                copied = i + 2;
                i++;
            }
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /** {@code s/".*?"/?/sg} (or with single quotes): each quoted stretch, shortest first, becomes "?". */
    static String replaceQuoted(String s, char quote) {
        int open = s.indexOf(quote);
        if (open < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        int copied = 0;
        while (open >= 0) {
            int close = s.indexOf(quote, open + 1);
            if (close < 0) {
                break; // an unclosed quote: no later quote can close anything either
            }
            out.append(s, copied, open).append('?');
            copied = close + 1;
            open = s.indexOf(quote, copied);
        }
        return out.append(s, copied, n).toString();
    }

    /**
     * {@code --fingerprint strict}'s quoted literal, {@code '(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"} (DOTALL),
     * each becoming "?". The regular expression recursed once per character and overflowed the stack on a long
     * literal; this scan follows its one greedy path and, where that finds no closing quote, backs off to the last
     * doubled quote as the regular expression's backtracking does.
     */
    static String replaceStrictQuoted(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            char q = s.charAt(i);
            if (q != '\'' && q != '"') {
                continue;
            }
            int j = i + 1;
            int lastDoubled = -1;
            while (j < n) {
                char c = s.charAt(j);
                if (c == '\\') {
                    if (j + 1 >= n) {
                        break;
                    }
                    j += 2;
                } else if (c == q) {
                    if (j + 1 < n && s.charAt(j + 1) == q) {
                        lastDoubled = j;
                        j += 2;
                    } else {
                        break;
                    }
                } else {
                    j++;
                }
            }
            int close = j < n && s.charAt(j) == q ? j : lastDoubled;
            if (close < 0) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, copied, i).append('?');
            copied = close + 1;
            i = close;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /** {@code s/\bfalse\b|\btrue\b/?/ig}. */
    static String replaceBooleans(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + 4 <= n; i++) {
            char c = (char) (s.charAt(i) | 0x20);
            int len = c == 't' && matchesAscii(s, i, "true") ? 4 : c == 'f' && matchesAscii(s, i, "false") ? 5 : 0;
            if (len > 0 && boundaryBefore(s, i) && boundaryAfter(s, i + len)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, i).append('?');
                copied = i + len;
                i += len - 1;
            }
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /** {@code s/\bnull\b/?/g} (case-sensitive: it runs after lower-casing). */
    static String replaceNull(String s) {
        int at = s.indexOf("null");
        if (at < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (; at >= 0; at = s.indexOf("null", at + 1)) {
            if (at >= copied && boundaryBefore(s, at) && boundaryAfter(s, at + 4)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, at).append('?');
                copied = at + 4;
            }
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /** {@code s/\b(in|values?)(?:[\s,]*\([\s?,]*\))+/$1(?+)/g}: a list of placeholders becomes one. */
    static String collapseLists(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if ((c != 'i' && c != 'v') || !boundaryBefore(s, i)) {
                continue;
            }
            int keyword = 0;
            int end = -1;
            if (s.startsWith("in", i)) {
                keyword = 2;
                end = lists(s, i + 2);
            } else if (s.startsWith("value", i)) {
                // values? is greedy: "values" first, then "value"
                if (s.startsWith("values", i)) {
                    keyword = 6;
                    end = lists(s, i + 6);
                }
                if (end < 0) {
                    keyword = 5;
                    end = lists(s, i + 5);
                }
            }
            if (end < 0) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, copied, i + keyword).append("(?+)");
            copied = end;
            i = end - 1;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /** The end of {@code (?:[\s,]*\([\s?,]*\))+} matched at {@code from}, or -1. */
    private static int lists(String s, int from) {
        int n = s.length();
        int matched = -1;
        int j = from;
        while (true) {
            int k = j;
            while (k < n && (isRegexSpace(s.charAt(k)) || s.charAt(k) == ',')) {
                k++;
            }
            if (k >= n || s.charAt(k) != '(') {
                return matched;
            }
            k++;
            while (k < n && (isRegexSpace(s.charAt(k)) || s.charAt(k) == '?' || s.charAt(k) == ',')) {
                k++;
            }
            if (k >= n || s.charAt(k) != ')') {
                return matched;
            }
            j = k + 1;
            matched = j;
        }
    }

    /** {@code s/\blimit \?(?:, ?\?| offset \?)?/limit ?/} (the first one only). */
    static String collapseLimit(String s) {
        for (int at = s.indexOf("limit ?"); at >= 0; at = s.indexOf("limit ?", at + 1)) {
            if (!boundaryBefore(s, at)) {
                continue;
            }
            int end = at + 7;
            if (s.startsWith(", ?", end)) {
                end += 3;
            } else if (s.startsWith(",?", end)) {
                end += 2;
            } else if (s.startsWith(" offset ?", end)) {
                end += 9;
            }
            return end == at + 7 ? s : s.substring(0, at + 7) + s.substring(end);
        }
        return s;
    }

    /**
     * pt's {@code s/\bORDER BY (.+?)\s+ASC/.../gi} as {@link Fingerprinter} applies it: after the first
     * "ORDER BY ", each {@code (.+?)\s+ASC} matched where the previous one ended loses its {@code \s+ASC}
     * ("ASC" also when it only starts a word: " ascii" loses " asc", pt's behaviour).
     */
    static String dropAscAfterOrderBy(String s) {
        int pos = -1;
        for (int at = indexOfIgnoreCase(s, "order by ", 0); at >= 0; at = indexOfIgnoreCase(s, "order by ", at + 1)) {
            if (boundaryBefore(s, at)) {
                pos = at + 9;
                break;
            }
        }
        if (pos < 0) {
            return s;
        }
        StringBuilder out = null;
        int n = s.length();
        while (pos < n) {
            // (.+?) takes at least one character and never a line terminator; \s+ then "asc", any case
            int j = pos + 1;
            int found = -1;
            int after = -1;
            if (isLineTerminator(s.charAt(pos))) {
                break;
            }
            while (j < n) {
                char c = s.charAt(j);
                if (isRegexSpace(c)) {
                    int k = j;
                    while (k < n && isRegexSpace(s.charAt(k))) {
                        k++;
                    }
                    if (matchesAscii(s, k, "asc")) {
                        found = j;
                        after = k + 3;
                        break;
                    }
                    // every start inside this run of spaces ends at the same place: skip it, checking the
                    // characters (.+?) would have to take
                    for (int x = j; x < k; x++) {
                        if (isLineTerminator(s.charAt(x))) {
                            return finish(out, s, pos);
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
            if (out == null) {
                out = new StringBuilder(n).append(s, 0, pos);
            }
            out.append(s, pos, found);
            pos = after;
        }
        return finish(out, s, pos);
    }

    private static String finish(StringBuilder out, String s, int pos) {
        return out == null ? s : out.append(s, pos, s.length()).toString();
    }

    /** What {@code .} does not match (without DOTALL). */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static int indexOfIgnoreCase(String s, String word, int from) {
        for (int i = from, last = s.length() - word.length(); i <= last; i++) {
            if (matchesAscii(s, i, word)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code s} has the lower-case {@code word} at {@code at} in any ASCII case: what CASE_INSENSITIVE
     * without UNICODE_CASE compares ({@code String.regionMatches} would also fold some non-ASCII letters).
     */
    static boolean matchesAscii(String s, int at, String word) {
        int n = word.length();
        if (at < 0 || at + n > s.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            char c = s.charAt(at + k);
            char w = word.charAt(k);
            if (c != w && !(c >= 'A' && c <= 'Z' && c + 32 == w)) {
                return false;
            }
        }
        return true;
    }
}
