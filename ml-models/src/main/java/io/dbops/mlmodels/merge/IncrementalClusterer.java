package io.dbops.mlmodels.merge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming variant of {@link BatchClusterer}: alarms arrive in event-time order and each is
 * placed at once. An alarm joins the open cluster whose {@link Linkage} distance to it (over the
 * cluster's {@code sampleMembers} most recent members, which bounds the work per alarm) is the
 * smallest under the threshold, or opens a new one. When it is also under the threshold to other
 * open clusters, it is a bridge: each such cluster whose average linkage to the joined one is
 * under the (stricter) merge threshold is merged into the older of the two (incident ids stay stable: a cluster is
 * named by its first alarm). Clusters quiet for longer than {@code horizon} close and leave the
 * working set, so memory is bounded by the alarms of the last horizon. Deterministic: the same
 * alarms in the same order give the same clusters. A repeated alarm id changes nothing.
 */
public final class IncrementalClusterer implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * Average-linkage distance under which an alarm joins a cluster ({@code threshold}) and under
     * which two open clusters merge when an alarm bridges them ({@code mergeThreshold}, stricter:
     * an alarm is one piece of evidence, a merge joins two groups of them), active horizon, members
     * sampled per cluster.
     */
    public record Settings(double threshold, double mergeThreshold, long horizonMs, int sampleMembers) implements java.io.Serializable {
        public static final Settings DEFAULT = new Settings(0.97, 0.9, 900_000, 64);

        /** The same threshold for joins and merges (the batch algorithm's one threshold). */
        public static Settings single(double threshold, long horizonMs, int sampleMembers) {
            return new Settings(threshold, threshold, horizonMs, sampleMembers);
        }
    }

    /** An open cluster (an incident in the making). */
    public static final class Cluster implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final long sequence;
        private final ArrayDeque<AlarmPoint> recent = new ArrayDeque<>();
        private final List<AlarmPoint> members = new ArrayList<>();
        private final List<String> absorbed = new ArrayList<>();
        private long lastTs;

        Cluster(String id, long sequence, AlarmPoint first) {
            this.id = id;
            this.sequence = sequence;
            this.lastTs = first.ts();
        }

        public String id() {
            return id;
        }

        public List<AlarmPoint> members() {
            return members;
        }

        public long lastTs() {
            return lastTs;
        }
    }

    /** What placing one alarm did: the cluster it is in now, whether it opened it, and clusters merged into it. */
    public record Placement(String clusterId, boolean opened, List<String> merged, boolean duplicate) {
    }

    private transient AlarmDistance distance;
    private Settings settings;
    private final LinkedHashMap<String, Cluster> open = new LinkedHashMap<>();
    private final Map<String, String> clusterOfAlarm = new HashMap<>();
    private final Map<String, String> mergedInto = new HashMap<>();
    private final List<Cluster> closed = new ArrayList<>();
    private long sequence;
    private boolean keepClosed = true;

    public IncrementalClusterer(AlarmDistance distance, Settings settings) {
        this.distance = distance;
        this.settings = settings;
    }

    /**
     * Sets the distance after the clusterer was restored from a checkpoint (the distance, with its
     * topology and learned affinities, is not part of the state: it is rebuilt and refreshed).
     */
    public IncrementalClusterer use(AlarmDistance d) {
        this.distance = d;
        return this;
    }

    /** {@link #use(AlarmDistance)}, and the settings now in force (a restored clusterer takes the configured ones). */
    public IncrementalClusterer use(AlarmDistance d, Settings s) {
        this.settings = s;
        return use(d);
    }

    /** The cluster an alarm is in, following merges, or null if unknown (or forgotten). */
    public String clusterOf(String alarmId) {
        String c = clusterOfAlarm.get(alarmId);
        return c == null ? null : resolve(c);
    }

    /** Removes a cluster now (its incident resolved): it leaves the working set and, with {@link #forgetClosed}, all memory. */
    public void close(String clusterId) {
        Cluster c = open.remove(resolve(clusterId));
        if (c != null) {
            retire(c);
        }
    }

    private void retire(Cluster c) {
        if (keepClosed) {
            closed.add(c);
        } else {
            for (AlarmPoint p : c.members) {
                clusterOfAlarm.remove(p.id());
            }
            c.absorbed.forEach(mergedInto::remove);
        }
    }

    /** Streams that never look back (the job) drop closed clusters instead of keeping them for {@link #assignments()}. */
    public IncrementalClusterer forgetClosed() {
        keepClosed = false;
        return this;
    }

    public Placement add(AlarmPoint a) {
        String known = clusterOfAlarm.get(a.id());
        if (known != null) {
            return new Placement(resolve(known), false, List.of(), true);
        }
        expire(a.ts());
        Cluster best = null;
        double bestDistance = settings.threshold();
        List<Cluster> near = new ArrayList<>(2);
        long reach = distance.reachMs();
        for (Cluster c : open.values()) {
            if (a.ts() - c.lastTs >= reach) {
                continue; // every member is at distance 1: too long ago for any part to matter
            }
            double d = average(a, c);
            if (d < settings.threshold()) {
                near.add(c);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
        }
        boolean opened = false;
        if (best == null) {
            best = new Cluster(a.id(), sequence++, a);
            open.put(best.id, best);
            opened = true;
        }
        join(best, a);
        List<String> merged = new ArrayList<>();
        for (Cluster c : near) {
            if (c == best || !open.containsKey(c.id) || !open.containsKey(best.id)) {
                continue;
            }
            if (linkage(best, c) < settings.mergeThreshold()) {
                Cluster older = c.sequence < best.sequence ? c : best;
                Cluster younger = older == c ? best : c;
                absorb(older, younger);
                merged.add(younger.id);
                best = older;
            }
        }
        return new Placement(best.id, opened && merged.isEmpty(), merged, false);
    }

    private void join(Cluster c, AlarmPoint a) {
        c.members.add(a);
        c.recent.addLast(a);
        if (c.recent.size() > settings.sampleMembers()) {
            c.recent.removeFirst();
        }
        c.lastTs = Math.max(c.lastTs, a.ts());
        clusterOfAlarm.put(a.id(), c.id);
    }

    private void absorb(Cluster into, Cluster from) {
        open.remove(from.id);
        mergedInto.put(from.id, into.id);
        into.absorbed.add(from.id);
        into.absorbed.addAll(from.absorbed);
        List<AlarmPoint> all = new ArrayList<>(into.members);
        all.addAll(from.members);
        all.sort(java.util.Comparator.comparingLong(AlarmPoint::ts).thenComparing(AlarmPoint::id));
        into.members.clear();
        into.recent.clear();
        for (AlarmPoint p : all) {
            into.members.add(p);
            into.recent.addLast(p);
            if (into.recent.size() > settings.sampleMembers()) {
                into.recent.removeFirst();
            }
        }
        into.lastTs = Math.max(into.lastTs, from.lastTs);
    }

    private double average(AlarmPoint a, Cluster c) {
        return Linkage.alarmToCluster(distance, a, c.recent);
    }

    private double linkage(Cluster x, Cluster y) {
        return Linkage.clusterToCluster(distance, x.recent, y.recent);
    }

    /** Closes clusters quiet for longer than the horizon before {@code now}; returns them. */
    public List<Cluster> expire(long now) {
        List<Cluster> out = new ArrayList<>();
        for (Iterator<Cluster> it = open.values().iterator(); it.hasNext(); ) {
            Cluster c = it.next();
            if (now - c.lastTs > settings.horizonMs()) {
                it.remove();
                out.add(c);
                retire(c);
            }
        }
        return out;
    }

    /** The cluster an alarm is in now, following merges. */
    public String resolve(String clusterId) {
        String id = clusterId;
        while (mergedInto.containsKey(id)) {
            id = mergedInto.get(id);
        }
        return id;
    }

    /** Every alarm seen → its final cluster id. */
    public Map<String, String> assignments() {
        Map<String, String> out = new LinkedHashMap<>();
        clusterOfAlarm.forEach((alarm, cluster) -> out.put(alarm, resolve(cluster)));
        return out;
    }

    public Cluster cluster(String id) {
        return open.get(resolve(id));
    }

    public int openClusters() {
        return open.size();
    }

    /** Alarms in the working set (open clusters). */
    public int workingSet() {
        int n = 0;
        for (Cluster c : open.values()) {
            n += c.members.size();
        }
        return n;
    }
}
