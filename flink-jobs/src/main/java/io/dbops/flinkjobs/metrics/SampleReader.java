package io.dbops.flinkjobs.metrics;

import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.MetricFieldVisitor;
import io.dbops.events.MetricSample;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.rules.CompiledRules;
import io.dbops.flinkjobs.timeseries.LineProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a {@code dbops.metrics} record once for both of its uses: the rule engine gets the sample
 * with only the fields the rules keep (what a rule reads, and counters), converted to numbers; the
 * time-series store gets the sample's line, its values copied as the JSON wrote them. A MariaDB
 * status sample has hundreds of fields and most are neither read nor counted: converting each to a
 * double and formatting it back for the line was most of the cost of a sample.
 *
 * <p>Anything not plainly valid, a number that might not be finite (more than 30 characters or an
 * exponent over 99: it is converted to find out), a document naming its measurement after its
 * fields, and the collector's {@code inventory} samples (whose {@code removed} field clears an
 * instance's state) are read the careful way, {@link ParseMetricSamples}: the whole sample, and the
 * dead letter with the precise reason when it cannot be used. One instance per operator (not
 * thread-safe).
 */
final class SampleReader implements MetricFieldVisitor {
    /** The sample (null with a dead letter), its line for the store (null when it has no value to write). */
    record Read(MetricSample sample, String line, DeadLetter deadLetter) {
    }

    private final StringBuilder fields = new StringBuilder(4096);
    private final boolean lines;
    private CompiledRules rules;
    private CompiledRules.Measurement plan;
    private boolean doubtful;

    /** {@code lines}: whether to write the samples' lines (false: no store to send them to). */
    SampleReader(boolean lines) {
        this.lines = lines;
    }

    Read read(RawRecord r, long now, CompiledRules packs) {
        rules = packs;
        fields.setLength(0);
        doubtful = false;
        MetricSample s = r.value() == null ? null : EventCodec.readMetricSample(r.value(), this);
        if (s != null && !doubtful) {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (ParseMetricSamples.problem(s, key, now) == null) {
                return new Read(s, lines ? LineProtocol.metric(s, fields) : null, null);
            }
        }
        ParseMetricSamples.Parsed p = ParseMetricSamples.read(r, now);
        if (p.deadLetter() != null) {
            return new Read(null, null, p.deadLetter());
        }
        return new Read(p.sample(), lines ? LineProtocol.metric(p.sample()) : null, null);
    }

    @Override
    public boolean begin(String measurement) {
        if (measurement == null) {
            return false;
        }
        String m = measurement.toLowerCase(Locale.ROOT);
        if (m.equals("inventory")) {
            return false;
        }
        plan = rules.measurement(m);
        return true;
    }

    @Override
    public boolean number(String name, char[] text, int offset, int length) {
        if (doubtful || !surelyFinite(text, offset, length)) {
            doubtful = true;
            return false;
        }
        if (lines) {
            LineProtocol.field(fields, name, text, offset, length);
        }
        return plan.field(name).kept();
    }

    @Override
    public boolean nullValue(String name) {
        return plan.field(name).kept();
    }

    /**
     * Whether a JSON number's text is certainly a finite double without converting it: at most 30 characters (a mantissa
     * below 1e30) and an exponent of at most two digits.
     */
    static boolean surelyFinite(char[] text, int offset, int length) {
        if (length > 30) {
            return false;
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = text[i];
            if (c == 'e' || c == 'E') {
                int digits = end - i - 1;
                if (digits > 0 && (text[i + 1] == '+' || text[i + 1] == '-')) {
                    digits--;
                }
                return digits <= 2;
            }
        }
        return true;
    }
}
