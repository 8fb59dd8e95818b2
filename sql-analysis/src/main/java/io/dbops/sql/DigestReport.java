package io.dbops.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human report, laid out like pt-query-digest's: a profile of the top classes by total
 * response time, then one block per class with its attribute table and worst example.
 */
public final class DigestReport {

    private DigestReport() {
    }

    public static String render(Digest digest, List<QueryClass> classes) {
        StringBuilder out = new StringBuilder();
        double total = digest.global().get("Query_time") instanceof AttributeStats.Numeric n ? n.sum : 0;
        out.append(String.format(Locale.ROOT, "# %d queries, %d unique, total response time %s%n%n",
                digest.rankedCount(), digest.classCount(), time(total)));
        out.append("# Profile\n");
        out.append("# Rank Query ID                           Response time    Calls  R/Call   V/M   Item\n");
        out.append("# ==== ================================== ================ ====== ======== ===== ====================\n");
        int rank = 0;
        for (QueryClass c : classes) {
            rank++;
            AttributeStats.Numeric qt = (AttributeStats.Numeric) c.attributes.get("Query_time");
            double[] dist = qt.distribution();
            double vm = qt.avg() > 0 ? dist[2] * dist[2] / qt.avg() : 0;
            out.append(String.format(Locale.ROOT, "# %4d 0x%s %8.4f %5.1f%% %6d %8.4f %5.2f %s%n", rank, c.queryId(),
                    qt.sum, total > 0 ? 100 * qt.sum / total : 0, c.count, qt.avg(), vm, item(c.fingerprint)));
        }
        rank = 0;
        for (QueryClass c : classes) {
            rank++;
            out.append(String.format(Locale.ROOT, "%n# Query %d: ID 0x%s at byte %d, line %d%n", rank, c.queryId(),
                    c.example.offset(), c.example.line()));
            if (c.tsMin != null) {
                out.append("# Time range: ").append(DigestJson.timestamp(c.tsMin)).append(" to ")
                   .append(DigestJson.timestamp(c.tsMax)).append('\n');
            }
            out.append("# Attribute          pct   total     min     max     avg     95%  stddev  median\n");
            out.append("# ================== === ======= ======= ======= ======= ======= ======= =======\n");
            out.append(String.format(Locale.ROOT, "# %-18s %3d %7d%n", "Count",
                    Math.round(100.0 * c.count / Math.max(1, digest.count())), c.count));
            for (Map.Entry<String, AttributeStats> a : c.attributes.entrySet()) {
                AttributeStats s = a.getValue();
                AttributeStats global = digest.global().get(a.getKey());
                if (s instanceof AttributeStats.Numeric n) {
                    double[] d = n.distribution();
                    double share = global instanceof AttributeStats.Numeric g && g.sum > 0 ? 100 * n.sum / g.sum : 0;
                    boolean isTime = a.getKey().endsWith("_time") || a.getKey().endsWith("_wait");
                    out.append(String.format(Locale.ROOT, "# %-18s %3d %7s %7s %7s %7s %7s %7s %7s%n", a.getKey(),
                            Math.round(share), num(isTime, n.sum), num(isTime, n.min), num(isTime, n.max),
                            num(isTime, n.avg()), num(isTime, d[1]), num(isTime, d[2]), num(isTime, d[0])));
                } else if (s instanceof AttributeStats.Flag f) {
                    out.append(String.format(Locale.ROOT, "# %-18s %3d%% yes, %d%% no%n", a.getKey(),
                            Math.round(100.0 * f.yes / Math.max(1, f.count)),
                            Math.round(100.0 * (f.count - f.yes) / Math.max(1, f.count))));
                } else if (s instanceof AttributeStats.Text t) {
                    out.append(String.format(Locale.ROOT, "# %-18s %s%n", a.getKey(),
                            SlowLogEntry.text(t.min.equals(t.max) ? t.max : t.min + " .. " + t.max)));
                }
            }
            out.append("# Fingerprint: ").append(SlowLogEntry.text(c.fingerprint)).append('\n');
            out.append(SlowLogEntry.text(c.example.query())).append("\\G\n");
        }
        return out.toString();
    }

    private static String item(String fingerprint) {
        String f = SlowLogEntry.text(fingerprint).replace('\n', ' ');
        return f.length() > 60 ? f.substring(0, 57) + "..." : f;
    }

    private static String num(boolean isTime, double v) {
        return isTime ? time(v) : count(v);
    }

    /** Seconds as pt shows them: 2us, 15ms, 3s, 2m. */
    static String time(double seconds) {
        if (seconds == 0) {
            return "0";
        }
        if (seconds < 0.001) {
            return Math.round(seconds * 1_000_000) + "us";
        }
        if (seconds < 1) {
            return Math.round(seconds * 1000) + "ms";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.0fs", seconds);
        }
        return String.format(Locale.ROOT, "%.0fm", seconds / 60);
    }

    /** Counts with k/M/G suffixes, as pt shows them. */
    static String count(double v) {
        double a = Math.abs(v);
        if (a < 1000) {
            return Long.toString(Math.round(v));
        }
        if (a < 1_000_000) {
            return String.format(Locale.ROOT, "%.2fk", v / 1000);
        }
        if (a < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1_000_000);
        }
        return String.format(Locale.ROOT, "%.2fG", v / 1_000_000_000);
    }
}
