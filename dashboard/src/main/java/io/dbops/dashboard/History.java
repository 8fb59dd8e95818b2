package io.dbops.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbops.events.Engine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Instance history from the time-series store (VictoriaMetrics' Prometheus API): QPS, connections,
 * threads running, replication lag and memory over 1 h, 24 h or 7 d. The queries are fixed per
 * engine; only the instance id goes into them, escaped as a PromQL string.
 */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public History(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static final Map<String, Duration> RANGES = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24), "7d", Duration.ofDays(7));

    /** The PromQL of each chart for an engine, {@code $i} standing for the instance selector. */
    static Map<String, String> queries(Engine engine) {
        Map<String, String> q = new LinkedHashMap<>();
        switch (engine) {
            case REDIS -> {
                q.put("qps", "rate(redis_info_total_commands_processed{$i}[2m])");
                q.put("connections", "redis_info_connected_clients{$i}");
                q.put("threads_running", "redis_info_blocked_clients{$i}");
                q.put("lag_seconds", "redis_info_master_last_io_seconds_ago{$i}");
                q.put("memory_bytes", "redis_info_used_memory{$i}");
            }
            case MONGO -> {
                q.put("qps", "sum(rate({__name__=~\"mongo_status_opcounters_.*\",$i}[2m]))");
                q.put("connections", "mongo_status_connections_current{$i}");
                q.put("threads_running", "mongo_status_active_clients{$i}");
                q.put("lag_seconds", "mongo_repl_lag_seconds{$i}");
                q.put("memory_bytes", "mongo_status_mem_resident_mb{$i} * 1048576");
            }
            default -> {
                q.put("qps", "rate(mysql_status_questions{$i}[2m])");
                q.put("connections", "mysql_status_threads_connected{$i}");
                q.put("threads_running", "mysql_status_threads_running{$i}");
                q.put("lag_seconds", "max(mysql_replication_seconds_behind_master{$i})");
                q.put("memory_bytes", "mysql_status_innodb_buffer_pool_bytes_data{$i}");
            }
        }
        return q;
    }

    static String selector(String instanceId) {
        return "instance=\"" + instanceId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Each chart as [[epoch seconds, value], ...]; a chart the store cannot answer is empty, with the reason in "errors". */
    public Map<String, Object> range(String instanceId, Engine engine, Duration range, Instant now) {
        long end = now.getEpochSecond();
        long start = end - range.getSeconds();
        long step = Math.max(15, range.getSeconds() / 240);
        Map<String, Object> series = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (var e : queries(engine).entrySet()) {
            String promql = e.getValue().replace("$i", selector(instanceId));
            try {
                series.put(e.getKey(), fetch(promql, start, end, step));
            } catch (Exception ex) {
                series.put(e.getKey(), List.of());
                errors.put(e.getKey(), ex.getMessage());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", instanceId);
        out.put("start", start);
        out.put("end", end);
        out.put("step", step);
        out.put("series", series);
        if (!errors.isEmpty()) {
            out.put("errors", errors);
        }
        return out;
    }

    private List<double[]> fetch(String promql, long start, long end, long step) throws Exception {
        String url = baseUrl + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=" + step;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("time-series store answered " + r.statusCode());
        }
        JsonNode result = JSON.readTree(r.body()).path("data").path("result");
        List<double[]> points = new ArrayList<>();
        if (result.size() > 0) {
            for (JsonNode p : result.get(0).path("values")) {
                points.add(new double[] {p.get(0).asDouble(), Double.parseDouble(p.get(1).asText())});
            }
        }
        return points;
    }
}
