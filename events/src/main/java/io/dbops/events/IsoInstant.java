package io.dbops.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the one timestamp shape every producer of ours writes, {@code 2026-11-25T10:00:00.123Z}
 * ({@link Instant#toString()}: UTC, 0-9 fraction digits), by hand: {@link Instant#parse} goes
 * through the general {@code DateTimeFormatter} machinery and was half the cost of reading an
 * alarm event. Anything else (an offset, a leap second, a year past 9999, an invalid date) is
 * left to {@link Instant#parse}, which accepts or rejects it exactly as before.
 */
public final class IsoInstant {
    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IsoInstant() {
    }

    /** The instant {@code s} names; {@link DateTimeException} if it names none. */
    public static Instant parse(String s) {
        Instant quick = quick(s);
        return quick != null ? quick : Instant.parse(s);
    }

    /** The instant, if {@code s} has the common shape exactly; null when it does not (not necessarily invalid). */
    static Instant quick(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1) {
                return null;
            }
            int f = digits(s, 20, n - 1);
            if (f < 0) {
                return null;
            }
            nanos = f * SCALE[fraction];
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of s[from, to), or -1 unless every char is an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Jackson's reader of {@link Instant} with the quick path in front; other shapes and numbers go to the stock one. */
    static final class Deserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant quick = quick(p.getText());
                if (quick != null) {
                    return quick;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
