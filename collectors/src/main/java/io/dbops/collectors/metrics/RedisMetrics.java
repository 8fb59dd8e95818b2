package io.dbops.collectors.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns Redis {@code INFO all}, {@code LATENCY LATEST} and {@code SENTINEL MASTERS} answers into
 * sample fields, with no connection. Numeric INFO fields keep their names; the few states rules
 * need become numbers ({@code role_master}, {@code master_link_up}, {@code rdb_last_bgsave_ok},
 * {@code aof_last_write_ok}); keyspace lines become one sample per database.
 */
public final class RedisMetrics {
    private RedisMetrics() {
    }

    /** Parsed INFO: plain fields, and per-database keyspace fields by db name. */
    public record Info(Map<String, Double> fields, Map<String, Map<String, Double>> keyspace, String role) {
    }

    public static Info info(String text) {
        Map<String, Double> f = new LinkedHashMap<>();
        Map<String, Map<String, Double>> keyspace = new LinkedHashMap<>();
        String section = "";
        String role = null;
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("#")) {
                section = line.substring(1).trim().toLowerCase(Locale.ROOT);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1);
            if (section.equals("keyspace")) {
                Map<String, Double> db = new LinkedHashMap<>();
                for (String kv : value.split(",")) {
                    int eq = kv.indexOf('=');
                    Double d = eq < 0 ? null : MySqlMetrics.number(kv.substring(eq + 1));
                    if (d != null) {
                        db.put(kv.substring(0, eq), d);
                    }
                }
                keyspace.put(key, db);
                continue;
            }
            switch (key) {
                case "role" -> {
                    role = value;
                    f.put("role_master", value.equals("master") ? 1.0 : 0.0);
                }
                case "master_link_status" -> f.put("master_link_up", value.equals("up") ? 1.0 : 0.0);
                case "rdb_last_bgsave_status" -> f.put("rdb_last_bgsave_ok", value.equals("ok") ? 1.0 : 0.0);
                case "aof_last_write_status" -> f.put("aof_last_write_ok", value.equals("ok") ? 1.0 : 0.0);
                default -> {
                    // replica lines (slave0:ip=...,state=online,offset=..,lag=0) and commandstats are not series here
                    if (key.startsWith("slave") && value.contains("=") || key.startsWith("cmdstat_") || key.startsWith("errorstat_")) {
                        break;
                    }
                    Double d = plainNumber(value);
                    if (d != null) {
                        f.put(key, d);
                    }
                }
            }
        }
        return new Info(f, keyspace, role);
    }

    private static Double plainNumber(String v) {
        if (v.isEmpty() || !(Character.isDigit(v.charAt(0)) || v.charAt(0) == '-' || v.charAt(0) == '.')) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One {@code LATENCY LATEST} row: event, when it last spiked (epoch seconds), that spike and the all-time max, in ms. */
    public record LatencyEvent(String event, long time, long latestMs, long maxMs) {
    }

    /**
     * Per-event {@code EVENT_latest_ms} and {@code EVENT_max_ms}, plus {@code recent_max_ms}: the
     * worst spike of any event within {@code recentSeconds} of {@code nowSeconds} (0 when none), the
     * one value a rule can alarm on without firing forever on an old spike.
     */
    public static Map<String, Double> latency(List<LatencyEvent> events, long nowSeconds, long recentSeconds) {
        Map<String, Double> f = new LinkedHashMap<>();
        long recent = 0;
        for (LatencyEvent e : events) {
            String name = e.event().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            f.put(name + "_latest_ms", (double) e.latestMs());
            f.put(name + "_max_ms", (double) e.maxMs());
            if (nowSeconds - e.time() <= recentSeconds) {
                recent = Math.max(recent, e.latestMs());
            }
        }
        f.put("recent_max_ms", (double) recent);
        f.put("events", (double) events.size());
        return f;
    }

    /** One master as a Sentinel sees it: fields and the tags naming it. */
    public record SentinelMaster(Map<String, Double> fields, Map<String, String> tags) {
    }

    public static SentinelMaster sentinelMaster(Map<String, String> m) {
        Map<String, Double> f = new LinkedHashMap<>();
        String flags = m.getOrDefault("flags", "");
        f.put("s_down", flags.contains("s_down") ? 1.0 : 0.0);
        f.put("o_down", flags.contains("o_down") ? 1.0 : 0.0);
        f.put("failover_in_progress", flags.contains("failover_in_progress") ? 1.0 : 0.0);
        for (String k : List.of("num-slaves", "num-other-sentinels", "quorum", "config-epoch", "port", "down-after-milliseconds",
                "last-ok-ping-reply")) {
            Double d = m.get(k) == null ? null : plainNumber(m.get(k));
            if (d != null) {
                f.put(k.equals("port") ? "master_port" : k.replace('-', '_'), d);
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("master", m.getOrDefault("name", ""));
        tags.put("master_addr", m.getOrDefault("ip", "") + ":" + m.getOrDefault("port", ""));
        return new SentinelMaster(f, tags);
    }
}
