package io.dbops.dashboard.live;

import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet as the metric stream shows it right now: per instance whether it is up, its query
 * rate (from the engine's command counter, a reset after a restart giving no rate rather than a
 * negative one), connections, threads running, replication lag (null stays null) and memory, plus
 * the last {@link #KEEP} of points for the live charts. Plain class; the hub feeds it.
 */
public final class FleetView {
    public static final Duration KEEP = Duration.ofMinutes(10);

    /** One chart point. Null means not known (never zero). */
    public record Point(long t, Double qps, Double connections, Double threadsRunning, Double lagSeconds, Double memoryBytes) {
    }

    /** What the fleet page shows for an instance. */
    public record Row(String id, String engine, String cluster, String businessLine, Boolean up, String error, Double qps,
                      Double connections, Double threadsRunning, Double lagSeconds, Double memoryBytes, long updatedAt) {
    }

    private static final class State {
        final InstanceRef ref;
        Boolean up;
        String error;
        Double qps;
        Double connections;
        Double threadsRunning;
        Double lagSeconds;
        Double memoryBytes;
        long updatedAt;
        double lastCounter = Double.NaN;
        long lastCounterAt;
        final Deque<Point> points = new ArrayDeque<>();

        State(InstanceRef ref) {
            this.ref = ref;
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** Applies a sample; returns the instance's new row when something shown changed, else null. */
    public synchronized Row apply(MetricSample s) {
        if (s.instance() == null || s.fields() == null) {
            return null;
        }
        State st = states.computeIfAbsent(s.instance().id(), k -> new State(s.instance()));
        long t = s.time().toEpochMilli();
        Map<String, Double> f = s.fields();
        boolean point = false;
        switch (s.measurement()) {
            case "up" -> {
                Double up = f.get("up");
                st.up = up == null ? null : up >= 1.0;
                st.error = st.up == Boolean.FALSE ? s.error() : null;
            }
            case "mysql_status" -> {
                counter(st, f.get("questions"), t);
                st.connections = f.get("threads_connected");
                st.threadsRunning = f.get("threads_running");
                st.memoryBytes = f.get("innodb_buffer_pool_bytes_data");
                point = true;
            }
            case "mysql_replication" -> st.lagSeconds = f.get("seconds_behind_master");
            case "redis_info" -> {
                counter(st, f.get("total_commands_processed"), t);
                st.connections = f.get("connected_clients");
                st.threadsRunning = f.get("blocked_clients");
                st.memoryBytes = f.get("used_memory");
                st.lagSeconds = f.get("role_master") != null && f.get("role_master") < 1.0 ? f.get("master_last_io_seconds_ago") : null;
                point = true;
            }
            case "mongo_status" -> {
                double ops = 0;
                boolean any = false;
                for (var e : f.entrySet()) {
                    if (e.getKey().startsWith("opcounters_") && e.getValue() != null) {
                        ops += e.getValue();
                        any = true;
                    }
                }
                counter(st, any ? ops : null, t);
                st.connections = f.get("connections_current");
                st.threadsRunning = f.get("active_clients");
                Double mb = f.get("mem_resident_mb");
                st.memoryBytes = mb == null ? null : mb * 1024 * 1024;
                point = true;
            }
            case "mongo_repl" -> st.lagSeconds = f.get("lag_seconds");
            default -> {
                return null;
            }
        }
        st.updatedAt = Math.max(st.updatedAt, t);
        if (point) {
            st.points.addLast(new Point(t, st.qps, st.connections, st.threadsRunning, st.lagSeconds, st.memoryBytes));
            while (!st.points.isEmpty() && st.points.peekFirst().t() < t - KEEP.toMillis()) {
                st.points.removeFirst();
            }
        }
        return row(st);
    }

    private static void counter(State st, Double value, long t) {
        if (value == null) {
            return;
        }
        if (!Double.isNaN(st.lastCounter) && t > st.lastCounterAt) {
            st.qps = value >= st.lastCounter ? (value - st.lastCounter) * 1000.0 / (t - st.lastCounterAt) : null;
        }
        st.lastCounter = value;
        st.lastCounterAt = t;
    }

    private static Row row(State s) {
        InstanceRef r = s.ref;
        return new Row(r.id(), r.engine() == null ? null : r.engine().name().toLowerCase(java.util.Locale.ROOT), r.cluster(), r.businessLine(),
                s.up, s.error, s.qps, s.connections, s.threadsRunning, s.lagSeconds, s.memoryBytes, s.updatedAt);
    }

    public synchronized Row row(String id) {
        State s = states.get(id);
        return s == null ? null : row(s);
    }

    public synchronized Map<String, Row> rows() {
        Map<String, Row> out = new LinkedHashMap<>();
        states.forEach((k, v) -> out.put(k, row(v)));
        return out;
    }

    /** The instance's points of the last {@link #KEEP}, oldest first. */
    public synchronized List<Point> points(String id) {
        State s = states.get(id);
        return s == null ? List.of() : new ArrayList<>(s.points);
    }

    /** Seconds since the newest sample of the instance at {@code now}, or null when none was seen. */
    public synchronized Long age(String id, Instant now) {
        State s = states.get(id);
        return s == null || s.updatedAt == 0 ? null : (now.toEpochMilli() - s.updatedAt) / 1000;
    }
}
