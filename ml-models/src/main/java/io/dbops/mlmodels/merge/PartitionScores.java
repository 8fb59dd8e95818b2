package io.dbops.mlmodels.merge;

import java.util.HashMap;
import java.util.Map;

/**
 * How well a predicted grouping of alarms matches the truth: pairwise precision, recall and F1
 * (over all pairs of alarms: are they together in both?), the adjusted Rand index, and the
 * compression (alarms per incident) of each. Alarms of the truth missing from the prediction are
 * counted and scored as singletons.
 */
public record PartitionScores(double precision, double recall, double f1, double ari, double predictedCompression,
                              double trueCompression, int alarms, int missing) {

    public static PartitionScores of(Map<String, String> truth, Map<String, String> predicted) {
        Map<String, Map<String, Integer>> table = new HashMap<>();
        Map<String, Integer> rows = new HashMap<>();
        Map<String, Integer> cols = new HashMap<>();
        int missing = 0;
        for (Map.Entry<String, String> e : truth.entrySet()) {
            String p = predicted.get(e.getKey());
            if (p == null) {
                missing++;
                p = "\u0000missing:" + e.getKey();
            }
            table.computeIfAbsent(e.getValue(), k -> new HashMap<>()).merge(p, 1, Integer::sum);
            rows.merge(e.getValue(), 1, Integer::sum);
            cols.merge(p, 1, Integer::sum);
        }
        int n = truth.size();
        double together = 0;
        for (Map<String, Integer> row : table.values()) {
            for (int c : row.values()) {
                together += pairs(c);
            }
        }
        double truePairs = rows.values().stream().mapToDouble(PartitionScores::pairs).sum();
        double predPairs = cols.values().stream().mapToDouble(PartitionScores::pairs).sum();
        double precision = predPairs == 0 ? 1 : together / predPairs;
        double recall = truePairs == 0 ? 1 : together / truePairs;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double all = pairs(n);
        double expected = all == 0 ? 0 : truePairs * predPairs / all;
        double max = (truePairs + predPairs) / 2;
        double ari = max == expected ? 1 : (together - expected) / (max - expected);
        return new PartitionScores(precision, recall, f1, ari, n / (double) Math.max(1, cols.size()), n / (double) Math.max(1, rows.size()),
                n, missing);
    }

    private static double pairs(int k) {
        return k * (k - 1) / 2.0;
    }
}
