package io.dbops.flinkjobs.rules;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates rule packs against one instance's samples: a plain class (the Flink operator only keys
 * by instance, keeps the {@link InstanceState} and sets the absence timer it is told to).
 *
 * <p>Alarm lifecycle per (rule, instance): inactive → pending (condition true, waiting for
 * {@code for}, measured in sample time) → firing (one {@code firing} alarm) → resolved (condition
 * false past the {@code clear} level, and firing at least {@code min_firing}; the resolved alarm
 * says how long it fired). An unknown condition (a NULL value) changes nothing. Samples older than
 * the newest one already seen of their measurement are ignored, so a late sample cannot resolve or
 * re-fire an alarm. Absence rules run on arrival (processing) time: they must fire precisely when
 * nothing arrives.
 */
public final class RuleEngine {
    private RuleEngine() {
    }

    /** What one sample did: alarms raised or resolved, the counters' per-second rates, or why it was refused. */
    public record Outcome(List<Alarm> alarms, MetricSample rates, String rejected, boolean outOfOrder) {
        static final Outcome OUT_OF_ORDER = new Outcome(List.of(), null, null, true);

        static Outcome rejected(String reason) {
            return new Outcome(List.of(), null, reason, false);
        }
    }

    /** Applies one sample that arrived at {@code now} (epoch millis). */
    public static Outcome onSample(InstanceState st, MetricSample s, Collection<RulePack> packs, long now) {
        return onSample(st, s, new CompiledRules(packs), now);
    }

    /** Applies one sample that arrived at {@code now} (epoch millis), with the packs already arranged per measurement. */
    public static Outcome onSample(InstanceState st, MetricSample s, CompiledRules compiled, long now) {
        CompiledRules.Measurement plan = compiled.measurement(CompiledRules.lower(s.measurement()));
        String m = plan.name();
        long t = s.time().toEpochMilli();
        if (plan.hasCounters()) {
            for (Map.Entry<String, Double> f : s.fields().entrySet()) {
                if (f.getValue() != null && f.getValue() < 0 && plan.field(f.getKey()).kind() == CompiledRules.COUNTER) {
                    return Outcome.rejected("negative counter " + m + "." + f.getKey() + " = " + f.getValue());
                }
            }
        }
        st.instance = s.instance();
        st.lastArrival.put(m, now);
        Long newest = st.newestSample.get(m);
        if (newest != null && t <= newest) {
            return Outcome.OUT_OF_ORDER;
        }
        st.newestSample.put(m, t);
        if (m.equals("up")) {
            st.lastError = s.error();
        }
        Map<String, Double> rates = null;
        HashMap<String, InstanceState.Series> fieldsOf = st.series.get(m);
        if (fieldsOf == null) {
            fieldsOf = new HashMap<>();
            st.series.put(m, fieldsOf);
        }
        for (Map.Entry<String, Double> f : s.fields().entrySet()) {
            CompiledRules.Field field = plan.field(f.getKey());
            if (!field.kept()) {
                continue; // no rule reads it and it has no rate: nothing to remember
            }
            InstanceState.Series ser = fieldsOf.get(field.name());
            if (ser == null) {
                ser = new InstanceState.Series();
                fieldsOf.put(field.name(), ser);
            }
            ser.previous = ser.value;
            ser.previousTime = ser.time;
            ser.value = f.getValue() == null ? Double.NaN : f.getValue();
            ser.time = t;
            if (field.kind() == CompiledRules.COUNTER) {
                double r = change("rate", ser);
                if (!Double.isNaN(r)) {
                    if (rates == null) {
                        rates = new LinkedHashMap<>();
                    }
                    rates.put(field.name(), r);
                }
            }
        }
        List<Alarm> alarms = new ArrayList<>();
        Expr.Values values = values(st);
        for (CompiledRules.Keyed k : plan.rules()) {
            Rule r = k.rule();
            if (!r.scope().matches(s.instance())) {
                continue;
            }
            if (r.isAbsence()) {
                InstanceState.RuleState rs = st.rules.get(k.key());
                if (rs != null && rs.firing()) {
                    alarms.add(resolve(st, k.key(), r, rs, t, "samples of " + m + " arrive again"));
                }
                continue;
            }
            evaluate(st, k.key(), r, values, t, alarms);
        }
        MetricSample rateSample = rates == null ? null
                : new MetricSample(MetricSample.SCHEMA, s.time(), s.instance(), m + "_rate", s.tags(), rates, null);
        return new Outcome(alarms, rateSample, null, false);
    }

