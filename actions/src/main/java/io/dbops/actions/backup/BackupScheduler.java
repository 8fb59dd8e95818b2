package io.dbops.actions.backup;

import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which scheduled backups are due in a time window. A schedule for an instance backs up that
 * instance; one for a business line backs up one member of each of its MySQL/MariaDB and Redis
 * clusters, a replica when there is an active one (sparing the primary). Each firing has a dedupe
 * key made of the schedule, the target and the fire time, so a restarted service neither misses
 * nor repeats one.
 */
public final class BackupScheduler {
    /** A backup to start: playbook, parameters, and its dedupe key. */
    public record Due(String playbook, InventoryInstance target, Map<String, String> params, String dedupeKey, Instant fireTime) {
    }

    private BackupScheduler() {
    }

    /** The firings in (from, to] of every schedule, with their targets from the inventory. */
    public static List<Due> due(List<BackupCatalog.Schedule> schedules, List<InventoryInstance> inventory, Instant from, Instant to) {
        List<Due> out = new ArrayList<>();
        for (BackupCatalog.Schedule s : schedules) {
            Cron cron;
            try {
                cron = Cron.parse(s.cron());
            } catch (IllegalArgumentException e) {
                continue; // refused when it was stored; a hand-edited row is skipped, not fatal
            }
            for (ZonedDateTime f = cron.next(from.atZone(ZoneOffset.UTC)); f != null && !f.toInstant().isAfter(to);
                 f = cron.next(f)) {
                for (InventoryInstance t : targets(s, inventory)) {
                    boolean redis = t.engine() == Engine.REDIS;
                    Map<String, String> params = new LinkedHashMap<>();
                    params.put("instance", t.id());
                    if (!redis) {
                        params.put("kind", s.kind());
                    }
                    params.put("retention", s.retention());
                    out.add(new Due(redis ? RedisBackup.NAME : MariaDbBackup.NAME, t, params,
                            "schedule:" + s.id() + ":" + t.id() + ":" + f.toInstant(), f.toInstant()));
                }
            }
        }
        return out;
    }

    static List<InventoryInstance> targets(BackupCatalog.Schedule s, List<InventoryInstance> inventory) {
        if (s.instance() != null) {
            return inventory.stream().filter(i -> i.id().equals(s.instance())).toList();
        }
        Map<String, InventoryInstance> perCluster = new LinkedHashMap<>();
        for (InventoryInstance i : inventory) {
            if (!s.businessLine().equals(i.businessLine()) || !"active".equals(i.status()) || i.engine() == Engine.MONGO
                    || "sentinel".equals(i.role())) {
                continue;
            }
            String key = i.cluster() == null ? i.id() : i.cluster();
            InventoryInstance chosen = perCluster.get(key);
            if (chosen == null || (!"replica".equals(chosen.role()) && "replica".equals(i.role()))) {
                perCluster.put(key, i);
            }
        }
        return new ArrayList<>(perCluster.values());
    }
}
