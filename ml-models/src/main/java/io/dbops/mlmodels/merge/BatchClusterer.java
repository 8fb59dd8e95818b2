package io.dbops.mlmodels.merge;

import java.util.ArrayList;
import java.util.List;

/**
 * Agglomerative clustering of a set of alarms with the {@link Linkage} of the streaming merger
 * (average linkage over topology and type, recency over time): start from singletons and merge
 * the closest pair of clusters while it is under the threshold. O(n²) memory and about O(n³)
 * time: the reference the streaming {@link IncrementalClusterer} is tested against, and a tool for
 * small offline sets.
 */
public final class BatchClusterer {
    private BatchClusterer() {
    }

    /** Cluster labels, one per point: the index of the earliest point of its cluster. Deterministic. */
    public static int[] cluster(List<AlarmPoint> points, AlarmDistance distance, double threshold) {
        int n = points.size();
        List<List<Integer>> members = new ArrayList<>();
        long[] first = new long[n];
        long[] last = new long[n];
        for (int i = 0; i < n; i++) {
            members.add(new ArrayList<>(List.of(i)));
            first[i] = last[i] = points.get(i).ts();
        }
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = d[j][i] = link(points, distance, members.get(i), first[i], last[i], members.get(j), first[j], last[j]);
            }
        }
        boolean[] active = new boolean[n];
        java.util.Arrays.fill(active, true);
        while (true) {
            int bi = -1;
            int bj = -1;
            double best = threshold;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; active[i] && j < n; j++) {
                    if (active[j] && d[i][j] < best) {
                        best = d[i][j];
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) {
                break;
            }
            members.get(bi).addAll(members.get(bj));
            first[bi] = Math.min(first[bi], first[bj]);
            last[bi] = Math.max(last[bi], last[bj]);
            active[bj] = false;
            for (int k = 0; k < n; k++) {
                if (active[k] && k != bi) {
                    d[bi][k] = d[k][bi] = link(points, distance, members.get(bi), first[bi], last[bi], members.get(k), first[k], last[k]);
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            if (active[i]) {
                int min = members.get(i).stream().mapToInt(Integer::intValue).min().orElse(i);
                for (int m : members.get(i)) {
                    labels[m] = min;
                }
            }
        }
        return labels;
    }

    private static double link(List<AlarmPoint> points, AlarmDistance distance, List<Integer> x, long xFirst, long xLast, List<Integer> y,
                               long yFirst, long yLast) {
        return Linkage.clusterToCluster(distance, x.stream().map(points::get).toList(), xFirst, xLast, y.stream().map(points::get).toList(),
                yFirst, yLast);
    }
}
