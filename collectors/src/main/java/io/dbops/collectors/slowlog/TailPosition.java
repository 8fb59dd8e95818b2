package io.dbops.collectors.slowlog;

/**
 * Where a slow-log tail stands: the file (by inode, so a rotated file is recognised under its new
 * name), the byte offset of the first entry not yet delivered, and the {@code # Time:} in force
 * there (MariaDB writes it only when the second changes, so the next entry may need it).
 */
public record TailPosition(long inode, long offset, String lastTs) {
    public static final TailPosition START = new TailPosition(-1, 0, null);
}
