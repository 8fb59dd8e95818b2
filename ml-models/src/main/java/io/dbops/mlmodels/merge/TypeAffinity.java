package io.dbops.mlmodels.merge;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How likely two alarm types belong to one incident, learned from past incidents with a prior so
 * that it works on day one: for types a and b,
 * {@code (incidents with both + strength * prior) / (incidents with the commoner of them + strength)}.
 * With no history every pair is {@code prior} (neutral); one co-occurrence moves it a little, many
 * move it to what the history says. For one type, the share of its incidents holding it twice or
 * more. Types are free-form strings: nothing here knows any type name.
 */
public final class TypeAffinity implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final double prior;
    private final double strength;
    private final Map<String, Integer> incidentsWith = new HashMap<>();
    private final Map<String, Integer> incidentsWithTwice = new HashMap<>();
    private final Map<String, Integer> together = new HashMap<>();

    public TypeAffinity(double prior, double strength) {
        this.prior = prior;
        this.strength = strength;
    }

    /** The default: neutral prior 0.5, worth 2 incidents of evidence. */
    public static TypeAffinity withPrior() {
        return new TypeAffinity(0.5, 2);
    }

    /** Adds one past incident: the types of its member alarms (repeats count for the same-type affinity). */
    public void learn(List<String> memberTypes) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : memberTypes) {
            counts.merge(t, 1, Integer::sum);
        }
        Set<String> distinct = new TreeSet<>(counts.keySet());
        for (String t : distinct) {
            incidentsWith.merge(t, 1, Integer::sum);
            if (counts.get(t) >= 2) {
                incidentsWithTwice.merge(t, 1, Integer::sum);
            }
        }
        String[] ts = distinct.toArray(new String[0]);
        for (int i = 0; i < ts.length; i++) {
            for (int j = i + 1; j < ts.length; j++) {
                together.merge(ts[i] + '\u0000' + ts[j], 1, Integer::sum);
            }
        }
    }

    /** Adds everything another affinity has learned (after a restore that hands one instance several). */
    public void absorb(TypeAffinity other) {
        other.incidentsWith.forEach((k, v) -> incidentsWith.merge(k, v, Integer::sum));
        other.incidentsWithTwice.forEach((k, v) -> incidentsWithTwice.merge(k, v, Integer::sum));
        other.together.forEach((k, v) -> together.merge(k, v, Integer::sum));
    }

    public void learnAll(Collection<List<String>> incidents) {
        incidents.forEach(this::learn);
    }

    /** In [0, 1]; symmetric. */
    public double affinity(String a, String b) {
        if (a.equals(b)) {
            int n = incidentsWith.getOrDefault(a, 0);
            return (incidentsWithTwice.getOrDefault(a, 0) + strength * prior) / (n + strength);
        }
        String key = a.compareTo(b) < 0 ? a + '\u0000' + b : b + '\u0000' + a;
        int both = together.getOrDefault(key, 0);
        // over the commoner of the two: a type seen everywhere alone (a background alarm) must not look
        // related to a rare one just because the rare one has little history
        int commoner = Math.max(incidentsWith.getOrDefault(a, 0), incidentsWith.getOrDefault(b, 0));
        return (both + strength * prior) / (commoner + strength);
    }

    public int typesSeen() {
        return incidentsWith.size();
    }
}
