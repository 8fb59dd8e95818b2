package io.dbops.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A digest as the document {@code pt-query-digest --output json} prints: {@code global} and
 * {@code classes[]} with the same names, number formats (times and waits to 6 decimals, the rest
 * as integers) and timestamps, so tools that read pt's JSON read ours.
 */
public final class DigestJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MYSQL_TS = Pattern.compile("(\\d\\d)(\\d\\d)(\\d\\d) +(\\d+):(\\d+):(\\d+)(\\.\\d+)?");

    private DigestJson() {
    }

    public static ObjectNode document(Digest digest, List<QueryClass> classes, List<FileInfo> files) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode global = root.putObject("global");
        global.put("query_count", digest.rankedCount());
        global.put("unique_query_count", digest.classCount());
        ArrayNode f = global.putArray("files");
        for (FileInfo fi : files) {
            f.addObject().put("name", fi.name()).put("size", fi.size());
        }
        ObjectNode gm = global.putObject("metrics");
        for (Map.Entry<String, AttributeStats> a : digest.global().entrySet()) {
            AttributeStats s = a.getValue();
            if (s instanceof AttributeStats.Numeric n) {
                gm.set(a.getKey(), numeric(a.getKey(), n, null));
            } else if (s instanceof AttributeStats.Flag flag) {
                gm.putObject(a.getKey()).put("cnt", Long.toString(flag.yes));
            }
        }
        ArrayNode out = root.putArray("classes");
        for (QueryClass c : classes) {
            ObjectNode cls = out.addObject();
            cls.put("checksum", c.queryId);
            cls.put("fingerprint", SlowLogEntry.text(c.fingerprint));
            cls.put("attribute", "fingerprint");
            cls.put("query_count", c.count);
            if (c.tsMin != null) {
                cls.put("ts_min", timestamp(c.tsMin));
                cls.put("ts_max", timestamp(c.tsMax));
            }
            ObjectNode example = cls.putObject("example");
            example.put("query", SlowLogEntry.text(c.example.query()));
            if (c.example.ts() != null) {
                example.put("ts", timestamp(c.example.ts()));
            }
            if (c.example.attribute("Query_time") != null) {
                example.put("Query_time", c.example.attribute("Query_time"));
            }
            ObjectNode metrics = cls.putObject("metrics");
            for (Map.Entry<String, AttributeStats> a : c.attributes.entrySet()) {
                AttributeStats s = a.getValue();
                if (s instanceof AttributeStats.Numeric n) {
                    metrics.set(a.getKey(), numeric(a.getKey(), n, digest.global().get(a.getKey())));
                } else if (s instanceof AttributeStats.Flag flag) {
                    metrics.putObject(a.getKey()).put("yes", Long.toString(flag.yes));
                } else if (s instanceof AttributeStats.Text t) {
                    metrics.putObject(a.getKey()).put("value", SlowLogEntry.text(t.max));
                }
            }
            ArrayNode histogram = cls.putObject("histograms").putArray("Query_time");
            for (long h : histogram(c)) {
                histogram.add(h);
            }
        }
        return root;
    }

    private static ObjectNode numeric(String name, AttributeStats.Numeric n, AttributeStats global) {
        ObjectNode o = JSON.createObjectNode();
        double[] dist = n.distribution();
        o.put("sum", format(name, n.sum));
        o.put("min", format(name, n.min));
        o.put("max", format(name, n.max));
        o.put("avg", format(name, n.avg()));
        o.put("median", format(name, dist[0]));
        o.put("pct_95", format(name, dist[1]));
        o.put("stddev", format(name, dist[2]));
        if (global != null && global.count > 0) {
            o.put("pct", format(name, (double) n.count / global.count));
        }
        return o;
    }

    /** pt prints *_time and *_wait attributes with 6 decimals and every other number as an integer. */
    static String format(String attribute, double value) {
        if (attribute.endsWith("_time") || attribute.endsWith("_wait")) {
            // C's %.6f: the exact binary value rounded half-even (String.format is far slower when cold)
            return new java.math.BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
        }
        return Long.toString((long) value);
    }

    /** MySQL's "071218 11:48:27" becomes "2007-12-18 11:48:27"; other forms are kept, as pt does. */
    static String timestamp(String ts) {
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
            String sec = new java.math.BigDecimal(Integer.parseInt(m.group(6)) + Double.parseDouble(m.group(7)))
                    .setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
            out.append("0".repeat(Math.max(0, 9 - sec.length()))).append(sec);
        }
        return out.toString();
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
            for (int b = 0; b < PtBuckets.NUM_BUCKETS; b++) {
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
