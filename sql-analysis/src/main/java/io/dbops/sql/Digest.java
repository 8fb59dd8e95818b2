package io.dbops.sql;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * pt-query-digest's analysis as a plain class: groups slow-log entries by fingerprint and
 * aggregates every attribute per class and globally, with pt's typing, its ignored attributes and
 * its percentile method. Memory grows with the number of distinct fingerprints, not entries.
 */
public final class Digest {
    private static final byte[] A_ADMINISTRATOR = Ascii.of("administrator");
    /** pt-query-digest's default --ignore-attributes, plus what only locates an entry. */
    static final Set<String> IGNORED = Set.of("arg", "cmd", "insert_id", "ip", "port", "Thread_id", "timestamp",
            "exptime", "flags", "key", "res", "val", "server_id", "offset", "end_log_pos", "Xid", "pos_in_log",
            // MariaDB's plan rows: kept on each entry, not a statistic
            SlowLogParser.EXPLAIN);
    static final String QUERY_LENGTH = "Query_length";

    private final Fingerprinter fingerprinter;
    private final Map<String, QueryClass> classes = new HashMap<>();
    private final Map<String, AttributeStats> global = new LinkedHashMap<>();
    private final Map<String, Slot> slots = new HashMap<>();
    /** For entries read in place: the fingerprinter's buffers, classes by fingerprint bytes, text values seen. */
    private final Fingerprinter.Scratch scratch = new Fingerprinter.Scratch();
    private final ByteKeyTable<QueryClass> byFingerprint = new ByteKeyTable<>();
    private final SlowLogParser.Names texts = new SlowLogParser.Names(4096, false);
    private long count;
    private long invalidQueryTimes;
    private String lastDb;
    private String tsMin;
    private String tsMax;

    public Digest(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
    }

    public void add(SlowLogEntry e) {
        add(e, fingerprinter.fingerprint(e.query()));
    }

    /**
     * Reads the whole log, fingerprinting batches of entries on {@code pool} while this thread
     * parses and aggregates. Aggregation stays in log order (db and ts inheritance depend on it).
     */
    public void addAll(SlowLogParser parser, ExecutorService pool, int parallelism) throws IOException {
        ArrayDeque<Map.Entry<List<SlowLogEntry>, Future<String[]>>> inFlight = new ArrayDeque<>();
        List<SlowLogEntry> batch = new ArrayList<>(BATCH);
        for (SlowLogEntry e = parser.next(); ; e = parser.next()) {
            if (e != null) {
                batch.add(e);
            }
            if (batch.size() == BATCH || (e == null && !batch.isEmpty())) {
                List<SlowLogEntry> todo = batch;
                inFlight.add(Map.entry(todo, pool.submit(() -> {
                    String[] fps = new String[todo.size()];
                    for (int i = 0; i < fps.length; i++) {
                        fps[i] = fingerprinter.fingerprint(todo.get(i).query());
                    }
                    return fps;
                })));
                batch = new ArrayList<>(BATCH);
            }
            while (!inFlight.isEmpty() && (inFlight.size() > parallelism || e == null)) {
                var done = inFlight.poll();
                String[] fps;
                try {
                    fps = done.getValue().get();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                } catch (ExecutionException ex) {
                    throw new IllegalStateException("fingerprinting failed", ex.getCause());
                }
                for (int i = 0; i < fps.length; i++) {
                    add(done.getKey().get(i), fps[i]);
                }
            }
            if (e == null) {
                return;
            }
        }
    }

    private static final int BATCH = 2048;

    /** Aggregates an entry whose fingerprint was computed already (by {@link #fingerprinter()}). */
    public void add(SlowLogEntry e, String fp) {
        QueryClass c = classes.computeIfAbsent(fp, QueryClass::new);
        count++;
        c.count++;
        Map<String, String> attrs = e.attributes();
        // pt's pipeline steps between parsing and aggregation, applied on the fly (no copy of the
        // attributes): Schema is an alias of db, db is inherited from the last entry that had one,
        // and administrator commands count no rows
        boolean admin = e.query().startsWith("administrator");
        String schema = attrs.get("Schema");
        String ownDb = attrs.get("db");
        String db = ownDb != null ? ownDb : schema;
        if (db != null) {
            lastDb = db;
        } else {
            db = lastDb;
        }
        boolean rewrite = schema != null || admin || !Objects.equals(db, ownDb);
        double qt = Double.NaN;
        if (attrs instanceof AttributeMap am) {
            // the parser's own map: read in place, no entry objects
            for (int i = 0, n = am.size(); i < n; i++) {
                qt = addAttribute(c, am.name(i), am.value(i), rewrite, admin, db, qt);
            }
        } else {
            for (Map.Entry<String, String> a : attrs.entrySet()) {
                qt = addAttribute(c, a.getKey(), a.getValue(), rewrite, admin, db, qt);
            }
        }
        if (rewrite && ownDb == null && db != null) {
            addAttribute(c, "db", db);
        }
        if (finish(c, e.query().length(), qt, e.ts())) {
            c.example = e;
        }
    }

