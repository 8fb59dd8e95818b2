package io.dbops.mlmodels.merge;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fixed-label groupings to compare the merger with: Alertmanager-style (group by cluster, or host
 * for host alarms; a group that has been quiet for the group interval starts a new notification
 * group) and per instance. Alarms must come sorted by time.
 */
public final class Baselines {
    private Baselines() {
    }

    /** Group by cluster (else instance, else host), a new group after {@code intervalMs} of quiet. */
    public static Map<String, String> alertmanager(List<AlarmPoint> alarms, long intervalMs) {
        return group(alarms, intervalMs, l -> l.cluster() != null ? "c:" + l.cluster() : l.instance() != null ? "i:" + l.instance() : "h:" + l.host());
    }

    /** Group by instance (else host), a new group after {@code intervalMs} of quiet. */
    public static Map<String, String> perInstance(List<AlarmPoint> alarms, long intervalMs) {
        return group(alarms, intervalMs, l -> l.instance() != null ? "i:" + l.instance() : "h:" + l.host());
    }

    private static Map<String, String> group(List<AlarmPoint> alarms, long intervalMs, Function<Location, String> key) {
        Map<String, String> current = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (AlarmPoint a : alarms) {
            String k = key.apply(a.location());
            Long prev = last.get(k);
            if (prev == null || a.ts() - prev > intervalMs) {
                current.put(k, k + "@" + a.id());
            }
            last.put(k, a.ts());
            out.put(a.id(), current.get(k));
        }
        return out;
    }
}
