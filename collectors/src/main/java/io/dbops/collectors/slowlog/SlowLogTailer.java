package io.dbops.collectors.slowlog;

import io.dbops.sql.SlowLogEntry;
import io.dbops.sql.SlowLogParser;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one slow log as the server writes it, handing out complete entries only.
 *
 * <ul>
 *   <li><b>No half-written entries.</b> An entry is complete once the next one has started (a
 *       {@code ;\n#} boundary), or, for the last entry, once it ends in {@code ;\n} and the file has
 *       not grown for {@code quietPeriod}.</li>
 *   <li><b>Rotation by rename</b> ({@code mv slow.log slow.log.1; FLUSH SLOW LOGS}): the open file
 *       is read to its end (the server may write to it until the flush) before the new file at the
 *       path is followed from its start.</li>
 *   <li><b>Copy-truncate</b>: a file smaller than the position was truncated; reading restarts at
 *       0. Entries written between the copy and the truncation are lost by that method itself.</li>
 *   <li><b>Deleted while tailed</b>: the open file keeps being read; a new file at the path is
 *       picked up as after a rename.</li>
 *   <li><b>Restart</b>: from a {@link TailPosition}. If the file was rotated meanwhile, the rotated
 *       file is found in the same folder by its inode and finished first.</li>
 * </ul>
 * Nothing moves until {@link #commit} is called with a position the caller has delivered, so a
 * crash re-reads at most the last undelivered batch.
 */
public final class SlowLogTailer implements Closeable {
    /** Largest slice read at once; an entry must fit in it (MySQL's max_allowed_packet tops out at 1 GB, logs rarely near). */
    private static final int MAX_READ = 64 << 20;

    private final Path path;
    private final Duration quietPeriod;
    private final Clock clock;
    private FileChannel channel;
    private long inode = -1;
    private long offset;
    private String lastTs;
    private long lastSize = -1;
    private long lastGrowthMillis;
    private boolean draining;
    private long problems;
    private final List<String> recentProblems = new ArrayList<>();

    public SlowLogTailer(Path path, TailPosition start, Duration quietPeriod, Clock clock) throws IOException {
        this.path = path;
        this.quietPeriod = quietPeriod;
        this.clock = clock;
        this.lastGrowthMillis = clock.millis();
        resume(start);
    }

    public Path path() {
        return path;
    }

    /** Parse problems seen so far (entries without a query), each also reported by {@link #drainProblems()}. */
    public long problemCount() {
        return problems;
    }

    /** Problems since the last call, as "path line N (byte M): reason". */
    public List<String> drainProblems() {
        List<String> out = List.copyOf(recentProblems);
        recentProblems.clear();
        return out;
    }

    /** Complete entries written since the committed position; call {@link #commit} once they are delivered. */
    public Batch poll() throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a directory, not a slow log");
        }
        if (channel == null && !open(path, 0, lastTs)) {
            return new Batch(List.of(), position()); // no file yet: nothing to read
        }
        long pathInode = inodeOrMinus(path);
        if (pathInode != -1 && pathInode != inode) {
            draining = true; // renamed away (or deleted) and a new file is at the path
        }
        long size = observe();
        if (draining && quiet() && offset >= size) {
            // the old file is finished and delivered: follow the new one from its start
            channel.close();
            channel = null;
            if (!open(path, 0, lastTs)) {
                return new Batch(List.of(), position());
            }
            size = observe();
        }
        return read(size, quiet());
    }

    /** Current size, noting growth and truncation. */
    private long observe() throws IOException {
        long size = channel.size();
        if (size < offset) {
            offset = 0; // copy-truncate
        }
        if (size != lastSize) {
            lastSize = size;
            lastGrowthMillis = clock.millis();
        }
        return size;
    }

    private boolean quiet() {
        return clock.millis() - lastGrowthMillis >= quietPeriod.toMillis();
    }

    /** Marks everything up to {@code position} as delivered. */
    public void commit(TailPosition position) {
        if (position.inode() == inode) {
            this.offset = position.offset();
            this.lastTs = position.lastTs();
        }
    }

    public TailPosition position() {
        return new TailPosition(inode, offset, lastTs);
    }

    private Batch read(long size, boolean quiet) throws IOException {
        if (size <= offset) {
            return new Batch(List.of(), position());
        }
        int length = (int) Math.min(size - offset, MAX_READ);
        ByteBuffer buf = ByteBuffer.allocate(length);
        channel.read(buf, offset);
        byte[] data = buf.array();
        int read = buf.position();
        int complete = lastBoundary(data, read);
        if (quiet && read == size - offset && endsWithTerminator(data, read)) {
            complete = read; // the last entry is finished: the file stopped growing after its ";"
        }
        if (complete <= 0) {
            return new Batch(List.of(), position());
        }
        List<SlowLogEntry> entries = new ArrayList<>();
        String ts;
        try (SlowLogParser parser = new SlowLogParser(new ByteArrayInputStream(data, 0, complete), lastTs)) {
            for (SlowLogEntry e = parser.next(); e != null; e = parser.next()) {
                entries.add(new SlowLogEntry(offset + e.offset(), e.line(), e.ts(), e.attributes(), e.query(), e.admin()));
            }
            ts = parser.lastTs();
            problems += parser.problemCount();
            parser.problems().forEach(p -> recentProblems.add(path + " byte " + (offset + p.offset()) + ": " + p.reason()));
        }
        return new Batch(entries, new TailPosition(inode, offset + complete, ts));
    }

    /** End (exclusive) of the last complete entry: just after the last ";\n" that is followed by '#'. */
    private static int lastBoundary(byte[] data, int length) {
        for (int i = length - 3; i >= 0; i--) {
            if (data[i] == ';' && data[i + 1] == '\n' && data[i + 2] == '#') {
                return i + 2;
            }
        }
        return -1;
    }

    private static boolean endsWithTerminator(byte[] data, int length) {
        return length >= 2 && data[length - 2] == ';' && data[length - 1] == '\n';
    }

    private void resume(TailPosition start) throws IOException {
        if (start.inode() == -1) {
            open(path, start.offset(), start.lastTs());
            return;
        }
        if (inodeOrMinus(path) == start.inode()) {
            open(path, start.offset(), start.lastTs());
            return;
        }
        // rotated while we were away: finish the old file first if it is still in the folder
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && Files.isDirectory(parent)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(parent)) {
                for (Path f : files) {
                    if (Files.isRegularFile(f) && inodeOrMinus(f) == start.inode()) {
                        open(f, start.offset(), start.lastTs());
                        draining = true;
                        return;
                    }
                }
            }
        }
        open(path, 0, start.lastTs());
    }

    private boolean open(Path file, long at, String ts) throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        inode = inodeOrMinus(file);
        offset = at;
        lastTs = ts;
        lastSize = -1;
        draining = false;
        return true;
    }

    private static long inodeOrMinus(Path p) {
        try {
            Object ino = Files.getAttribute(p, "unix:ino");
            return ino instanceof Number n ? n.longValue() : -1;
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Entries and the position just after them. */
    public record Batch(List<SlowLogEntry> entries, TailPosition end) {
    }
}
