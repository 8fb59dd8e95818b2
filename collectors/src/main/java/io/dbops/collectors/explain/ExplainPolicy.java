package io.dbops.collectors.explain;

import io.dbops.events.SlowSqlDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which digests get an EXPLAIN, as a plain class: of each instance's window, the top
 * {@code topPerWindow} query ids by total time ({@link #choose}); of those, only read-only SELECT
 * examples (no INTO, no locking reads, no user variables assigned) whose window total time reaches
 * a threshold, each (instance, query id) at most once per {@code reexplainAfter}, and at most
 * {@code perInstancePerMinute} per instance, so capture never adds real load to the fleet.
 */
public final class ExplainPolicy {
    private static final Pattern SELECT = Pattern.compile("^\\s*(\\(\\s*)*select\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNSAFE = Pattern.compile(
            "\\binto\\s+(outfile|dumpfile|@)|\\bfor\\s+update\\b|\\block\\s+in\\s+share\\s+mode\\b|\\bfor\\s+share\\b|:=|\\bsleep\\s*\\(|\\bbenchmark\\s*\\(",
            Pattern.CASE_INSENSITIVE);

    private final double minTotalSeconds;
    private final int perInstancePerMinute;
    private final Duration reexplainAfter;
    private final Map<String, Long> explainedAt = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 100_000;
        }
    };
    private final Map<String, Deque<Long>> recent = new HashMap<>();

    private final int topPerWindow;

    public ExplainPolicy(double minTotalSeconds, int perInstancePerMinute, Duration reexplainAfter) {
        this(3, minTotalSeconds, perInstancePerMinute, reexplainAfter);
    }

    public ExplainPolicy(int topPerWindow, double minTotalSeconds, int perInstancePerMinute, Duration reexplainAfter) {
        this.topPerWindow = topPerWindow;
        this.minTotalSeconds = minTotalSeconds;
        this.perInstancePerMinute = perInstancePerMinute;
        this.reexplainAfter = reexplainAfter;
    }

    /** Whether an example is a statement EXPLAIN can run without side effects. */
    public static boolean isSafeSelect(String sql) {
        // a '?' means literals were removed (fingerprint only): nothing to explain
        return sql != null && SELECT.matcher(sql).find() && !UNSAFE.matcher(sql).find() && !sql.contains(";") && !sql.contains("?");
    }

    /**
     * The digests of one instance's window worth a plan: the top ones by total time that pass
     * {@link #shouldExplain}, slowest first.
     */
    public java.util.List<SlowSqlDigest> choose(java.util.List<SlowSqlDigest> window, long nowMillis) {
        java.util.List<SlowSqlDigest> ranked = new java.util.ArrayList<>(window);
        ranked.sort(java.util.Comparator.comparingDouble((SlowSqlDigest d) -> d.queryTimeSec().sum()).reversed());
        java.util.List<SlowSqlDigest> out = new java.util.ArrayList<>();
        for (SlowSqlDigest d : ranked.subList(0, Math.min(topPerWindow, ranked.size()))) {
            if (shouldExplain(d, nowMillis)) {
                out.add(d);
            }
        }
        return out;
    }

    /** Decides for one digest at wall-clock {@code nowMillis}; a yes is counted against the limits. */
    public boolean shouldExplain(SlowSqlDigest d, long nowMillis) {
        if (d.explain() != null || !isSafeSelect(d.example()) || d.queryTimeSec().sum() < minTotalSeconds) {
            return false;
        }
        String key = d.instance().id() + "|" + d.queryId();
        Long last = explainedAt.get(key);
        if (last != null && nowMillis - last < reexplainAfter.toMillis()) {
            return false;
        }
        Deque<Long> window = recent.computeIfAbsent(d.instance().id(), k -> new ArrayDeque<>());
        while (!window.isEmpty() && nowMillis - window.peekFirst() >= 60_000) {
            window.pollFirst();
        }
        if (window.size() >= perInstancePerMinute) {
            return false;
        }
        window.addLast(nowMillis);
        explainedAt.put(key, nowMillis);
        return true;
    }
}