    /**
     * An entry read in place by {@link SlowLogParser#next(RawEntry)}: the same as {@link #add(SlowLogEntry)} of the
     * entry it stands for, without a string per value (plain numbers are read from the bytes, text values found in
     * a table of those seen) and fingerprinted on its bytes.
     */
    void add(RawEntry e) {
        ByteText fp = fingerprinter.fingerprint(e.bytes, e.queryFrom, e.queryTo, scratch);
        QueryClass c = byFingerprint.get(fp);
        if (c == null) {
            c = classes.computeIfAbsent(fp.toString(), QueryClass::new);
            byFingerprint.put(fp, c);
        }
        count++;
        c.count++;
        boolean admin = e.queryStartsWith(A_ADMINISTRATOR);
        int schemaAt = e.indexOf("Schema");
        int dbAt = e.indexOf("db");
        String ownDb = dbAt < 0 ? null : text(e, dbAt);
        String db = ownDb != null ? ownDb : schemaAt < 0 ? null : text(e, schemaAt);
        if (db != null) {
            lastDb = db;
        } else {
            db = lastDb;
        }
        boolean rewrite = schemaAt >= 0 || admin || !Objects.equals(db, ownDb);
        double qt = Double.NaN;
        for (int i = 0; i < e.count; i++) {
            String name = e.names[i];
            if (rewrite && (name.equals("Schema") || name.equals("db") || (admin && ADMIN_ZEROED.contains(name)))) {
                qt = addAttribute(c, name, null, rewrite, admin, db, qt);
                continue;
            }
            Slot slot = slots.get(name);
            if (slot != null && slot.ignored) {
                continue;
            }
            double v;
            if (slot != null && slot.type == AttributeStats.Type.NUMERIC
                    && !Double.isNaN(v = AttributeStats.Numeric.parsePlain(e.bytes, e.valueFrom[i], e.valueTo[i]))) {
                int bucket = PtBuckets.index(v);
                ((AttributeStats.Numeric) c.stats(slot)).add(v, bucket);
                ((AttributeStats.Numeric) globalStats(slot)).add(v, bucket);
                if (slot.queryTime) {
                    qt = v;
                }
                continue;
            }
            String value = slot != null && slot.type == AttributeStats.Type.TEXT ? text(e, i) : e.value(i);
            double r = addAttribute(c, name, value);
            if (name.equals("Query_time")) {
                qt = Double.isNaN(r) ? number(value) : r;
            }
        }
        if (rewrite && ownDb == null && db != null) {
            addAttribute(c, "db", db);
        }
        if (finish(c, e.queryLength(), qt, e.ts)) {
            c.example = e.toEntry();
        }
    }

    /** A text value of an entry read in place, one string per distinct value. */
    private String text(RawEntry e, int i) {
        return texts.get(e.bytes, e.valueFrom[i], e.valueTo[i]);
    }

    private static double number(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }

    /** What every entry adds after its attributes (query length, time span); true when it is the class's new example. */
    private boolean finish(QueryClass c, int queryLength, double qt, String ts) {
        double length = queryLength;
        int lengthBucket = PtBuckets.index(length);
        Slot lengthSlot = slot(QUERY_LENGTH, "0");
        ((AttributeStats.Numeric) c.stats(lengthSlot)).add(length, lengthBucket);
        ((AttributeStats.Numeric) globalStats(lengthSlot)).add(length, lengthBucket);
        boolean example = c.example == null || qt > c.exampleQueryTime;
        if (example) {
            c.exampleQueryTime = Double.isNaN(qt) ? Double.NEGATIVE_INFINITY : qt;
        }
        if (ts != null) {
            // logs are mostly in time order and repeat a time (the same string): the latest first, the earliest only when needed
            if (c.tsMax == null) {
                c.tsMin = ts;
                c.tsMax = ts;
            } else if (ts != c.tsMax) {
                int cmp = ts.compareTo(c.tsMax);
                if (cmp > 0) {
                    c.tsMax = ts;
                } else if (cmp < 0 && ts.compareTo(c.tsMin) < 0) {
                    c.tsMin = ts;
                }
            }
            if (tsMax == null) {
                tsMin = ts;
                tsMax = ts;
            } else if (ts != tsMax) {
                int cmp = ts.compareTo(tsMax);
                if (cmp > 0) {
                    tsMax = ts;
                } else if (cmp < 0 && ts.compareTo(tsMin) < 0) {
                    tsMin = ts;
                }
            }
        }
        return example;
    }

