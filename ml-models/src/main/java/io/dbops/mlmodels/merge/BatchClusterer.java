package io.dbops.mlmodels.merge;

import java.util.List;

/**
 * Agglomerative clustering of a set of alarms with the {@link Linkage} of the streaming merger
 * (average linkage): start from singletons and merge the closest pair of clusters while it is
 * under the threshold, updating cluster distances by the Lance-Williams rule, which is exact for
 * average linkage. O(n²) memory and O(n³) time: the reference the streaming
 * {@link IncrementalClusterer} is tested against, and a tool for small offline sets.
 */
public final class BatchClusterer {
    private BatchClusterer() {
    }

    /** Cluster labels, one per point: the index of the earliest point of its cluster. Deterministic. */
    public static int[] cluster(List<AlarmPoint> points, AlarmDistance distance, double threshold) {
        int n = points.size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = d[j][i] = distance.distance(points.get(i), points.get(j));
            }
        }
        int[] size = new int[n];
        int[] parent = new int[n];
        boolean[] active = new boolean[n];
        for (int i = 0; i < n; i++) {
            size[i] = 1;
            parent[i] = i;
            active[i] = true;
        }
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
            for (int k = 0; k < n; k++) {
                if (active[k] && k != bi && k != bj) {
                    d[bi][k] = d[k][bi] = (size[bi] * d[bi][k] + size[bj] * d[bj][k]) / (size[bi] + size[bj]);
                }
            }
            size[bi] += size[bj];
            active[bj] = false;
            parent[bj] = bi;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int r = i;
            while (parent[r] != r) {
                r = parent[r];
            }
            labels[i] = r;
        }
        // name each cluster by its earliest member (points come in time order; the root may be a later one)
        int[] first = new int[n];
        java.util.Arrays.fill(first, -1);
        for (int i = 0; i < n; i++) {
            if (first[labels[i]] < 0) {
                first[labels[i]] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            labels[i] = first[labels[i]];
        }
        return labels;
    }
}
