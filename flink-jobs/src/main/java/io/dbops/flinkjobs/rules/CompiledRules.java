package io.dbops.flinkjobs.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * The rule packs in force, arranged for the per-sample path: per measurement, which rules read it
 * (with their alarm keys built once) and, per field name as it arrives, whether the job keeps it
 * and whether it is a counter. Without this every field of every sample asked every pack twice
 * (a field read by some rule? a counter, by glob?), and every sample built the key of every
 * absence rule to set its timer.
 *
 * <p>Built once per set of packs (the operator rebuilds it when a pack changes). The per-field
 * answers are remembered up to {@link #FIELDS_MAX} names per measurement; names beyond that are
 * decided each time, so a collector sending ever new names cannot grow it without bound. Not
 * thread-safe: one per operator instance.
 */
public final class CompiledRules {
    /** Field kinds: not kept (no rule reads it, it is not a counter), kept (a rule reads it), a counter (kept, and its rate computed). */
    public static final byte SKIP = 0;
    public static final byte KEEP = 1;
    public static final byte COUNTER = 2;
    static final int FIELDS_MAX = 10_000;
    private static final int MEASUREMENTS_MAX = 1_000;

    /** A rule with the key its alarms and state go by ({@code pack/id}). */
    public record Keyed(String key, Rule rule) {
    }

    private final List<RulePack> packs;
    private final List<Keyed> absence = new ArrayList<>();
    private final HashMap<String, Measurement> measurements = new HashMap<>();

    public CompiledRules(Collection<RulePack> packs) {
        this.packs = List.copyOf(packs);
        for (RulePack p : this.packs) {
            for (Rule r : p.rules()) {
                if (r.isAbsence()) {
                    absence.add(new Keyed(p.name() + "/" + r.id(), r));
                }
            }
        }
    }

    public List<RulePack> packs() {
        return packs;
    }

    /** The absence rules of every pack, in pack order. */
    public List<Keyed> absenceRules() {
        return absence;
    }

    /** What applies to samples of {@code measurement} (lower-case). */
    public Measurement measurement(String measurement) {
        Measurement m = measurements.get(measurement);
        if (m == null) {
            m = new Measurement(measurement);
            if (measurements.size() < MEASUREMENTS_MAX) {
                measurements.put(measurement, m);
            }
        }
        return m;
    }

    /** One measurement's rules and field kinds. */
    public final class Measurement {
        private final String name;
        private final List<Keyed> rules = new ArrayList<>();
        private final boolean counters;
        private final HashMap<String, Field> fields = new HashMap<>();

        Measurement(String name) {
            this.name = name;
            boolean anyCounters = false;
            for (RulePack p : packs) {
                anyCounters |= p.counterMeasurements().contains(name);
                for (Rule r : p.rules()) {
                    if (r.reads(name)) {
                        rules.add(new Keyed(p.name() + "/" + r.id(), r));
                    }
                }
            }
            this.counters = anyCounters;
        }

        public String name() {
            return name;
        }

        /** The rules a sample of this measurement can change (absence rules too: a sample resolves them). */
        public List<Keyed> rules() {
            return rules;
        }

        /** Whether some pack declares counters of this measurement (only then can a negative value be refused). */
        public boolean hasCounters() {
            return counters;
        }

        /** The field as it arrived ({@code name}, any case): its lower-case name and kind. */
        public Field field(String name) {
            Field f = fields.get(name);
            if (f == null) {
                f = decide(name);
                if (fields.size() < FIELDS_MAX) {
                    fields.put(name, f);
                }
            }
            return f;
        }

        private Field decide(String arrived) {
            String lower = lower(arrived);
            byte kind = SKIP;
            for (RulePack p : packs) {
                if (p.isCounter(name, lower)) {
                    kind = COUNTER;
                    break;
                }
                if (p.keeps(name, lower)) {
                    kind = KEEP;
                }
            }
            return new Field(lower, kind);
        }
    }

    /** A field's lower-case name (what rules and state go by) and its {@link #SKIP}/{@link #KEEP}/{@link #COUNTER} kind. */
    public record Field(String name, byte kind) {
        public boolean kept() {
            return kind != SKIP;
        }
    }

    /** Lower-cases only when needed: collectors already send lower-case names. */
    static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isUpperCase(s.charAt(i))) {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }
}
