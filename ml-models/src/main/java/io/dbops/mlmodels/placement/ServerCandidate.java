package io.dbops.mlmodels.placement;

/**
 * One server as it was when a placement was decided. Utilisations are fractions (0..1); a value
 * that was not known at decision time is {@code NaN} (the ranker treats it as missing). The counts
 * are instances on the server, those of the request's business line, and members of the request's
 * replica set on the server and in its rack. {@code hardware} is a free-form class name.
 */
public record ServerCandidate(String server, String rack, String dc, double cpuUtil, double memTotalGb, double memFreeGb,
                              double diskFreeGb, double ioUtil, int instances, int sameBusinessInstances, int sameClusterOnHost,
                              int sameClusterInRack, String hardware, boolean maintenance) {
}
