package io.dbops.dashboard.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting helpers for the templates (the templates escape; these only shape numbers and times). */
public final class Fmt {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return a >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    public static String sec(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f s", v) : v >= 1 ? String.format(Locale.ROOT, "%.2f s", v)
                : String.format(Locale.ROOT, "%.1f ms", v * 1000);
    }

    public static String lower(Object e) {
        return e == null ? "" : e.toString().toLowerCase(Locale.ROOT);
    }
}