    /** Adds one attribute of an entry after pt's rewrites; returns the entry's Query_time as known so far. */
    private double addAttribute(QueryClass c, String name, String value, boolean rewrite, boolean admin, String db,
            double qt) {
        if (rewrite) {
            if (name.equals("Schema")) {
                return qt;
            }
            if (name.equals("db")) {
                value = db;
            } else if (admin && ADMIN_ZEROED.contains(name)) {
                value = "0";
            }
        }
        double v = addAttribute(c, name, value);
        if (name.equals("Query_time")) {
            return Double.isNaN(v) ? number(value) : v;
        }
        return qt;
    }

    /** Adds one attribute value to the class and the global aggregate; returns the number added, or NaN. */
    private double addAttribute(QueryClass c, String name, String value) {
        if (value == null) {
            return Double.NaN;
        }
        Slot slot = slot(name, value);
        if (slot.ignored) {
            return Double.NaN;
        }
        if (slot.queryTime && !AttributeStats.isNumber(value)) {
            invalidQueryTimes++; // pt cannot rank such an entry either: counted, reported, not summed
            return Double.NaN;
        }
        AttributeStats classStats = c.stats(slot);
        AttributeStats globalStats = globalStats(slot);
        if (slot.type == AttributeStats.Type.NUMERIC) {
            // parse and bucket once for both the class and the global aggregate
            double v = AttributeStats.Numeric.parse(value);
            int bucket = PtBuckets.index(v);
            ((AttributeStats.Numeric) classStats).add(v, bucket);
            ((AttributeStats.Numeric) globalStats).add(v, bucket);
            return v;
        }
        classStats.add(value);
        globalStats.add(value);
        return Double.NaN;
    }

    /**
     * What this digest knows about one attribute name: whether pt ignores it, its type (pt types an
     * attribute by the first value it sees) and its place in every class's table, so an entry's
     * attribute costs one map lookup.
     */
    static final class Slot {
        final String name;
        final int index;
        final boolean ignored;
        final boolean queryTime;
        final AttributeStats.Type type;
        AttributeStats global;

        Slot(String name, int index, AttributeStats.Type type) {
            this.name = name;
            this.index = index;
            this.ignored = IGNORED.contains(name);
            this.queryTime = name.equals("Query_time");
            this.type = ignored ? null : type;
        }
    }

    private Slot slot(String name, String firstValue) {
        Slot slot = slots.get(name);
        if (slot == null) {
            slot = new Slot(name, slots.size(), IGNORED.contains(name) ? null
                    : name.equals(QUERY_LENGTH) ? AttributeStats.Type.NUMERIC : AttributeStats.typeOf(firstValue));
            slots.put(name, slot);
        }
        return slot;
    }

    private AttributeStats globalStats(Slot slot) {
        if (slot.global == null) {
            slot.global = AttributeStats.of(slot.type);
            global.put(slot.name, slot.global);
        }
        return slot.global;
    }

    /** Entries digested, whether or not they had a usable Query_time. */
    /** Starts db inheritance from {@code db}, the default database in force where this part of a log begins. */
    public void inheritDb(String db) {
        this.lastDb = db;
    }

    /** The db that the next entry without one would inherit. */
    public String lastDb() {
        return lastDb;
    }

