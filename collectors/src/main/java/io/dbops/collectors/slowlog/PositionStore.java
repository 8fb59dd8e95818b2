package io.dbops.collectors.slowlog;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Delivered positions of every tailed source, one small file per source, replaced atomically
 * (write, then rename), so a crash leaves either the old or the new position, never a torn one.
 */
public final class PositionStore {
    private final Path dir;

    public PositionStore(Path dir) {
        this.dir = dir;
    }

    public TailPosition load(String source) {
        Path f = file(source);
        if (!Files.exists(f)) {
            return TailPosition.START;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
            return new TailPosition(Long.parseLong(p.getProperty("inode", "-1")), Long.parseLong(p.getProperty("offset", "0")),
                    p.getProperty("lastTs"));
        } catch (IOException | NumberFormatException e) {
            return TailPosition.START;
        }
    }

    public void save(String source, TailPosition position) {
        Properties p = new Properties();
        p.setProperty("inode", Long.toString(position.inode()));
        p.setProperty("offset", Long.toString(position.offset()));
        if (position.lastTs() != null) {
            p.setProperty("lastTs", position.lastTs());
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(safe(source) + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, source);
            }
            Files.move(tmp, file(source), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A long value kept per source (Redis SLOWLOG's last entry id), in the same store. */
    public long loadLong(String source, long fallback) {
        TailPosition p = load(source);
        return p.inode() == -1 && p.offset() == 0 ? fallback : p.offset();
    }

    public void saveLong(String source, long value) {
        save(source, new TailPosition(0, value, null));
    }

    private Path file(String source) {
        return dir.resolve(safe(source) + ".position");
    }

    private static String safe(String source) {
        return source.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
