package io.dbops.sql;

import java.nio.charset.StandardCharsets;

/**
 * Fixed words as bytes, for the byte-string scans to compare with: reading a {@code String}
 * constant char by char costs more than the comparison itself in the quick-compiled code a digest
 * runs.
 */
final class Ascii {
    private Ascii() {
    }

    static byte[] of(String ascii) {
        return ascii.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether [at, to) of {@code s} starts with {@code prefix}. */
    static boolean startsWith(byte[] s, int to, byte[] prefix, int at) {
        int n = prefix.length;
        if (at < 0 || at + n > to) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (s[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** The first place of {@code needle} in [from, to) of {@code s}, or -1. */
    static int indexOf(byte[] s, byte[] needle, int from, int to) {
        byte first = needle[0];
        for (int i = Math.max(0, from), last = to - needle.length; i <= last; i++) {
            if (s[i] == first && startsWith(s, to, needle, i)) {
                return i;
            }
        }
        return -1;
    }
}
