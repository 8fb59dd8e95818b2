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
}
