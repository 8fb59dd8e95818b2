package io.dbops.actions.backup;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, UTC) with {@code *},
 * lists, ranges and steps ({@code 0 2 * * *}, {@code *}{@code /15 * * * 1-5}, {@code 30 3 1,15 * *}).
 * Like cron, when both day fields are restricted a day matching either is a match. Sunday is 0 or 7.
 */
public final class Cron {
    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean daysRestricted;
    private final boolean weekdaysRestricted;

    private Cron(String text, BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays, boolean dr, boolean wr) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.daysRestricted = dr;
        this.weekdaysRestricted = wr;
    }

    /** Parses an expression; the exception lists every bad field. */
    public static Cron parse(String text) {
        String[] f = text == null ? new String[0] : text.trim().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("cron needs 5 fields (minute hour day-of-month month day-of-week), got '" + text + "'");
        }
        List<String> problems = new ArrayList<>();
        BitSet min = field(f[0], 0, 59, "minute", problems);
        BitSet hour = field(f[1], 0, 23, "hour", problems);
        BitSet day = field(f[2], 1, 31, "day-of-month", problems);
        BitSet month = field(f[3], 1, 12, "month", problems);
        BitSet dow = field(f[4], 0, 7, "day-of-week", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad cron '" + text + "': " + String.join("; ", problems));
        }
        if (dow.get(7)) {
            dow.set(0);
        }
        return new Cron(text.trim(), min, hour, day, month, dow, !f[2].equals("*"), !f[4].equals("*"));
    }

    private static BitSet field(String spec, int lo, int hi, String name, List<String> problems) {
        BitSet out = new BitSet();
        for (String part : spec.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, hi, name, problems);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = lo;
                to = hi;
            } else if (range.contains("-")) {
                String[] ab = range.split("-", 2);
                from = number(ab[0], lo, hi, name, problems);
                to = number(ab[1], lo, hi, name, problems);
                if (from > to) {
                    problems.add(name + ": range " + range + " runs backwards");
                }
            } else {
                from = number(range, lo, hi, name, problems);
                to = slash >= 0 ? hi : from;
            }
            for (int v = from; v <= to && step > 0; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int number(String s, int lo, int hi, String name, List<String> problems) {
        try {
            int v = Integer.parseInt(s);
            if (v < lo || v > hi) {
                problems.add(name + ": " + v + " is outside " + lo + "-" + hi);
                return lo;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(name + ": '" + s + "' is not a number");
            return lo;
        }
    }

    public boolean matches(ZonedDateTime t) {
        ZonedDateTime u = t.withZoneSameInstant(ZoneOffset.UTC);
        if (!minutes.get(u.getMinute()) || !hours.get(u.getHour()) || !months.get(u.getMonthValue())) {
            return false;
        }
        boolean d = days.get(u.getDayOfMonth());
        boolean w = weekdays.get(u.getDayOfWeek().getValue() % 7);
        if (daysRestricted && weekdaysRestricted) {
            return d || w;
        }
        return d && w;
    }

    /** The first matching minute strictly after {@code t} (within five years), or null. */
    public ZonedDateTime next(ZonedDateTime t) {
        ZonedDateTime c = t.withZoneSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime end = c.plusYears(5);
        while (c.isBefore(end)) {
            if (!months.get(c.getMonthValue())) {
                c = c.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
                continue;
            }
            if (!matchesDay(c)) {
                c = c.withHour(0).withMinute(0).plusDays(1);
                continue;
            }
            if (!hours.get(c.getHour())) {
                c = c.withMinute(0).plusHours(1);
                continue;
            }
            if (!minutes.get(c.getMinute())) {
                c = c.plusMinutes(1);
                continue;
            }
            return c;
        }
        return null;
    }

    private boolean matchesDay(ZonedDateTime c) {
        boolean d = days.get(c.getDayOfMonth());
        boolean w = weekdays.get(c.getDayOfWeek().getValue() % 7);
        return daysRestricted && weekdaysRestricted ? d || w : d && w;
    }

    @Override
    public String toString() {
        return text;
    }
}
