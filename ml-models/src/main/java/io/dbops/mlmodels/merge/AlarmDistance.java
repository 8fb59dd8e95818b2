package io.dbops.mlmodels.merge;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The distance between two alarms, in [0, 1]: a weighted sum of
 * <ul>
 *   <li>time: the gap between them over {@code timeScale}, capped at 1;</li>
 *   <li>topology: how close their subjects are, from the same instance (0) through the same
 *       cluster, the same host, <em>linked</em> (one's cluster has a member on the other's host:
 *       the path a host failure takes to a replica elsewhere), the same rack, dc and business line,
 *       to unrelated (1); see {@link #topology};</li>
 *   <li>type: one minus the learned {@link TypeAffinity} of their types.</li>
 * </ul>
 */
public final class AlarmDistance {
    /** Weights of the three parts (summing to 1) and the time that counts as "far apart". */
    public record Weights(double time, double topology, double type, long timeScaleMs) implements java.io.Serializable {
        public static final Weights DEFAULT = new Weights(0.35, 0.30, 0.35, 180_000);
    }

    /** Topology distance per relation, closest first. */
    public static final double SAME_SUBJECT = 0.0;
    public static final double SAME_CLUSTER = 0.15;
    public static final double SAME_HOST = 0.25;
    public static final double LINKED = 0.35;
    public static final double SAME_RACK = 0.55;
    public static final double SAME_DC = 0.8;
    public static final double SAME_BUSINESS = 0.9;
    public static final double UNRELATED = 1.0;

    private final Weights weights;
    private final TypeAffinity affinity;
    private final Map<String, Set<String>> clusterHosts = new HashMap<>();
    /** By code: the hosts each cluster has a member on, for locations of this topology version. */
    private final java.util.BitSet[] clusterHostBits;
    private final long version;
    /** Not thread-safe, like the clusterer that owns it: one per merger. */
    private final HashMap<String, HashMap<String, Double>> typeCache = new HashMap<>();

    public AlarmDistance(Topology topology, TypeAffinity affinity, Weights weights) {
        this.weights = weights;
        this.affinity = affinity;
        version = topology.version();
        clusterHostBits = new java.util.BitSet[topology.clusterCount()];
        for (Topology.Instance i : topology.instances().values()) {
            if (i.cluster() != null && i.host() != null) {
                clusterHosts.computeIfAbsent(i.cluster(), c -> new HashSet<>()).add(i.host());
                int c = topology.clusterCode(i.cluster());
                if (clusterHostBits[c] == null) {
                    clusterHostBits[c] = new java.util.BitSet();
                }
                clusterHostBits[c].set(topology.hostCode(i.host()));
            }
        }
    }

    /** The type part alone: one minus the learned affinity (memoized: a storm compares the same few types millions of times). */
    public double typeDistance(String a, String b) {
        HashMap<String, Double> row = typeCache.get(a);
        if (row == null) {
            row = new HashMap<>();
            typeCache.put(a, row);
        }
        Double d = row.get(b);
        if (d == null) {
            d = 1 - affinity.affinity(a, b);
            row.put(b, d);
        }
        return d;
    }

    /** Forgets memoized type distances: the affinity learned something. */
    public void forgetTypes() {
        typeCache.clear();
    }

    /** The time part alone, for a gap in milliseconds. */
    public double timeDistance(long gapMs) {
        return Math.min(1.0, Math.abs(gapMs) / (double) weights.timeScaleMs());
    }

    public double distance(AlarmPoint a, AlarmPoint b) {
        double topo = topology(a.location(), b.location());
        return weights.time() * timeDistance(a.ts() - b.ts()) + weights.topology() * topo + weights.type() * typePart(a, b, topo);
    }

    /**
     * The type part: zero for the same alarm series (same type on the same subject: a flapping or
     * re-firing alarm is the same problem), else one minus the learned affinity.
     */
    double typePart(AlarmPoint a, AlarmPoint b, double topology) {
        return topology == SAME_SUBJECT && a.type().equals(b.type()) ? 0 : typeDistance(a.type(), b.type());
    }

    /** How close two subjects are; unknown parts never match. */
    public double topology(Location a, Location b) {
        Location.Index x = a.index();
        Location.Index y = b.index();
        if (x.version() == version && y.version() == version) {
            return coded(a, b, x, y);
        }
        return named(a, b);
    }

    /** The same as {@link #named}, on the topology's codes. */
    private double coded(Location a, Location b, Location.Index x, Location.Index y) {
        if (a.instance() != null) {
            if (a.instance().equals(b.instance())) {
                return SAME_SUBJECT;
            }
        } else if (b.instance() == null && x.host() >= 0 && x.host() == y.host()) {
            return SAME_SUBJECT;
        }
        if (x.cluster() >= 0 && x.cluster() == y.cluster()) {
            return SAME_CLUSTER;
        }
        if (x.host() >= 0 && x.host() == y.host()) {
            return SAME_HOST;
        }
        if ((x.cluster() >= 0 && y.host() >= 0 && clusterHostBits[x.cluster()].get(y.host()))
                || (y.cluster() >= 0 && x.host() >= 0 && clusterHostBits[y.cluster()].get(x.host()))) {
            return LINKED;
        }
        if (x.rack() >= 0 && x.rack() == y.rack()) {
            return SAME_RACK;
        }
        if (x.dc() >= 0 && x.dc() == y.dc()) {
            return SAME_DC;
        }
        if (x.business() >= 0 && x.business() == y.business()) {
            return SAME_BUSINESS;
        }
        return UNRELATED;
    }

    private double named(Location a, Location b) {
        if (a.instance() != null && a.instance().equals(b.instance())) {
            return SAME_SUBJECT;
        }
        if (a.instance() == null && b.instance() == null && same(a.host(), b.host())) {
            return SAME_SUBJECT;
        }
        if (same(a.cluster(), b.cluster())) {
            return SAME_CLUSTER;
        }
        if (same(a.host(), b.host())) {
            return SAME_HOST;
        }
        if (linked(a, b) || linked(b, a)) {
            return LINKED;
        }
        if (same(a.rack(), b.rack())) {
            return SAME_RACK;
        }
        if (same(a.dc(), b.dc())) {
            return SAME_DC;
        }
        if (same(a.business(), b.business())) {
            return SAME_BUSINESS;
        }
        return UNRELATED;
    }

    /** a's cluster has a member on b's host. */
    private boolean linked(Location a, Location b) {
        if (a.cluster() == null || b.host() == null) {
            return false;
        }
        Set<String> hosts = clusterHosts.get(a.cluster());
        return hosts != null && hosts.contains(b.host());
    }

    private static boolean same(String a, String b) {
        return a != null && Objects.equals(a, b);
    }

    public Weights weights() {
        return weights;
    }
}
