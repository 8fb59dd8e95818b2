package io.dbops.actions.run;

import io.dbops.events.RunState;
import java.time.Instant;
import java.util.Map;

/** A playbook run as the metadata DB has it. */
public record Run(
        String id,
        String playbook,
        String dedupeKey,
        String requestId,
        String incidentId,
        String cluster,
        String target,
        String businessLine,
        String requestedBy,
        String policy,
        boolean dryRun,
        Map<String, String> params,
        Map<String, String> facts,
        RunState state,
        String message,
        String approvedBy,
        Instant approvedAt,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt) {

    /** What a trigger asks for: everything a new run needs. */
    public record Spec(String playbook, String dedupeKey, String requestId, String incidentId, String cluster, String target,
                       String businessLine, String requestedBy, String policy, boolean dryRun, Map<String, String> params) {
    }
}
