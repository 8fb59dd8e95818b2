package io.dbops.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an input stream as records ending in a separator, like Perl's readline with a record
 * separator: each record includes its separator, the last one may lack it. Memory is bounded by
 * the largest record, not the input.
 */
final class RecordReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;
    private long offset;
    private long line = 1;
    private boolean lastMayHaveBanner;

    RecordReader(InputStream in) {
        this(in, 0, 1);
    }

    /** A reader over a slice of a log that starts at byte {@code offset}, line {@code line} of the whole. */
    RecordReader(InputStream in, long offset, long line) {
        this.in = in;
        this.offset = offset;
        this.line = line;
    }

    /** Byte offset of the next record. */
    long offset() {
        return offset;
    }

    /** Line number where the next record starts. */
    long line() {
        return line;
    }

    /**
     * Whether the last record read may hold a server start-up banner: it contains "Port:" or "port:", "Version" or "Command",
     * one of which every banner line has. Found in the same pass that looks for the separator.
     */
    boolean lastMayHaveBanner() {
        return lastMayHaveBanner;
    }

    /** The next record up to and including {@code separator}, or what is left at the end; null when nothing is. */
    String read(byte[] separator) throws IOException {
        int length = readInPlace(separator);
        return length < 0 ? null : new String(buf, recordStart, length, StandardCharsets.ISO_8859_1);
    }

    private int recordStart;

    /** The buffer holding the record {@link #readInPlace} found, from {@link #recordStart()}; valid until the next read. */
    byte[] buffer() {
        return buf;
    }

    int recordStart() {
        return recordStart;
    }

    /** {@link #read} without making a string: the record's length (it is in {@link #buffer()}), or -1 at the end. */
    int readInPlace(byte[] separator) throws IOException {
        // one pass over the bytes: the separator, the record's newlines and the banner hint together
        byte first = separator[0];
        int sepLen = separator.length;
        int scan = start;
        int newlines = 0;
        boolean hint = false;
        while (true) {
            byte[] b = buf;
            int last = end - sepLen;
            for (int i = scan; i <= last; i++) {
                byte c = b[i];
                if (c == first && matches(separator, i)) {
                    for (byte x : separator) {
                        if (x == '\n') {
                            newlines++;
                        }
                    }
                    return take(i + sepLen - start, newlines, hint);
                }
                if (c == '\n') {
                    newlines++;
                } else if ((c == ':' || c == 'n' || c == 'd') && !hint) {
                    hint = bannerWordEndsAt(i);
                }
            }
            scan = Math.max(scan, last + 1);
            if (eof) {
                if (end <= start) {
                    return -1;
                }
                for (int i = scan; i < end; i++) {
                    if (buf[i] == '\n') {
                        newlines++;
                    } else if (!hint) {
                        hint = bannerWordEndsAt(i);
                    }
                }
                return take(end - start, newlines, hint);
            }
            int shift = scan - start;
            fill();
            scan = start + shift;
        }
    }

    /** "Port:" or "port:", "Version" or "Command" ending at {@code i}, within the record being read. */
    private boolean bannerWordEndsAt(int i) {
        byte c = buf[i];
        if (c == ':') {
            // the banner's "Tcp port:" or "TCP Port:", not every "...sort:" of a header
            return endsWith(i, ORT) && i - ORT.length >= start && (buf[i - ORT.length] | 0x20) == 'p';
        }
        if (c == 'n') {
            return endsWith(i, VERSION);
        }
        return c == 'd' && endsWith(i, COMMAND);
    }

    private static final byte[] ORT = "ort:".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] VERSION = "Version".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] COMMAND = "Command".getBytes(StandardCharsets.ISO_8859_1);

    private boolean endsWith(int i, byte[] word) {
        int from = i - word.length + 1;
        if (from < start) {
            return false;
        }
        for (int j = 0; j < word.length; j++) {
            if (buf[from + j] != word[j]) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(byte[] sep, int at) {
        for (int j = 1; j < sep.length; j++) {
            if (buf[at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }

    private int take(int length, int newlines, boolean hint) {
        recordStart = start;
        line += newlines;
        start += length;
        offset += length;
        lastMayHaveBanner = hint;
        return length;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }
}
