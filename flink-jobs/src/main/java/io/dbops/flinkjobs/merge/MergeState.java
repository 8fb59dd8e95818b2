package io.dbops.flinkjobs.merge;

import io.dbops.mlmodels.merge.IncrementalClusterer;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;

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
}
