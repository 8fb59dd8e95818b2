package io.dbops.mlmodels.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules no model may break, applied before any ranking: the server must have the request's
 * memory and disk free (plus a reserve), must not be in maintenance, and must not already hold a
 * member of the request's replica set. Rack spread (no other member of the set in the server's
 * rack) is a preference the ranker weighs, unless {@code rackSpreadHard} makes it a rule.
 */
public record HardConstraints(double memoryReserveGb, double diskReserveGb, boolean rackSpreadHard) {

    /** No reserve, rack spread preferred. */
    public static final HardConstraints DEFAULT = new HardConstraints(0, 0, false);

    public HardConstraints {
        if (!(memoryReserveGb >= 0) || !(diskReserveGb >= 0)) {
            throw new IllegalArgumentException("placement reserves must be >= 0 GB, got memory " + memoryReserveGb + ", disk " + diskReserveGb);
        }
    }

    /** Whether a server may take the request, and every rule it breaks. */
    public record Verdict(ServerCandidate candidate, List<String> broken) {
        public boolean feasible() {
            return broken.isEmpty();
        }
    }

    public Verdict check(PlacementRequest request, ServerCandidate c) {
        List<String> broken = new ArrayList<>(2);
        if (c.maintenance()) {
            broken.add("in maintenance");
        }
        double memNeed = request.memoryGb() + memoryReserveGb;
        if (!(c.memFreeGb() >= memNeed)) {
            broken.add(String.format(java.util.Locale.ROOT, "%.1f GB memory free, needs %.1f", c.memFreeGb(), memNeed));
        }
        double diskNeed = request.diskGb() + diskReserveGb;
        if (!(c.diskFreeGb() >= diskNeed)) {
            broken.add(String.format(java.util.Locale.ROOT, "%.1f GB disk free, needs %.1f", c.diskFreeGb(), diskNeed));
        }
        if (request.cluster() != null && c.sameClusterOnHost() > 0) {
            broken.add("already holds a member of " + request.cluster());
        }
        if (rackSpreadHard && request.cluster() != null && c.sameClusterInRack() > 0) {
            broken.add("rack " + c.rack() + " already holds a member of " + request.cluster());
        }
        return new Verdict(c, List.copyOf(broken));
    }

    /** The candidates that may take the request, in their given order. */
    public List<ServerCandidate> feasible(PlacementRequest request, List<ServerCandidate> candidates) {
        List<ServerCandidate> out = new ArrayList<>(candidates.size());
        for (ServerCandidate c : candidates) {
            if (check(request, c).feasible()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every candidate's verdict, in the given order. */
    public List<Verdict> verdicts(PlacementRequest request, List<ServerCandidate> candidates) {
        List<Verdict> out = new ArrayList<>(candidates.size());
        for (ServerCandidate c : candidates) {
            out.add(check(request, c));
        }
        return out;
    }
}
