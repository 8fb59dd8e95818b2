package io.dbops.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A digest as the document {@code pt-query-digest --output json} prints: {@code global} and
 * {@code classes[]} with the same names, number formats (times and waits to 6 decimals, the rest
 * as integers) and timestamps, so tools that read pt's JSON read ours.
 */
public final class DigestJson {
    /** jackson-core only for writing: an ObjectMapper costs a short digest 70 ms of start-up. */
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Pattern MYSQL_TS = Pattern.compile("(\\d\\d)(\\d\\d)(\\d\\d) +(\\d+):(\\d+):(\\d+)(\\.\\d+)?");

    private DigestJson() {
    }

    /** The document as a tree (tests and callers that post-process it). */
    public static JsonNode document(Digest digest, List<QueryClass> classes, List<FileInfo> files) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            write(digest, classes, files, buf);
            return new ObjectMapper().readTree(buf.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams the document, pretty-printed, to {@code out} (which is flushed, not closed). */
    public static void write(Digest digest, List<QueryClass> classes, List<FileInfo> files, OutputStream out) throws IOException {
        write(digest, classes, files, out, null, 1);
    }

    /** Below this many classes one thread writes them all. */
    private static final int PARALLEL_CLASSES = 500;

    /**
     * {@link #write(Digest, List, List, OutputStream)} with the classes rendered on up to {@code threads} threads of
     * {@code pool} (null: this one), each a contiguous run of them, then written in order: the same bytes.
     */
    public static void write(Digest digest, List<QueryClass> classes, List<FileInfo> files, OutputStream out,
            ExecutorService pool, int threads) throws IOException {
        List<Future<Rendered>> runs = new ArrayList<>();
        if (pool != null && threads > 1 && classes.size() >= PARALLEL_CLASSES) {
            int per = (classes.size() + threads - 1) / threads;
            for (int from = 0; from < classes.size(); from += per) {
                List<QueryClass> run = classes.subList(from, Math.min(classes.size(), from + per));
                runs.add(pool.submit(() -> render(digest, run)));
            }
        }
        try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeObjectFieldStart("global");
            g.writeNumberField("query_count", digest.rankedCount());
            g.writeNumberField("unique_query_count", digest.classCount());
            g.writeArrayFieldStart("files");
            for (FileInfo fi : files) {
                g.writeStartObject();
                g.writeStringField("name", fi.name());
                g.writeNumberField("size", fi.size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("metrics");
            for (Map.Entry<String, AttributeStats> a : digest.global().entrySet()) {
                AttributeStats s = a.getValue();
                if (s instanceof AttributeStats.Numeric n) {
                    numeric(g, a.getKey(), n, null);
                } else if (s instanceof AttributeStats.Flag flag) {
                    g.writeObjectFieldStart(a.getKey());
                    g.writeStringField("cnt", Long.toString(flag.yes));
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("classes");
            if (runs.isEmpty()) {
                for (QueryClass c : classes) {
                    writeClass(g, digest, c);
                }
            }
            if (!runs.isEmpty()) {
                // a run is the array's values as the generator writes them, separators between them included; the
                // generator, which saw no value, then closes the array as it closes any ("[ v1, v2 ]")
                g.flush();
                for (int i = 0; i < runs.size(); i++) {
                    out.write(i == 0 ? FIRST : NEXT);
                    get(runs.get(i)).writeRunTo(out);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }

    /** A run of classes as the pretty printer writes them inside the document's classes array, without the brackets. */
    private static Rendered render(Digest digest, List<QueryClass> run) throws IOException {
        Rendered buf = new Rendered(run.size() * 2048);
        try (JsonGenerator g = FACTORY.createGenerator(buf).useDefaultPrettyPrinter()) {
            // at the same depth as in the document: {"classes" : [ ... ]}
            g.writeStartObject();
            g.writeArrayFieldStart(RUN_MARK);
            for (QueryClass c : run) {
                writeClass(g, digest, c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        // between "[ " after the mark and the closing " ]" (the array's fixed-space indenter), in place
        byte[] all = buf.bytes();
        buf.from = indexOf(all, buf.size(), ("\"" + RUN_MARK + "\" : [ ").getBytes(StandardCharsets.UTF_8)) + RUN_MARK.length() + 7;
        int to = buf.size() - 1;
        while (all[to] != ']') {
            to--;
        }
        buf.to = to - 1;
        return buf;
    }

    /** A rendered run, kept in its buffer (10 MB of classes copied twice were enough garbage for a collection). */
    private static final class Rendered extends ByteArrayOutputStream {
        int from;
        int to;

        Rendered(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }

        void writeRunTo(OutputStream out) throws IOException {
            out.write(buf, from, to - from);
        }
    }

    private static final String RUN_MARK = "classes";
    private static final byte[] FIRST = {' '};
    private static final byte[] NEXT = {',', ' '};

    private static int indexOf(byte[] b, int length, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("rendered run without its array");
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static void writeClass(JsonGenerator g, Digest digest, QueryClass c) throws IOException {
        g.writeStartObject();
        g.writeStringField("checksum", c.queryId());
        g.writeStringField("fingerprint", SlowLogEntry.text(c.fingerprint));
        g.writeStringField("attribute", "fingerprint");
        g.writeNumberField("query_count", c.count);
        if (c.tsMin != null) {
            g.writeStringField("ts_min", timestamp(c.tsMin));
            g.writeStringField("ts_max", timestamp(c.tsMax));
        }
        g.writeObjectFieldStart("example");
        g.writeStringField("query", SlowLogEntry.text(c.example.query()));
        if (c.example.ts() != null) {
            g.writeStringField("ts", timestamp(c.example.ts()));
        }
        if (c.example.attribute("Query_time") != null) {
            g.writeStringField("Query_time", c.example.attribute("Query_time"));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<String, AttributeStats> a : c.attributes.entrySet()) {
            AttributeStats s = a.getValue();
            if (s instanceof AttributeStats.Numeric n) {
                numeric(g, a.getKey(), n, digest.global().get(a.getKey()));
            } else if (s instanceof AttributeStats.Flag flag) {
                g.writeObjectFieldStart(a.getKey());
                g.writeStringField("yes", Long.toString(flag.yes));
                g.writeEndObject();
            } else if (s instanceof AttributeStats.Text t) {
                g.writeObjectFieldStart(a.getKey());
                g.writeStringField("value", SlowLogEntry.text(t.max));
                g.writeEndObject();
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("histograms");
        g.writeArrayFieldStart("Query_time");
        for (long h : histogram(c)) {
            g.writeNumber(h);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void numeric(JsonGenerator g, String name, AttributeStats.Numeric n, AttributeStats global) throws IOException {
        double[] dist = n.distribution();
        g.writeObjectFieldStart(name);
        g.writeStringField("sum", format(name, n.sum));
        g.writeStringField("min", format(name, n.min));
        g.writeStringField("max", format(name, n.max));
        g.writeStringField("avg", format(name, n.avg()));
        g.writeStringField("median", format(name, dist[0]));
        g.writeStringField("pct_95", format(name, dist[1]));
        g.writeStringField("stddev", format(name, dist[2]));
        if (global != null && global.count > 0) {
            g.writeStringField("pct", format(name, (double) n.count / global.count));
        }
        g.writeEndObject();
    }

    /** pt prints *_time and *_wait attributes with 6 decimals and every other number as an integer. */
    static String format(String attribute, double value) {
        if (attribute.endsWith("_time") || attribute.endsWith("_wait")) {
            return sixDecimals(value);
        }
        return Long.toString((long) value);
    }

    /**
     * C's %.6f: the exact binary value rounded to 6 decimals. Scaling by 1e6 in floating point is
     * exact enough unless the scaled value lies next to a rounding tie or beyond 2^53; only those
     * take the (slow, exact) BigDecimal path.
     */
    static String sixDecimals(double value) {
        double scaled = Math.abs(value) * 1e6;
        double frac = scaled - Math.floor(scaled);
        if (Double.isNaN(value) || Double.isInfinite(value) || scaled >= 0x1p52 || Math.abs(frac - 0.5) <= 2 * Math.ulp(scaled)) {
            return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        }
        long units = (long) Math.floor(scaled + 0.5);
        boolean negative = value < 0 && units > 0; // as BigDecimal prints it: no "-0.000000"
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        out.append(units / 1_000_000).append('.');
        String micros = Long.toString(units % 1_000_000);
        for (int i = micros.length(); i < 6; i++) {
            out.append('0');
        }
        return out.append(micros).toString();
    }

    /** MySQL's "071218 11:48:27" becomes "2007-12-18 11:48:27"; other forms are kept, as pt does. */
    static String timestamp(String ts) {
        // the MySQL form starts with six digits and a space; anything else (ISO, say) is kept without a matcher
        if (ts.length() < 8 || ts.charAt(6) != ' ' || !sixDigits(ts)) {
            return ts;
        }
        Matcher m = MYSQL_TS.matcher(ts);
        if (!m.matches()) {
            return ts;
        }
        StringBuilder out = new StringBuilder(26).append(Integer.parseInt(m.group(1)) + 2000).append('-');
        two(out, m.group(2)).append('-');
        two(out, m.group(3)).append(' ');
        two(out, m.group(4)).append(':');
        two(out, m.group(5)).append(':');
        if (m.group(7) == null) {
            two(out, m.group(6));
        } else {
            // %09.6f of seconds plus fraction
            String sec = sixDecimals(Integer.parseInt(m.group(6)) + Double.parseDouble(m.group(7)));
            out.append("0".repeat(Math.max(0, 9 - sec.length()))).append(sec);
        }
        return out.toString();
    }

    private static boolean sixDigits(String ts) {
        for (int i = 0; i < 6; i++) {
            if (ts.charAt(i) < '0' || ts.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static StringBuilder two(StringBuilder out, String digits) {
        int v = Integer.parseInt(digits);
        return out.append(v < 10 ? "0" : "").append(v);
    }

    /** Query_time counts in pt's eight decades: 1us, 10us, 100us, 1ms, 10ms, 100ms, 1s, 10s+. */
    static long[] histogram(QueryClass c) {
        long[] h = new long[8];
        if (c.attributes.get("Query_time") instanceof AttributeStats.Numeric n) {
            // the class keeps buckets, not values: the per-decade counts come from the same buckets
            for (int b = n.buckets.low(); b >= 0 && b <= n.buckets.high(); b++) {
                int count = n.buckets.countAt(b);
                if (count > 0) {
                    double v = PtBuckets.value(b);
                    int d = (int) (6 + Math.log10(v > 0 ? v : 0.000001));
                    h[Math.max(0, Math.min(7, d))] += count;
                }
            }
        }
        return h;
    }

    /** A file that went into the digest. */
    public record FileInfo(String name, long size) {
    }
}
