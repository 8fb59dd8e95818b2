package io.dbops.flinkjobs.rules;

import io.dbops.events.InstanceRef;
import java.io.Serializable;
import java.util.HashMap;

/**
 * Everything the rule engine remembers about one instance: the last two values of every field
 * (for rates), the newest sample time and arrival per measurement (ordering and absence), and the
 * state of every rule on it. It is one keyed value in the Flink job and is dropped whole when the
 * instance leaves the inventory, so nothing of a removed instance stays behind.
 */
public final class InstanceState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Last two values of one field; NaN means NULL or not reported. */
    static final class Series implements Serializable {
        private static final long serialVersionUID = 1L;
        double value = Double.NaN;
        long time = Long.MIN_VALUE;
        double previous = Double.NaN;
        long previousTime = Long.MIN_VALUE;
    }

    /** A rule on this instance: inactive, pending since a time, or firing since a time. */
    static final class RuleState implements Serializable {
        private static final long serialVersionUID = 1L;
        long pendingSince = Long.MIN_VALUE;
        long firingSince = Long.MIN_VALUE;
        double value = Double.NaN;
        double threshold = Double.NaN;
        String summary;
        String type;
        io.dbops.events.Severity severity;
        java.util.Map<String, String> labels;

        boolean firing() {
            return firingSince != Long.MIN_VALUE;
        }
    }

    InstanceRef instance;
    String lastError;
    /** The Kafka partition the instance's samples arrive on (-1: not known), whose progress tells whether it fell silent. */
    int partition = -1;
    /** measurement → field → its last two values (two levels: no string built per field per sample). */
    final HashMap<String, HashMap<String, Series>> series = new HashMap<>();
    final HashMap<String, Long> newestSample = new HashMap<>();
    final HashMap<String, Long> lastArrival = new HashMap<>();
    final HashMap<String, RuleState> rules = new HashMap<>();

    public InstanceRef instance() {
        return instance;
    }

    public int partition() {
        return partition;
    }

    public void partition(int p) {
        this.partition = p;
    }

    /** Rules currently firing on this instance, by rule key (pack/id). */
    public java.util.Set<String> firingRules() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        rules.forEach((k, s) -> {
            if (s.firing()) {
                out.add(k);
            }
        });
        return out;
    }

    /** Rules pending (condition true, waiting for their 'for' duration). */
    public java.util.Set<String> pendingRules() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        rules.forEach((k, s) -> {
            if (!s.firing() && s.pendingSince != Long.MIN_VALUE) {
                out.add(k);
            }
        });
        return out;
    }
}
