package io.dbops.actions.playbooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A MariaDB GTID position ({@code domain-server-seq} per replication domain, comma-separated, as
 * {@code @@gtid_current_pos} or {@code Gtid_IO_Pos} print it), compared domain by domain.
 */
public record GtidPosition(Map<Long, Gtid> domains) {

    /** The last transaction of one domain. */
    public record Gtid(long domain, long server, long seq) {
        @Override
        public String toString() {
            return domain + "-" + server + "-" + seq;
        }
    }

    public static final GtidPosition EMPTY = new GtidPosition(Map.of());

    /** Parses a position; blank is the empty position. Throws IllegalArgumentException naming the bad part. */
    public static GtidPosition parse(String text) {
        Map<Long, Gtid> m = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return new GtidPosition(m);
        }
        for (String part : text.trim().split("\\s*,\\s*")) {
            String[] f = part.split("-");
            if (f.length != 3) {
                throw new IllegalArgumentException("not a GTID (domain-server-seq): '" + part + "'");
            }
            try {
                Gtid g = new Gtid(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
                if (m.put(g.domain(), g) != null) {
                    throw new IllegalArgumentException("domain " + g.domain() + " appears twice in '" + text + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a GTID (domain-server-seq): '" + part + "'");
            }
        }
        return new GtidPosition(m);
    }

    public long seq(long domain) {
        Gtid g = domains.get(domain);
        return g == null ? 0 : g.seq();
    }

    /** Whether this position has every transaction {@code other} has (in every domain, at least as far). */
    public boolean contains(GtidPosition other) {
        for (Gtid g : other.domains.values()) {
            if (seq(g.domain()) < g.seq()) {
                return false;
            }
        }
        return true;
    }

    /** Transactions per domain this position has beyond {@code other}: what another server never got. */
    public List<String> beyond(GtidPosition other) {
        List<String> out = new ArrayList<>();
        for (Gtid g : domains.values()) {
            long theirs = other.seq(g.domain());
            if (g.seq() > theirs) {
                out.add(g.domain() + "-" + g.server() + "-" + (theirs + 1) + (g.seq() > theirs + 1 ? ".." + g.seq() : ""));
            }
        }
        return out;
    }

    /**
     * The transactions of this server (a former primary) that a server promoted in its place never
     * had, per domain: this position's last GTID is in the other's history when the other applied
     * this server's stream at least that far ({@code applied}: its gtid_slave_pos) or continued the
     * same server's stream ({@code current}: its gtid_binlog_pos, same server id, at least as far).
     * Otherwise, beyond what it applied, the transactions are errant. Ambiguous cases (another
     * server's GTID that the other may have) are not listed; replication itself refuses them later
     * (error 1236: not in the master's binlog).
     */
    public List<String> errantAgainst(GtidPosition applied, GtidPosition current) {
        List<String> out = new ArrayList<>();
        for (Gtid g : domains.values()) {
            Gtid a = applied.domains.get(g.domain());
            Gtid c = current.domains.get(g.domain());
            if (c != null && c.server() == g.server() && c.seq() >= g.seq()) {
                continue;
            }
            long have = a == null ? 0 : a.seq();
            if (g.seq() <= have && (a == null || a.server() == g.server())) {
                continue;
            }
            if (a != null && a.server() == g.server()) {
                out.add(g.domain() + "-" + g.server() + "-" + (have + 1) + (g.seq() > have + 1 ? ".." + g.seq() : ""));
            } else if (g.seq() > have) {
                out.add(g.toString());
            }
        }
        return out;
    }

    /** Total transactions over all domains: the tie-break when two positions are not ordered. */
    public long total() {
        return domains.values().stream().mapToLong(Gtid::seq).sum();
    }

    /** Compares for "more advanced": containment first, then the total. */
    public int compareAdvance(GtidPosition other) {
        boolean a = contains(other);
        boolean b = other.contains(this);
        if (a && !b) {
            return 1;
        }
        if (b && !a) {
            return -1;
        }
        return Long.compare(total(), other.total());
    }

    @Override
    public String toString() {
        return String.join(",", domains.values().stream().map(Gtid::toString).toList());
    }
}
