package io.dbops.mlmodels.placement;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much more (or less) often DBAs pick a hardware class than its share of the feasible
 * candidates would suggest, learned from history separately for primaries and replicas
 * ({@code lift} 1 = no preference). Hardware class names are free-form: a class never seen gets 1.
 * Counts are smoothed towards no preference by {@link #PRIOR_WEIGHT} pseudo-observations, so a
 * class seen a handful of times says little.
 */
public final class HardwarePreference {
    static final double PRIOR_WEIGHT = 30;

    /** Lifts per "role|hardware" key (role = primary or replica). */
    private final Map<String, Double> lifts;

    public HardwarePreference(Map<String, Double> lifts) {
        this.lifts = new TreeMap<>(lifts);
    }

    public static final HardwarePreference NONE = new HardwarePreference(Map.of());

    public double lift(String hardware, PlacementRequest r) {
        return lifts.getOrDefault(key(r, hardware), 1.0);
    }

    public Map<String, Double> lifts() {
        return new TreeMap<>(lifts);
    }

    /** Learned from decisions: each one shows its feasible candidates and the one picked. */
    public static HardwarePreference learn(List<Decision> decisions, HardConstraints rules) {
        Map<String, double[]> counts = new TreeMap<>(); // key -> {expected picks, actual picks}
        for (Decision d : decisions) {
            List<ServerCandidate> feasible = rules.feasible(d.request(), d.candidates());
            if (feasible.isEmpty() || feasible.stream().noneMatch(c -> c.server().equals(d.chosen()))) {
                continue;
            }
            double share = 1.0 / feasible.size();
            for (ServerCandidate c : feasible) {
                double[] e = counts.computeIfAbsent(key(d.request(), c.hardware()), k -> new double[2]);
                e[0] += share;
                if (c.server().equals(d.chosen())) {
                    e[1] += 1;
                }
            }
        }
        Map<String, Double> lifts = new TreeMap<>();
        counts.forEach((k, e) -> lifts.put(k, (e[1] + PRIOR_WEIGHT) / (e[0] + PRIOR_WEIGHT)));
        return new HardwarePreference(lifts);
    }

    private static String key(PlacementRequest r, String hardware) {
        return (r.isPrimary() ? "primary|" : "replica|") + hardware;
    }
}