    /**
     * Adds the digest of a later part of the log (or of a later file). The result is the digest of
     * the whole, provided the later part was started with {@link #inheritDb} of this one's end: sums,
     * counts and distributions add up, extremes and examples keep the earlier one on ties. An
     * attribute the two parts typed differently (their first values disagree) keeps this part's.
     */
    public void merge(Digest later) {
        count += later.count;
        invalidQueryTimes += later.invalidQueryTimes;
        for (Slot ls : later.slots.values().stream().sorted(Comparator.comparingInt((Slot x) -> x.index)).toList()) {
            slots.computeIfAbsent(ls.name, n -> new Slot(n, slots.size(), ls.type));
        }
        later.global.forEach((name, stats) -> mergeStats(global, name, stats));
        for (Slot slot : slots.values()) {
            slot.global = global.get(slot.name);
        }
        for (QueryClass lc : later.classes.values()) {
            QueryClass c = classes.get(lc.fingerprint);
            if (c == null) {
                classes.put(lc.fingerprint, lc);
                lc.reindex(slots);
                continue;
            }
            c.count += lc.count;
            lc.attributes.forEach((name, stats) -> mergeStats(c.attributes, name, stats));
            c.reindex(slots);
            if (lc.exampleQueryTime > c.exampleQueryTime) {
                c.example = lc.example;
                c.exampleQueryTime = lc.exampleQueryTime;
            }
            c.tsMin = min(c.tsMin, lc.tsMin);
            c.tsMax = max(c.tsMax, lc.tsMax);
        }
        tsMin = min(tsMin, later.tsMin);
        tsMax = max(tsMax, later.tsMax);
        if (later.lastDb != null) {
            lastDb = later.lastDb;
        }
    }

    /** Every class, for a merge that needs to adjust them (line numbers of a later part). */
    java.util.Collection<QueryClass> classes() {
        return classes.values();
    }

    private static void mergeStats(Map<String, AttributeStats> into, String name, AttributeStats stats) {
        AttributeStats mine = into.get(name);
        if (mine == null) {
            into.put(name, stats);
        } else if (mine.getClass() == stats.getClass()) {
            mine.merge(stats);
        }
    }

    private static String min(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }

    public Fingerprinter fingerprinter() {
        return fingerprinter;
    }

    public long count() {
        return count;
    }

    /** Entries whose Query_time was present but not a number; they are in no ranking. */
    public long invalidQueryTimes() {
        return invalidQueryTimes;
    }

    /** Entries with a numeric Query_time: pt's query_count. */
    public long rankedCount() {
        return global.get("Query_time") instanceof AttributeStats.Numeric n ? n.count : 0;
    }

    private static final List<String> ADMIN_ZEROED = List.of("Rows_sent", "Rows_examined", "Rows_read", "Rows_affected");

    public int classCount() {
        return classes.size();
    }

    /** Classes by total Query_time, largest first (pt's default --order-by Query_time:sum). */
    public List<QueryClass> ranked() {
        List<QueryClass> list = new ArrayList<>();
        for (QueryClass c : classes.values()) {
            // like pt, a class is ranked by its Query_time; one without any is not reported
            if (c.attributes.get("Query_time") instanceof AttributeStats.Numeric n && n.count > 0) {
                list.add(c);
            }
        }
        list.sort(Comparator.comparingDouble((QueryClass c) -> c.sum("Query_time")).reversed()
                .thenComparing(QueryClass::fingerprint));
        return list;
    }

    /**
     * The classes a --limit keeps: {@code N} (top N), {@code P%} (the top classes that make up P% of
     * the total Query_time) or {@code P%:N} (that, but at most N), pt's syntax.
     */
    public List<QueryClass> top(String limit) {
        List<QueryClass> ranked = ranked();
        String spec = limit.trim();
        int max = Integer.MAX_VALUE;
        Double percent = null;
        String[] parts = spec.split(":");
        try {
            if (parts[0].endsWith("%")) {
                percent = Double.parseDouble(parts[0].substring(0, parts[0].length() - 1));
                if (parts.length > 1) {
                    max = Integer.parseInt(parts[1]);
                }
            } else {
                max = Integer.parseInt(parts[0]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--limit must be N, P% or P%:N, got '" + limit + "'");
        }
        List<QueryClass> out = new ArrayList<>();
        double total = global.get("Query_time") instanceof AttributeStats.Numeric n ? n.sum : 0;
        double running = 0;
        for (QueryClass c : ranked) {
            if (out.size() >= max) {
                break;
            }
            if (percent != null && total > 0 && running >= total * percent / 100.0 && !out.isEmpty()) {
                break;
            }
            out.add(c);
            running += c.sum("Query_time");
        }
        return out;
    }

    Map<String, AttributeStats> global() {
        return global;
    }

    String tsMin() {
        return tsMin;
    }

    String tsMax() {
        return tsMax;
    }
}
