package io.dbops.actions.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a new run may start: the global kill switch, maintenance windows, the anti-flapping block
 * of a cluster (for playbooks that change roles) and the rate limit per playbook and cluster. Dry
 * runs touch nothing and pass every guard. Returns the refusal, naming how to lift it, or null.
 */
public final class Guards {
    /** What the guards look at, read from the metadata DB by the caller. */
    public record State(Optional<String> killSwitchBy, Optional<String> maintenance, Optional<Map.Entry<String, Instant>> block,
                        int recentRuns) {
    }

    private Guards() {
    }

    public static String refusal(String playbook, String cluster, boolean changesTopology, boolean dryRun,
                                 RemediationRules.Settings settings, State state) {
        if (dryRun) {
            return null;
        }
        if (state.killSwitchBy().isPresent()) {
            return "refused: the kill switch is on (set by " + state.killSwitchBy().get()
                    + "): no automation runs; lift it with ./dbops actions kill-switch off";
        }
        if (state.maintenance().isPresent()) {
            return "refused: " + state.maintenance().get() + ": no automation inside a maintenance window";
        }
        if (changesTopology && state.block().isPresent()) {
            var b = state.block().get();
            return "refused: cluster " + cluster + " already changed roles in run " + b.getKey() + "; another " + playbook
                    + " is blocked until " + b.getValue() + " (anti-flapping). A DBA who has checked the cluster acknowledges "
                    + "and lifts the block with: ./dbops actions unblock " + cluster;
        }
        if (state.recentRuns() >= settings.rateLimitRuns()) {
            return "refused: " + state.recentRuns() + " runs of " + playbook + " on " + (cluster == null ? "this target" : cluster)
                    + " in the last " + settings.rateLimitPer().toMinutes() + " min (rate limit " + settings.rateLimitRuns() + ")";
        }
        return null;
    }
}
