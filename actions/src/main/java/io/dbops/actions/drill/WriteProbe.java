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
 * An application for failover drills: writes one numbered row at a time to whatever the
 * connection supplier says is the primary (reconnecting after any error), and records which rows
 * were acknowledged and when. Afterwards it says which acknowledged rows a server lacks (lost
 * writes), the longest time between two acknowledgements (writes blocked) and the first
 * acknowledgement after a moment (recovery).
 */
public final class WriteProbe implements AutoCloseable {
    /** Opens a connection to the current primary, as the application would find it. */
    @FunctionalInterface
    public interface Primary {
        Connection connect() throws Exception;
    }

    private final Primary primary;
    private final String table;
    private final Map<Long, Long> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong lastAck = new AtomicLong();
    private final AtomicLong longestGap = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private Thread thread;

    /** {@code table} must exist with columns (id BIGINT PRIMARY KEY, at TIMESTAMP(6)). */
    public WriteProbe(Primary primary, String table) {
        this.primary = primary;
        this.table = table;
    }

    public void start() {
        thread = new Thread(this::loop, "write-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long id = 1;
        Connection c = null;
        lastAck.set(System.currentTimeMillis());
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = primary.connect();
                }
                try (var ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, NOW(6))")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                ack(id++);
                Thread.sleep(5);
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                if (e instanceof SQLException && e.getMessage() != null && e.getMessage().contains("Duplicate entry")) {
                    ack(id++); // committed before, its acknowledgement lost: it is there now
                    continue;
                }
                errors.incrementAndGet();
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

    public long errors() {
        return errors.get();
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

    /** Acknowledged rows absent from the server behind {@code c}. */
    public List<Long> lostOn(Connection c) throws SQLException {
        Set<Long> there = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                there.add(rs.getLong(1));
            }
        }
        return acked.keySet().stream().filter(id -> !there.contains(id)).sorted().toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        if (thread != null) {
            thread.join(5000);
        }
    }

    private static void close(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // already gone
        }
    }
}
