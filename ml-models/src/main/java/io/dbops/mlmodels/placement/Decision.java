package io.dbops.mlmodels.placement;

import java.util.List;

/**
 * One placement decision: the request, every candidate server with its features at decision time,
 * the server chosen, who chose it ({@code model}, {@code heuristic}, {@code dba}, or null when not
 * recorded), when, and how it went ({@code incidents30d}: incidents on the instance within 30 days,
 * null while unknown).
 */
public record Decision(PlacementRequest request, List<ServerCandidate> candidates, String chosen, String chosenBy,
                       String decidedAt, Integer incidents30d) {

    public Decision {
        candidates = List.copyOf(candidates);
    }

    /** The chosen candidate, or null when the history names a server that is not among the candidates. */
    public ServerCandidate chosenCandidate() {
        for (ServerCandidate c : candidates) {
            if (c.server().equals(chosen)) {
                return c;
            }
        }
        return null;
    }
}
