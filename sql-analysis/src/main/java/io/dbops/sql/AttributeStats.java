package io.dbops.sql;

/**
 * The aggregate of one attribute over a class (or over everything), typed the way pt-query-digest
 * types it: from the first value seen, a number, a Yes/No flag or a string.
 */
abstract sealed class AttributeStats permits AttributeStats.Numeric, AttributeStats.Flag, AttributeStats.Text {
    long count;

    abstract void add(String value);

    /** Adds the aggregate of the same attribute over a later part of the log. */
    abstract void merge(AttributeStats other);

    enum Type { NUMERIC, FLAG, TEXT }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "^(?:\\d+|[+-]?(?:(?=\\d|[.])\\d+(?:[.])\\d{0,})(?:[eE][+-]?\\d+)?)$");

    /** ^(?:\\d+|[+-]?\\d+\\.\\d*(?:[eE][+-]?\\d+)?)$ (pt's test), plain digits checked without a regex. */
    static boolean isNumber(String value) {
        int n = value.length();
        boolean digits = n > 0;
        for (int i = 0; i < n && digits; i++) {
            char c = value.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        return digits || NUMBER.matcher(value).matches();
    }

    static Type typeOf(String firstValue) {
        if (isNumber(firstValue)) {
            return Type.NUMERIC;
        }
        return firstValue.equals("Yes") || firstValue.equals("No") ? Type.FLAG : Type.TEXT;
    }

    static AttributeStats of(Type type) {
        return switch (type) {
            case NUMERIC -> new Numeric();
            case FLAG -> new Flag();
            case TEXT -> new Text();
        };
    }

    static final class Numeric extends AttributeStats {
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        final PtBuckets buckets = new PtBuckets();

        @Override
        void add(String value) {
            add(parse(value));
        }

        void add(double v) {
            add(v, PtBuckets.index(v));
        }

        void add(double v, int bucket) {
            count++;
            sum += v;
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
            buckets.addIndex(bucket);
        }

        private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

        /** Perl's numeric reading of a string: the leading number, 0 when there is none. */
        static double parse(String value) {
            // the slow log's usual forms ("12", "0.000123"): digits as an exact integer divided by an
            // exact power of ten is one correctly rounded operation, the same double parseDouble gives
            int n = value.length();
            long digits = 0;
            int significant = 0;
            int point = -1;
            int i = 0;
            for (; i < n; i++) {
                char c = value.charAt(i);
                if (c >= '0' && c <= '9') {
                    digits = digits * 10 + (c - '0');
                    if (digits != 0) {
                        significant++;
                    }
                } else if (c == '.' && point < 0) {
                    point = i;
                } else {
                    break;
                }
            }
            int decimals = point < 0 ? 0 : n - point - 1;
            if (i == n && n > 0 && significant <= 15 && decimals <= 22 && point != 0 && (point < 0 || decimals > 0 || n > 1)) {
                return decimals == 0 ? digits : digits / POWERS_OF_TEN[decimals];
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?")
                        .matcher(value);
                return m.find() ? Double.parseDouble(m.group().trim()) : 0;
            }
        }

        /**
         * {@link #parse} of a plain number in [from, to) of a log's bytes (digits, then perhaps a point and more digits, at
         * most 15 significant: what {@link AttributeStats#isNumber} accepts and parse reads exactly); NaN for any other
         * text, which the caller reads as a string.
         */
        static double parsePlain(byte[] b, int from, int to) {
            long digits = 0;
            int significant = 0;
            int point = -1;
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c >= '0' && c <= '9') {
                    digits = digits * 10 + (c - '0');
                    if (digits != 0) {
                        significant++;
                    }
                } else if (c == '.' && point < 0 && i > from) {
                    point = i;
                } else {
                    return Double.NaN;
                }
            }
            int decimals = point < 0 ? 0 : to - point - 1;
            if (to == from || significant > 15 || decimals >= POWERS_OF_TEN.length) {
                return Double.NaN;
            }
            return decimals == 0 ? digits : digits / POWERS_OF_TEN[decimals];
        }

        @Override
        void merge(AttributeStats other) {
            Numeric o = (Numeric) other;
            count += o.count;
            sum += o.sum;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
            buckets.merge(o.buckets);
        }

        double avg() {
            return count == 0 ? 0 : sum / count;
        }

        /** {median, pct_95, stddev} by pt's bucket method. */
        double[] distribution() {
            return buckets.stats(count, min, max);
        }
    }

    static final class Flag extends AttributeStats {
        long yes;

        @Override
        void add(String value) {
            count++;
            if (value.equals("Yes")) {
                yes++;
            }
        }

        @Override
        void merge(AttributeStats other) {
            count += other.count;
            yes += ((Flag) other).yes;
        }
    }

    static final class Text extends AttributeStats {
        String min;
        String max;

        @Override
        void add(String value) {
            count++;
            if (min == null) {
                min = value;
                max = value;
                return;
            }
            if (value == min || value == max) {
                return; // text values of a digest are usually the same few strings
            }
            if (value.compareTo(min) < 0) {
                min = value;
            } else if (value.compareTo(max) > 0) {
                max = value;
            }
        }

        @Override
        void merge(AttributeStats other) {
            Text o = (Text) other;
            count += o.count - 2;
            add(o.min);
            add(o.max);
        }
    }
}
