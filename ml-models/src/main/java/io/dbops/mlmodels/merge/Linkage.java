package io.dbops.mlmodels.merge;

import java.util.Collection;

/**
 * How far an alarm is from a cluster of alarms, and two clusters from each other: <b>average
 * linkage</b>, the mean {@link AlarmDistance} over every pair of members. Measured on the
 * generated storms against the alternatives: single linkage (the nearest member) chains two
 * coinciding storms into one through replica links (pairwise F1 about 0.45); time as recency (the
 * gap to the cluster's latest alarm, as Alertmanager's group interval) lets a still-active storm
 * absorb the next one (about 0.8).
 */
public final class Linkage {
    private Linkage() {
    }

    public static double alarmToCluster(AlarmDistance d, AlarmPoint a, Collection<AlarmPoint> members) {
        double sum = 0;
        AlarmDistance.TypeRow row = d.row(a.type());
        for (AlarmPoint m : members) {
            sum += d.distance(a, m, row);
        }
        return sum / members.size();
    }

    public static double clusterToCluster(AlarmDistance d, Collection<AlarmPoint> x, Collection<AlarmPoint> y) {
        double sum = 0;
        for (AlarmPoint p : x) {
            AlarmDistance.TypeRow row = d.row(p.type());
            for (AlarmPoint q : y) {
                sum += d.distance(p, q, row);
            }
        }
        return sum / (x.size() * (double) y.size());
    }
}
