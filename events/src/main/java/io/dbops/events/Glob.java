package io.dbops.events;

import java.util.regex.Pattern;

/** Shell-style name patterns as DBAs write them in configs: {@code *} any run of characters, {@code ?} one; case-insensitive. */
public final class Glob {
    private Glob() {
    }

    public static Pattern compile(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Whether {@code name} matches any of the comma-separated patterns in {@code globs}. */
    public static boolean anyMatches(String globs, String name) {
        for (String g : globs.split(",")) {
            if (!g.isBlank() && compile(g.trim()).matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }
}
