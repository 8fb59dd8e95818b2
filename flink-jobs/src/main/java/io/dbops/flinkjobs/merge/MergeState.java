package io.dbops.flinkjobs.merge;

import io.dbops.mlmodels.merge.IncrementalClusterer;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.TreeMap;

/**
 * One key's merge state: the streaming clusterer (open clusters, alarm → cluster) and, per
 * incident, what has been announced and which member alarms still fire.
 */
final class MergeState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One incident in the making or open. */
    static final class IncidentInfo implements Serializable {
        private static final long serialVersionUID = 1L;
        boolean announced;
        long openedAt;
        /** Processing time at which to announce it, if it is waiting out the group wait. */
        long announceAt = Long.MIN_VALUE;
        /** Processing time at which to resolve it, once every member is resolved. */
        long resolveAt = Long.MIN_VALUE;
        /** Processing time at which to publish the changes gathered since the last update. */
        long updateAt = Long.MIN_VALUE;
        /** When an update was last published at once for a critical alarm (at most one a second). */
        long lastUrgentAt = Long.MIN_VALUE;
        final HashSet<String> firing = new HashSet<>();
        final HashMap<String, io.dbops.events.Alarm> alarms = new LinkedHashMap<>();
    }

    IncrementalClusterer clusterer;
    final LinkedHashMap<String, IncidentInfo> incidents = new LinkedHashMap<>();
    /**
     * Each firing alarm (occurrence) → its incident. Not asked of the clusterer: a cluster leaves
     * its working set after the horizon in event time, and alarms read from a partition that lags
     * behind another (uneven reads under backlog) may resolve after that; their incident must still
     * see them resolve, or it stays open, and in the state, for ever.
     */
    final HashMap<String, String> firingIncident = new HashMap<>();
    /**
     * Processing time → the incidents with something to do then (announce, update, resolve): a
     * timer looks at those, not at every open incident of the key (a dc holds hundreds in a storm).
     */
    final TreeMap<Long, LinkedHashSet<String>> due = new TreeMap<>();

    void due(String incident, long at) {
        due.computeIfAbsent(at, k -> new LinkedHashSet<>()).add(incident);
    }

    /** The incidents due at or before {@code time}, each once, earliest first; they leave the index. */
    LinkedHashSet<String> takeDue(long time) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        java.util.NavigableMap<Long, LinkedHashSet<String>> head = due.headMap(time, true);
        head.values().forEach(out::addAll);
        head.clear();
        return out;
    }
}
