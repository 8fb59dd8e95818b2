package io.dbops.actions.drill;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application for failover drills: writes one numbered row (or key) at a time to whatever the
 * supplier says is the primary (reconnecting after any error), and records which writes were
 * acknowledged and when. Afterwards it says which acknowledged rows a server lacks (lost
 * writes), the longest time between two acknowledgements (writes blocked) and the first
 * acknowledgement after a moment (recovery).
 */
public final class WriteProbe implements AutoCloseable {
    /** A connection to the current primary that writes one numbered item. */
    public interface Sink extends AutoCloseable {
        void write(long id) throws Exception;
    }

    /** Opens a sink on the current primary, as the application would find it. */
    @FunctionalInterface
    public interface Primary {
        Sink connect() throws Exception;
    }

    private final Primary primary;
    private final Map<Long, Long> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong lastAck = new AtomicLong();
    private final AtomicLong longestGap = new AtomicLong();
    private Thread thread;

    public WriteProbe(Primary primary) {
        this.primary = primary;
    }

    /** Rows of {@code table} (id BIGINT PRIMARY KEY, at TIMESTAMP(6)) through JDBC connections from {@code connect}. */
    public static Primary sql(java.util.concurrent.Callable<Connection> connect, String table) {
        return () -> {
            Connection c = connect.call();
            return new Sink() {
                @Override
                public void write(long id) throws Exception {
                    try (var ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, NOW(6))")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (e.getMessage() != null && e.getMessage().contains("Duplicate entry")) {
                            return; // committed before, its acknowledgement lost: it is there now
                        }
                        throw e;
                    }
                }

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        };
    }

    public void start() {
        thread = new Thread(this::loop, "write-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long id = 1;
        Sink c = null;
        lastAck.set(System.currentTimeMillis());
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = primary.connect();
                }
                c.write(id);
                ack(id++);
                Thread.sleep(5);
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                close(c);
                c = null;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        close(c);
    }

    private void ack(long id) {
        long now = System.currentTimeMillis();
        acked.put(id, now);
        longestGap.accumulateAndGet(now - lastAck.getAndSet(now), Math::max);
    }

    public int acknowledged() {
        return acked.size();
    }

    /** The longest time without an acknowledgement since the probe started (or since {@link #resetGap}). */
    public long longestGapMs() {
        return longestGap.get();
    }

    public void resetGap() {
        longestGap.set(0);
    }

    /** The first acknowledgement at or after {@code epochMillis}, or -1. */
    public long firstAckAfter(long epochMillis) {
        return acked.values().stream().filter(t -> t >= epochMillis).mapToLong(Long::longValue).min().orElse(-1);
    }

    /**
     * Writes acknowledged before {@code snapshotAt} that are absent from {@code present}, what a
     * server had at that moment (the probe keeps writing while the server is read).
     */
    public List<Long> lost(Set<Long> present, long snapshotAt) {
        return acked.entrySet().stream().filter(e -> e.getValue() < snapshotAt && !present.contains(e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The ids in {@code table} of the server behind {@code c}. */
    public static Set<Long> ids(Connection c, String table) throws SQLException {
        Set<Long> there = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                there.add(rs.getLong(1));
            }
        }
        return there;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        if (thread != null) {
            thread.join(5000);
        }
    }

    private static void close(Sink c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // already gone
        }
    }
}
