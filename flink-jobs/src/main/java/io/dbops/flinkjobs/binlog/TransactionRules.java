package io.dbops.flinkjobs.binlog;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Large transactions, per instance: the pieces the table rules count ({@link TableRules.TxnPart})
 * are summed per GTID across tables; a transaction whose rows pass {@code largeRows} fires a
 * warning at once (while it may still be running) and resolves, with its total, once no piece of it
 * came for {@code quietMillis}. Transactions below the threshold are forgotten after the same quiet
 * time, so the state holds only the transactions of the last moments.
 */
public final class TransactionRules {
    private TransactionRules() {
    }

    public record Settings(long largeRows, long quietMillis) implements Serializable {
        public static Settings defaults() {
            return new Settings(10_000, 30_000);
        }
    }

    /** One transaction being counted. */
    static final class Txn implements Serializable {
        long rows;
        long first;
        long last;
        long seen;
        boolean firing;
        final TreeSet<String> tables = new TreeSet<>();
    }

    public static final class State implements Serializable {
        InstanceRef instance;
        final LinkedHashMap<String, Txn> open = new LinkedHashMap<>();

        public boolean pending() {
            return !open.isEmpty();
        }
    }

    /** Adds a piece; {@code now} is wall-clock ms. */
    public static List<Alarm> onPart(State s, TableRules.TxnPart p, long now, Settings st) {
        s.instance = p.instance();
        Txn t = s.open.computeIfAbsent(p.gtid(), g -> {
            Txn n = new Txn();
            n.first = p.time();
            return n;
        });
        t.rows += p.rows();
        t.last = Math.max(t.last, p.time());
        t.seen = now;
        if (t.tables.size() < 20) {
            t.tables.add(p.table());
        }
        if (!t.firing && t.rows >= st.largeRows()) {
            t.firing = true;
            return List.of(alarm(s.instance, p.gtid(), t, AlarmStatus.FIRING, st));
        }
        return List.of();
    }

    /** Resolves large transactions that went quiet and forgets the small ones. */
    public static List<Alarm> onTick(State s, long now, Settings st) {
        List<Alarm> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Txn>> it = s.open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Txn> e = it.next();
            Txn t = e.getValue();
            if (now - t.seen >= st.quietMillis()) {
                if (t.firing) {
                    out.add(alarm(s.instance, e.getKey(), t, AlarmStatus.RESOLVED, st));
                }
                it.remove();
            }
        }
        return out;
    }

    private static Alarm alarm(InstanceRef i, String gtid, Txn t, AlarmStatus status, Settings st) {
        String tables = String.join(", ", t.tables);
        String summary = status == AlarmStatus.FIRING
                ? String.format(Locale.ROOT, "large transaction %s on %s: %,d rows so far (%s)", gtid, i.id(), t.rows, tables)
                : String.format(Locale.ROOT, "large transaction %s on %s: %,d rows in all (%s)", gtid, i.id(), t.rows, tables);
        return new Alarm(Alarm.SCHEMA, Instant.ofEpochMilli(status == AlarmStatus.FIRING ? t.last : Math.max(t.last, t.first)),
                "binlog_large_transaction/" + i.id() + "/" + gtid, status, "binlog_large_transaction", Severity.WARNING, i, i.host(),
                "binlog.large_transaction", summary, (double) t.rows, (double) st.largeRows(), Map.of("gtid", gtid, "tables", tables),
                Instant.ofEpochMilli(t.first), status == AlarmStatus.RESOLVED ? Instant.ofEpochMilli(t.last) : null);
    }
}
