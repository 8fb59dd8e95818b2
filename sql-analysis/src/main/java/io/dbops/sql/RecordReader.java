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

    /** The next record up to and including {@code separator}, or what is left at the end; null when nothing is. */
    String read(byte[] separator) throws IOException {
        int searchFrom = start;
        while (true) {
            int at = indexOf(separator, searchFrom);
            if (at >= 0) {
                return take(at + separator.length - start);
            }
            searchFrom = Math.max(start, end - separator.length + 1);
            if (eof) {
                return end > start ? take(end - start) : null;
            }
            int shift = searchFrom - start;
            fill();
            searchFrom = start + shift;
        }
    }

    private String take(int length) {
        String s = new String(buf, start, length, StandardCharsets.ISO_8859_1);
        for (int i = start; i < start + length; i++) {
            if (buf[i] == '\n') {
                line++;
            }
        }
        start += length;
        offset += length;
        return s;
    }

    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int last = end - sep.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