    /**
     * What an absence evaluator has seen of the stream: since when it has been watching (on the timers' clock: after a
     * restore, the time the job itself was down says nothing about the instances) and the newest sample time of any instance
     * it has read from the same part of the stream as this instance (its Kafka partition, read in order; {@link Long#MIN_VALUE}:
     * none yet).
     */
    public record Watch(long since, long streamTime) {
        /** An evaluator that has always watched a stream that is never behind: arrival time alone decides. */
        public static final Watch ALWAYS = new Watch(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Runs the absence rules at {@code now}; returns the alarms they raise. */
    public static List<Alarm> onTimer(InstanceState st, Collection<RulePack> packs, long now) {
        return onTimer(st, packs, now, Watch.ALWAYS);
    }

    /**
     * Runs the absence rules at {@code now}. An instance is absent when nothing of the measurement arrived for the rule's
     * duration since the evaluator started watching, <em>and</em> the stream moved on without it: other instances' samples
     * on its partition are at least that much newer than its newest. A stalled pipeline (input waiting in Kafka, a broker or a TaskManager
     * gone) or collectors that all stopped bring nothing newer, so they raise no absence for every instance at once; when the
     * backlog is read the instances' own samples come with it.
     */
    public static List<Alarm> onTimer(InstanceState st, Collection<RulePack> packs, long now, Watch watch) {
        return onTimer(st, new CompiledRules(packs), now, watch);
    }

    /** {@link #onTimer(InstanceState, Collection, long, Watch)} with the packs already arranged. */
    public static List<Alarm> onTimer(InstanceState st, CompiledRules compiled, long now, Watch watch) {
        List<Alarm> alarms = new ArrayList<>();
        if (st.instance == null) {
            return alarms;
        }
        for (CompiledRules.Keyed k : compiled.absenceRules()) {
            Rule r = k.rule();
            if (!r.scope().matches(st.instance)) {
                continue;
            }
            Long last = st.lastArrival.get(r.absent());
            long silentFor = last == null ? 0 : now - Math.max(last, watch.since());
            Rule.Effective e = r.effective(st.instance);
            long forMs = e.forDuration().toMillis();
            InstanceState.RuleState rs = st.rules.get(k.key());
            if (last != null && silentFor >= forMs && streamMovedOn(st, r.absent(), watch, forMs) && (rs == null || !rs.firing())) {
                rs = st.rules.computeIfAbsent(k.key(), x -> new InstanceState.RuleState());
                rs.firingSince = now;
                rs.value = silentFor / 1000.0;
                rs.threshold = forMs / 1000.0;
                rs.summary = render(r, st, e, rs.value);
                alarms.add(alarm(st, k.key(), r, e, rs, AlarmStatus.FIRING, now, rs.summary, null));
            }
        }
        return alarms;
    }

    /** Whether the stream's newest sample is at least {@code forMs} newer than this instance's newest of {@code measurement}. */
    private static boolean streamMovedOn(InstanceState st, String measurement, Watch watch, long forMs) {
        if (watch.streamTime() == Long.MAX_VALUE) {
            return true;
        }
        Long newest = st.newestSample.get(measurement);
        return newest != null && watch.streamTime() != Long.MIN_VALUE && watch.streamTime() - newest >= forMs;
    }

    /** When {@link #onTimer} next has something to decide, or {@link Long#MAX_VALUE}. */
    public static long nextDeadline(InstanceState st, Collection<RulePack> packs) {
        return nextDeadline(st, packs, Long.MIN_VALUE);
    }

    /**
     * When an absence held back because the stream did not move on (see {@link #onTimer(InstanceState, Collection, long, Watch)})
     * is looked at again.
     */
    public static final long RECHECK_MS = 2_000;

    /** {@link #nextDeadline(InstanceState, Collection)} with silence counted from {@code watchingSince} on. */
    public static long nextDeadline(InstanceState st, Collection<RulePack> packs, long watchingSince) {
        return nextDeadline(st, new CompiledRules(packs), watchingSince);
    }

    /** {@link #nextDeadline(InstanceState, Collection, long)} with the packs already arranged. */
    public static long nextDeadline(InstanceState st, CompiledRules compiled, long watchingSince) {
        long next = Long.MAX_VALUE;
        if (st.instance == null) {
            return next;
        }
        for (CompiledRules.Keyed k : compiled.absenceRules()) {
            Rule r = k.rule();
            if (r.scope().matches(st.instance)) {
                Long last = st.lastArrival.get(r.absent());
                if (last != null) {
                    InstanceState.RuleState rs = st.rules.get(k.key());
                    if (rs == null || !rs.firing()) {
                        next = Math.min(next, Math.max(last, watchingSince) + r.forMillis(st.instance));
                    }
                }
            }
        }
        return next;
    }

    /**
     * Resolves what no longer has a rule (a reloaded pack dropped or rescoped it), so no alarm is
     * left firing forever.
     */
    public static List<Alarm> reconcile(InstanceState st, Collection<RulePack> packs, long now) {
        Set<String> live = new HashSet<>();
        for (RulePack p : packs) {
            for (Rule r : p.rules()) {
                if (st.instance != null && r.scope().matches(st.instance)) {
                    live.add(p.name() + "/" + r.id());
                }
            }
        }
        List<Alarm> alarms = new ArrayList<>();
        for (String key : new ArrayList<>(st.rules.keySet())) {
            if (!live.contains(key)) {
                InstanceState.RuleState rs = st.rules.remove(key);
                if (rs.firing()) {
                    alarms.add(resolved(st, key, rs, now, "rule " + key + " was removed or no longer applies"));
                }
            }
        }
        return alarms;
    }

    /** The instance left the inventory: every firing alarm on it resolves; the caller then drops the state. */
    public static List<Alarm> remove(InstanceState st, long now) {
        List<Alarm> alarms = new ArrayList<>();
        st.rules.forEach((key, rs) -> {
            if (rs.firing()) {
                alarms.add(resolved(st, key, rs, now, "instance removed from the inventory"));
            }
        });
        st.rules.clear();
        return alarms;
    }

    private static void evaluate(InstanceState st, String key, Rule r, Expr.Values values, long t, List<Alarm> out) {
        Rule.Effective e = r.effective(st.instance);
        double value;
        double holds;
        InstanceState.RuleState rs = st.rules.get(key);
        boolean firing = rs != null && rs.firing();
        if (r.when() != null) {
            holds = r.when().eval(values);
            value = holds;
        } else {
            value = r.value().eval(values);
            holds = Rule.compare(r.op(), value, firing ? e.clear() : e.threshold());
        }
        if (Double.isNaN(holds)) {
            return;
        }
        if (holds != 0) {
            if (rs == null) {
                rs = new InstanceState.RuleState();
                st.rules.put(key, rs);
            }
            rs.value = value;
            if (firing) {
                return;
            }
            if (rs.pendingSince == Long.MIN_VALUE) {
                rs.pendingSince = t;
            }
            if (t - rs.pendingSince >= e.forDuration().toMillis()) {
                rs.firingSince = t;
                rs.threshold = e.threshold();
                rs.summary = render(r, st, e, value);
                out.add(alarm(st, key, r, e, rs, AlarmStatus.FIRING, t, rs.summary, null));
            }
            return;
        }
        if (rs == null) {
            return;
        }
        if (!firing) {
            st.rules.remove(key);
            return;
        }
        rs.value = value;
        if (t - rs.firingSince >= r.minFiring().toMillis()) {
            out.add(resolve(st, key, r, rs, t, null));
        }
    }

    private static Alarm resolve(InstanceState st, String key, Rule r, InstanceState.RuleState rs, long t, String why) {
        st.rules.remove(key);
        return resolved(st, key, rs, t, why);
    }

    private static Alarm resolved(InstanceState st, String key, InstanceState.RuleState rs, long t, String why) {
        String type = key.substring(key.indexOf('/') + 1);
        String summary = "resolved after " + human(Duration.ofMillis(Math.max(0, t - rs.firingSince))) + ": " + rs.summary
                + (why == null ? "" : " (" + why + ")");
        InstanceRef i = st.instance;
        return new Alarm(Alarm.SCHEMA, Instant.ofEpochMilli(t), alarmId(key, i), AlarmStatus.RESOLVED, rs.type == null ? type : rs.type,
                rs.severity == null ? io.dbops.events.Severity.INFO : rs.severity, i, i.host(), key, summary, finite(rs.value),
                finite(rs.threshold), rs.labels == null || rs.labels.isEmpty() ? null : rs.labels,
                Instant.ofEpochMilli(rs.firingSince), Instant.ofEpochMilli(Math.max(t, rs.firingSince)));
    }

    private static Alarm alarm(InstanceState st, String key, Rule r, Rule.Effective e, InstanceState.RuleState rs, AlarmStatus status,
                               long t, String summary, Instant endsAt) {
        InstanceRef i = st.instance;
        rs.type = r.type();
        rs.severity = e.severity();
        rs.labels = r.labels();
        return new Alarm(Alarm.SCHEMA, Instant.ofEpochMilli(t), alarmId(key, i), status, r.type(), e.severity(), i, i.host(), key,
                summary, finite(rs.value), finite(rs.threshold), r.labels().isEmpty() ? null : r.labels(),
                Instant.ofEpochMilli(rs.firingSince), endsAt);
    }

    /** Stable across firing and resolved: rule key + instance. */
    public static String alarmId(String ruleKey, InstanceRef i) {
        return ruleKey + "@" + i.id();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static double change(String fn, InstanceState.Series s) {
        if (Double.isNaN(s.value) || Double.isNaN(s.previous) || s.time <= s.previousTime) {
            return Double.NaN;
        }
        double d = s.value - s.previous;
        double seconds = (s.time - s.previousTime) / 1000.0;
        return switch (fn) {
            // a counter that went down was restarted or reset: what it counts now is all new
            case "rate" -> (d < 0 ? s.value : d) / seconds;
            case "deriv" -> d / seconds;
            default -> d;
        };
    }

    private static Expr.Values values(InstanceState st) {
        return new Expr.Values() {
            private InstanceState.Series series(String m, String f) {
                HashMap<String, InstanceState.Series> fields = st.series.get(m);
                return fields == null ? null : fields.get(f);
            }

            @Override
            public double value(String m, String f) {
                InstanceState.Series s = series(m, f);
                return s == null ? Double.NaN : s.value;
            }

            @Override
            public double change(String function, String m, String f) {
                InstanceState.Series s = series(m, f);
                return s == null ? Double.NaN : RuleEngine.change(function, s);
            }
        };
    }

    private static String render(Rule r, InstanceState st, Rule.Effective e, double value) {
        InstanceRef i = st.instance;
        String text = r.summary();
        StringBuilder sb = new StringBuilder(text.length() + 32);
        int k = 0;
        while (k < text.length()) {
            int open = text.indexOf('{', k);
            int close = open < 0 ? -1 : text.indexOf('}', open);
            if (open < 0 || close < 0) {
                sb.append(text, k, text.length());
                break;
            }
            sb.append(text, k, open);
            String name = text.substring(open + 1, close);
            String v = switch (name) {
                case "instance" -> i.id();
                case "host" -> i.host();
                case "cluster" -> i.cluster();
                case "business_line" -> i.businessLine();
                case "value" -> number(value);
                case "threshold" -> number(e.threshold());
                case "for" -> human(e.forDuration());
                case "error" -> st.lastError;
                case "rule" -> r.id();
                default -> null;
            };
            sb.append(v == null ? (name.equals("error") ? "" : "{" + name + "}") : v);
            k = close + 1;
        }
        return sb.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "unknown";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 1 && !d.isZero()) {
            return d.toMillis() + "ms";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }
}
