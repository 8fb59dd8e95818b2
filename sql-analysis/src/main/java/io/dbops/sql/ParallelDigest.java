package io.dbops.sql;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Digests a large plain slow log on several cores: the file is cut at entry boundaries into parts,
 * each part is parsed, fingerprinted and aggregated on its own thread, and the part digests are
 * merged in file order. The two things an entry inherits from before it (the {@code # Time:} in
 * force and the default database) are read from the entries just before each cut, so the result
 * equals the sequential digest. Gzip input, stdin and small files are read sequentially.
 */
public final class ParallelDigest {
    /** Below this a file is not worth cutting. */
    static final long MIN_SPLIT_BYTES = 2L << 20;
    private static final int SCAN = 1 << 20;
    /** How far before a cut its context is looked for first (then 8 times as far, and so on). */
    private static final int CONTEXT_WINDOW = 1 << 17;

    /** What one part of a log produced. */
    private record Part(Digest digest, List<ParseProblem> problems, long problemCount, long lines) {
    }

    private ParallelDigest() {
    }

    /** Adds the whole file to {@code into} using up to {@code parts} threads of {@code pool}; returns its problems. */
    public static Result digest(Path file, Digest into, ExecutorService pool, int parts) throws IOException {
        long size;
        boolean gzip;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            ByteBuffer magic = ByteBuffer.allocate(2);
            ch.read(magic, 0);
            gzip = magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
        }
        List<Long> cuts = new ArrayList<>(List.of(0L));
        if (!gzip && parts > 1 && size >= MIN_SPLIT_BYTES) {
            for (int i = 1; i < parts; i++) {
                long cut = boundaryAfter(file, size * i / parts, size);
                if (cut > cuts.get(cuts.size() - 1) && cut < size) {
                    cuts.add(cut);
                }
            }
        }
        cuts.add(size);
        if (cuts.size() == 2) {
            try (SlowLogParser parser = SlowLogParser.open(file)) {
                into.addAll(parser, pool, parts);
                return new Result(parser.problems(), parser.problemCount());
            }
        }
        List<Future<Part>> futures = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) {
            long from = cuts.get(i);
            long to = cuts.get(i + 1);
            String firstDb = into.lastDb();
            boolean first = i == 0;
            // each part reads its own context, on its own thread: no part waits for another's
            futures.add(pool.submit(() -> {
                String[] context = first ? new String[] {null, firstDb} : contextBefore(file, from);
                return part(file, from, to, context[0], context[1], into.fingerprinter());
            }));
        }
        List<ParseProblem> problems = new ArrayList<>();
        long problemCount = 0;
        long lineBase = 0;
        for (Future<Part> f : futures) {
            Part p;
            try {
                p = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            long base = lineBase;
            if (base > 0) {
                for (QueryClass c : p.digest().classes()) {
                    SlowLogEntry e = c.example;
                    c.example = new SlowLogEntry(e.offset(), e.line() + base, e.ts(), e.attributes(), e.query(), e.admin());
                }
            }
            for (ParseProblem pr : p.problems()) {
                problems.add(new ParseProblem(pr.offset(), pr.line() + base, pr.reason()));
            }
            problemCount += p.problemCount();
            into.merge(p.digest());
            lineBase += p.lines();
        }
        return new Result(problems, problemCount);
    }

    /** Problems found in the file: the first ones with their place, and how many in all. */
    public record Result(List<ParseProblem> problems, long problemCount) {
    }

    private static Part part(Path file, long from, long to, String ts, String db, Fingerprinter fp) throws IOException {
        Digest d = new Digest(fp);
        d.inheritDb(db);
        try (SlowLogParser parser = new SlowLogParser(slice(file, from, to), ts, from, 1)) {
            RawEntry raw = new RawEntry();
            for (int kind = parser.next(raw); kind != SlowLogParser.END; kind = parser.next(raw)) {
                if (kind == SlowLogParser.RAW) {
                    d.add(raw);
                } else {
                    d.add(parser.entry());
                }
            }
            return new Part(d, parser.problems(), parser.problemCount(), parser.linesRead());
        }
    }

    /**
     * The first entry boundary at or after {@code pos}: just after a ";\n" that ends a statement line
     * and is followed by '#'. A header-only entry before the cut would need to read across it, so a
     * boundary after a header-like line is skipped.
     */
    static long boundaryAfter(Path file, long pos, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = pos;
            while (at < size) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(SCAN, size - at));
                ch.read(buf, at);
                byte[] b = buf.array();
                int n = buf.position();
                for (int i = 0; i + 2 < n; i++) {
                    if (b[i] == ';' && b[i + 1] == '\n' && b[i + 2] == '#') {
                        int lineStart = i;
                        while (lineStart > 0 && b[lineStart - 1] != '\n') {
                            lineStart--;
                        }
                        if (lineStart == 0) {
                            continue; // cannot see the whole line: try the next boundary
                        }
                        String line = new String(b, lineStart, i - lineStart, StandardCharsets.ISO_8859_1);
                        if (!line.startsWith("#") && !line.startsWith("use ") && !line.startsWith("SET ")) {
                            return at + i + 2;
                        }
                    }
                }
                if (n < 3) {
                    break;
                }
                at += n - 2;
            }
            return size;
        }
    }

    /** The {@code # Time:} and default database in force at {@code cut}, from the entries just before it. */
    static String[] contextBefore(Path file, long cut) throws IOException {
        for (long window = CONTEXT_WINDOW; ; window *= 8) {
            long from = Math.max(0, cut - window);
            long start = from == 0 ? 0 : boundaryAfter(file, from, cut);
            String ts = null;
            String db = null;
            try (SlowLogParser parser = new SlowLogParser(slice(file, start, cut), null, start, 1)) {
                RawEntry raw = new RawEntry();
                for (int kind = parser.next(raw); kind != SlowLogParser.END; kind = parser.next(raw)) {
                    String d;
                    if (kind == SlowLogParser.RAW) {
                        int at = raw.indexOf("db") >= 0 ? raw.indexOf("db") : raw.indexOf("Schema");
                        d = at < 0 ? null : raw.value(at);
                    } else {
                        SlowLogEntry e = parser.entry();
                        d = e.attribute("db") != null ? e.attribute("db") : e.attribute("Schema");
                    }
                    if (d != null) {
                        db = d;
                    }
                }
                ts = parser.lastTs();
            }
            if ((ts != null && db != null) || from == 0) {
                return new String[] {ts, db};
            }
        }
    }

    private static InputStream slice(Path file, long from, long to) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(from);
        InputStream raw = Channels.newInputStream(ch);
        return new BufferedInputStream(new FilterInputStream(raw) {
            private long left = to - from;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int c = super.read();
                if (c >= 0) {
                    left--;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        }, 1 << 16);
    }
}
