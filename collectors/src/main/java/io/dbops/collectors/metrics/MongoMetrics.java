package io.dbops.collectors.metrics;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns MongoDB {@code serverStatus}, {@code replSetGetStatus} and {@code currentOp} answers into
 * sample fields, with no connection. Documents are plain maps (a driver {@code Document} is one).
 */
public final class MongoMetrics {
    private MongoMetrics() {
    }

    public static Map<String, Double> serverStatus(Map<String, Object> s) {
        Map<String, Double> f = new LinkedHashMap<>();
        put(f, "uptime", s.get("uptime"));
        for (Map.Entry<String, Object> e : map(s.get("opcounters")).entrySet()) {
            put(f, "opcounters_" + e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
        }
        Map<String, Object> c = map(s.get("connections"));
        put(f, "connections_current", c.get("current"));
        put(f, "connections_available", c.get("available"));
        put(f, "connections_total_created", c.get("totalCreated"));
        Map<String, Object> n = map(s.get("network"));
        put(f, "network_bytes_in", n.get("bytesIn"));
        put(f, "network_bytes_out", n.get("bytesOut"));
        put(f, "network_num_requests", n.get("numRequests"));
        Map<String, Object> cache = map(map(s.get("wiredTiger")).get("cache"));
        put(f, "wt_cache_used_bytes", cache.get("bytes currently in the cache"));
        put(f, "wt_cache_max_bytes", cache.get("maximum bytes configured"));
        put(f, "wt_cache_dirty_bytes", cache.get("tracked dirty bytes in the cache"));
        put(f, "wt_cache_app_evictions", cache.get("pages evicted by application threads"));
        Map<String, Object> lock = map(s.get("globalLock"));
        Map<String, Object> queue = map(lock.get("currentQueue"));
        put(f, "lock_queue_total", queue.get("total"));
        put(f, "lock_queue_readers", queue.get("readers"));
        put(f, "lock_queue_writers", queue.get("writers"));
        put(f, "active_clients", map(lock.get("activeClients")).get("total"));
        Map<String, Object> mem = map(s.get("mem"));
        put(f, "mem_resident_mb", mem.get("resident"));
        put(f, "mem_virtual_mb", mem.get("virtual"));
        for (Map.Entry<String, Object> e : map(s.get("asserts")).entrySet()) {
            put(f, "asserts_" + e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
        }
        Map<String, Object> repl = map(s.get("repl"));
        if (!repl.isEmpty()) {
            f.put("is_primary", Boolean.TRUE.equals(repl.get("ismaster")) || Boolean.TRUE.equals(repl.get("isWritablePrimary")) ? 1.0 : 0.0);
            f.put("is_secondary", Boolean.TRUE.equals(repl.get("secondary")) ? 1.0 : 0.0);
        }
        return f;
    }

    /** Fields and the replica-set name tag of {@code mongo_repl}. */
    public record Repl(Map<String, Double> fields, Map<String, String> tags) {
    }

    public static Repl replSetStatus(Map<String, Object> s) {
        Map<String, Double> f = new LinkedHashMap<>();
        put(f, "my_state", s.get("myState"));
        List<?> members = s.get("members") instanceof List<?> l ? l : List.of();
        int healthy = 0;
        Date primaryOptime = null;
        Date selfOptime = null;
        boolean hasPrimary = false;
        for (Object o : members) {
            Map<String, Object> m = map(o);
            if (m.get("health") instanceof Number h && h.doubleValue() >= 1) {
                healthy++;
            }
            Date optime = m.get("optimeDate") instanceof Date d ? d : null;
            if ("PRIMARY".equals(m.get("stateStr"))) {
                hasPrimary = true;
                primaryOptime = optime;
            }
            if (Boolean.TRUE.equals(m.get("self"))) {
                selfOptime = optime;
            }
        }
        f.put("members", (double) members.size());
        f.put("healthy_members", (double) healthy);
        f.put("has_primary", hasPrimary ? 1.0 : 0.0);
        // lag is unknown (null) without a primary to compare with: never report 0 then
        f.put("lag_seconds", primaryOptime != null && selfOptime != null
                ? Math.max(0, (primaryOptime.getTime() - selfOptime.getTime()) / 1000.0) : null);
        Map<String, String> tags = new LinkedHashMap<>();
        if (s.get("set") != null) {
            tags.put("set", s.get("set").toString());
        }
        return new Repl(f, tags);
    }

    /** Fields and info tags of {@code mongo_currentop}. */
    public record CurrentOp(Map<String, Double> fields, Map<String, String> tags) {
    }

    public static CurrentOp currentOp(Map<String, Object> s) {
        List<?> ops = s.get("inprog") instanceof List<?> l ? l : List.of();
        int active = 0;
        double longest = 0;
        Map<String, Object> worst = null;
        for (Object o : ops) {
            Map<String, Object> op = map(o);
            if (!Boolean.TRUE.equals(op.get("active")) || "none".equals(op.get("op"))) {
                continue;
            }
            active++;
            double secs = op.get("secs_running") instanceof Number n ? n.doubleValue() : 0;
            if (worst == null || secs > longest) {
                worst = op;
                longest = secs;
            }
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("active_ops", (double) active);
        f.put("longest_op_seconds", longest);
        Map<String, String> tags = new LinkedHashMap<>();
        if (worst != null) {
            tags.put("info.longest_ns", String.valueOf(worst.get("ns")));
            tags.put("info.longest_op", String.valueOf(worst.get("op")));
            if (worst.get("opid") != null) {
                tags.put("info.longest_opid", worst.get("opid").toString());
            }
        }
        return new CurrentOp(f, tags);
    }

    private static void put(Map<String, Double> f, String key, Object value) {
        if (value instanceof Number n) {
            f.put(key, n.doubleValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
