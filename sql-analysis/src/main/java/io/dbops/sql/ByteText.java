package io.dbops.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte string: a query (or a piece of one) as the log has it, one byte per character,
 * the way pt-query-digest sees it. The fingerprint rules read and write these instead of
 * {@code String}s: a digest fingerprints every entry of a log, and reading a byte array costs a
 * fraction of {@code String.charAt}, with no object per step.
 */
final class ByteText {
    byte[] bytes;
    int length;

    ByteText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    static ByteText of(String latin1) {
        ByteText t = new ByteText(latin1.length());
        t.set(latin1);
        return t;
    }

    /** Replaces the content with a Latin-1 string's characters (each must be at most U+00FF). */
    void set(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        set(b, 0, b.length);
    }

    /** Replaces the content with {@code [from, to)} of {@code src}. */
    void set(byte[] src, int from, int to) {
        length = 0;
        append(src, from, to);
    }

    void clear() {
        length = 0;
    }

    void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }

    void append(int c) {
        if (length == bytes.length) {
            ensure(1);
        }
        bytes[length++] = (byte) c;
    }

    void append(byte[] src, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(src, from, bytes, length, n);
        length += n;
    }

    void append(byte[] ascii) {
        append(ascii, 0, ascii.length);
    }

    boolean startsWith(byte[] ascii, int at) {
        return Ascii.startsWith(bytes, length, ascii, at);
    }

    int indexOf(int c, int from) {
        for (int i = Math.max(0, from); i < length; i++) {
            if (bytes[i] == (byte) c) {
                return i;
            }
        }
        return -1;
    }

    int indexOf(byte[] ascii, int from) {
        return Ascii.indexOf(bytes, ascii, from, length);
    }

    /** The content as a byte string (ISO-8859-1: one char per byte). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    boolean contentEquals(byte[] other, int from, int to) {
        return Arrays.equals(bytes, 0, length, other, from, to);
    }
}
