package io.dbops.flinkjobs.rules;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One alarm rule of a {@link RulePack}, in one of three shapes:
 * <ul>
 *   <li>threshold: {@code value op threshold} held for {@code for}; with {@code clear} it resolves
 *       only once the value is back across {@code clear} (hysteresis);</li>
 *   <li>condition: a boolean {@code when} expression held for {@code for};</li>
 *   <li>absence: no sample of measurement {@code absent} for {@code for} (processing time: it fires
 *       when the collector itself is gone).</li>
 * </ul>
 * Every rule is scoped (engines, clusters, business lines, instances; empty means all), may have
 * narrower {@link Override overrides} of its threshold (the most specific wins: instance, then
 * cluster, then business line, then engine), and fires at most one alarm per instance at a time.
 */
public record Rule(String id, String type, Severity severity, Scope scope, Expr value, String op, Double threshold, Double clear,
                   Expr when, String absent, Duration forDuration, Duration minFiring, String summary,
                   Map<String, String> labels, List<Override> overrides) implements Serializable {

    /** Which instances a rule or an override applies to; an empty set does not restrict. */
    public record Scope(Set<Engine> engines, Set<String> clusters, Set<String> businessLines, Set<String> instances)
            implements Serializable {
        public static final Scope ALL = new Scope(Set.of(), Set.of(), Set.of(), Set.of());

        public boolean matches(InstanceRef i) {
            return (engines.isEmpty() || engines.contains(i.engine()))
                    && (clusters.isEmpty() || clusters.contains(i.cluster()))
                    && (businessLines.isEmpty() || businessLines.contains(i.businessLine()))
                    && (instances.isEmpty() || instances.contains(i.id()));
        }

        /** Higher is more specific: an instance list beats a cluster list beats a business line beats an engine. */
        int specificity() {
            return (instances.isEmpty() ? 0 : 8) + (clusters.isEmpty() ? 0 : 4) + (businessLines.isEmpty() ? 0 : 2)
                    + (engines.isEmpty() ? 0 : 1);
        }
    }

    /** A narrower scope's own threshold, clear level, duration or severity; unset parts keep the rule's. */
    public record Override(Scope scope, Double threshold, Double clear, Duration forDuration, Severity severity)
            implements Serializable {
    }

    /** The rule's settings for one instance: its most specific matching override applied. */
    public record Effective(double threshold, double clear, Duration forDuration, Severity severity) {
    }

    public boolean isAbsence() {
        return absent != null;
    }

    public Effective effective(InstanceRef i) {
        Override best = null;
        for (Override o : overrides) {
            if (o.scope().matches(i) && (best == null || o.scope().specificity() > best.scope().specificity())) {
                best = o;
            }
        }
        double t = threshold == null ? Double.NaN : threshold;
        double c = clear == null ? t : clear;
        if (best == null) {
            return new Effective(t, c, forDuration, severity);
        }
        double bt = best.threshold() != null ? best.threshold() : t;
        double bc = best.clear() != null ? best.clear() : best.threshold() != null ? bt : c;
        return new Effective(bt, bc, best.forDuration() != null ? best.forDuration() : forDuration,
                best.severity() != null ? best.severity() : severity);
    }

    /** The rule's {@code for} for one instance in milliseconds (what {@link #effective} says, without building it when nothing overrides). */
    public long forMillis(InstanceRef i) {
        return overrides.isEmpty() ? forDuration.toMillis() : effective(i).forDuration().toMillis();
    }

    /** Whether {@code v op t} holds; unknown (NaN) when v is. */
    static double compare(String op, double v, double t) {
        if (Double.isNaN(v) || Double.isNaN(t)) {
            return Double.NaN;
        }
        boolean r = switch (op) {
            case ">" -> v > t;
            case ">=" -> v >= t;
            case "<" -> v < t;
            case "<=" -> v <= t;
            case "==" -> v == t;
            default -> v != t;
        };
        return r ? 1 : 0;
    }

    /** Whether a sample of {@code measurement} can change this rule's outcome. */
    public boolean reads(String measurement) {
        return absent != null ? absent.equals(measurement) : (when != null ? when : value).measurements().contains(measurement);
    }

    /** The measurements whose samples can change this rule's outcome. */
    public Set<String> measurements() {
        if (absent != null) {
            return Set.of(absent);
        }
        return (when != null ? when : value).measurements();
    }
}
