package io.dbops.mlmodels.placement;

import java.util.List;

/**
 * The ranker's features for one request over its feasible candidates: the candidate's own
 * figures, the request's, their interactions (memory and disk left after placement, how much of
 * what is free the request takes), the learned preference for the candidate's hardware class, and
 * each figure relative to the best candidate of the same request (what a DBA compares). Unknown
 * utilisations stay missing (NaN). {@link #VERSION} changes whenever {@link #NAMES} does; model
 * files carry both and are refused by a different version.
 */
public final class PlacementFeatures {
    /** Version of the feature list below. */
    public static final int VERSION = 1;

    public static final List<String> NAMES = List.of(
            "engine_mysql", "engine_redis", "engine_mongo", "role_primary",
            "req_memory_gb", "req_disk_gb",
            "cpu_util", "io_util", "mem_total_gb", "mem_free_gb", "disk_free_gb",
            "instances", "same_business_instances", "same_cluster_in_rack",
            "mem_free_after_gb", "mem_headroom_ratio", "mem_fit", "disk_free_after_gb", "disk_fit",
            "hardware_preference",
            "mem_free_after_vs_best", "io_util_vs_best", "cpu_util_vs_best", "instances_vs_best",
            "same_business_vs_best");

    static final int COUNT = NAMES.size();

    private PlacementFeatures() {
    }

    /** Row-major feature matrix, one row per candidate in the given order. */
    public static float[] matrix(PlacementRequest r, List<ServerCandidate> feasible, HardwarePreference hardware) {
        int n = feasible.size();
        float[] m = new float[n * COUNT];
        double bestMemAfter = 0;
        double minIo = Double.NaN;
        double minCpu = Double.NaN;
        int minInstances = Integer.MAX_VALUE;
        int minBusiness = Integer.MAX_VALUE;
        for (ServerCandidate c : feasible) {
            bestMemAfter = Math.max(bestMemAfter, c.memFreeGb() - r.memoryGb());
            minIo = minKnown(minIo, c.ioUtil());
            minCpu = minKnown(minCpu, c.cpuUtil());
            minInstances = Math.min(minInstances, c.instances());
            minBusiness = Math.min(minBusiness, c.sameBusinessInstances());
        }
        String family = r.engineFamily();
        float mysql = family.equals("mysql") ? 1 : 0;
        float redis = family.equals("redis") ? 1 : 0;
        float mongo = family.equals("mongo") ? 1 : 0;
        float primary = r.isPrimary() ? 1 : 0;
        for (int i = 0; i < n; i++) {
            ServerCandidate c = feasible.get(i);
            int o = i * COUNT;
            double memAfter = c.memFreeGb() - r.memoryGb();
            double diskAfter = c.diskFreeGb() - r.diskGb();
            m[o] = mysql;
            m[o + 1] = redis;
            m[o + 2] = mongo;
            m[o + 3] = primary;
            m[o + 4] = (float) r.memoryGb();
            m[o + 5] = (float) r.diskGb();
            m[o + 6] = (float) c.cpuUtil();
            m[o + 7] = (float) c.ioUtil();
            m[o + 8] = (float) c.memTotalGb();
            m[o + 9] = (float) c.memFreeGb();
            m[o + 10] = (float) c.diskFreeGb();
            m[o + 11] = c.instances();
            m[o + 12] = c.sameBusinessInstances();
            m[o + 13] = c.sameClusterInRack();
            m[o + 14] = (float) memAfter;
            m[o + 15] = (float) (c.memTotalGb() > 0 ? memAfter / c.memTotalGb() : Double.NaN);
            m[o + 16] = (float) (c.memFreeGb() > 0 ? r.memoryGb() / c.memFreeGb() : Double.NaN);
            m[o + 17] = (float) diskAfter;
            m[o + 18] = (float) (c.diskFreeGb() > 0 ? r.diskGb() / c.diskFreeGb() : Double.NaN);
            m[o + 19] = (float) hardware.lift(c.hardware(), r);
            m[o + 20] = (float) (bestMemAfter > 0 ? memAfter / bestMemAfter : Double.NaN);
            m[o + 21] = (float) (c.ioUtil() - minIo);
            m[o + 22] = (float) (c.cpuUtil() - minCpu);
            m[o + 23] = c.instances() - minInstances;
            m[o + 24] = c.sameBusinessInstances() - minBusiness;
        }
        return m;
    }

    private static double minKnown(double min, double v) {
        if (Double.isNaN(v)) {
            return min;
        }
        return Double.isNaN(min) ? v : Math.min(min, v);
    }
}
