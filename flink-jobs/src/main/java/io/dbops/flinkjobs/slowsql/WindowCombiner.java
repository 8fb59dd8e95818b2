package io.dbops.flinkjobs.slowsql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Combines slow queries into partial digests per (instance, query id) and tumbling event-time
 * window before they are shuffled to the windows, so one record per key and window crosses the
 * network instead of one per query. A window's partials are handed out once the watermark has
 * passed its end (the caller then forwards the watermark, so the partials reach the window before
 * it fires) or all at once (the input ends or goes idle). A plain class; {@link CombineOperator}
 * runs it in the job.
 */
public final class WindowCombiner {
    private final long size;
    /** Window start → key → partial; ordered so closed windows are taken from the front. */
    private final TreeMap<Long, Map<String, SlowSqlAccumulator>> open = new TreeMap<>();
    private int partials;

    public WindowCombiner(long windowMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("window must be positive: " + windowMillis);
        }
        this.size = windowMillis;
    }

    /** The start of the tumbling window that holds {@code time}, as Flink's assigner computes it (offset 0). */
    public long windowStart(long time) {
        return TimeWindow.getWindowStartWithOffset(time, 0, size);
    }

    /** Whether the window of {@code time} has closed at {@code watermark}: its last millisecond is at or before it. */
    public boolean closed(long time, long watermark) {
        return windowStart(time) + size - 1 <= watermark;
    }

    /** Adds one query to its window's partial. */
    public void add(SlowSample s) {
        partial(windowStart(s.time), s.key).add(s);
    }

    /** Adds a partial (restored from a checkpoint) to the one for its key and window. */
    public void add(SlowSqlAccumulator p) {
        partial(windowStart(p.lastSeenMillis), p.key()).merge(p);
    }

    private SlowSqlAccumulator partial(long start, String key) {
        Map<String, SlowSqlAccumulator> window = open.get(start);
        if (window == null) {
            window = new HashMap<>();
            open.put(start, window);
        }
        SlowSqlAccumulator p = window.get(key);
        if (p == null) {
            p = new SlowSqlAccumulator();
            window.put(key, p);
            partials++;
        }
        return p;
    }

    /** Hands out and forgets the partials of every window that has closed at {@code watermark}, oldest window first. */
    public void drainClosed(long watermark, Consumer<SlowSqlAccumulator> out) {
        while (!open.isEmpty() && open.firstKey() + size - 1 <= watermark) {
            drain(open.pollFirstEntry().getValue(), out);
        }
    }

    /** Hands out and forgets every partial. */
    public void drainAll(Consumer<SlowSqlAccumulator> out) {
        while (!open.isEmpty()) {
            drain(open.pollFirstEntry().getValue(), out);
        }
    }

    private void drain(Map<String, SlowSqlAccumulator> window, Consumer<SlowSqlAccumulator> out) {
        partials -= window.size();
        window.values().forEach(out);
    }

    /** The partials held, for a checkpoint; they stay held. */
    public List<SlowSqlAccumulator> pending() {
        List<SlowSqlAccumulator> all = new ArrayList<>(partials);
        open.values().forEach(w -> all.addAll(w.values()));
        return all;
    }

    /** How many partials are held. */
    public int size() {
        return partials;
    }
}
