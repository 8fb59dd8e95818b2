package io.dbops.actions.run;

import java.util.List;

/**
 * A named sequence of steps. The list is fixed for a playbook (a resumed run must see the same
 * steps in the same places); what varies with the target is decided by steps and kept as facts.
 */
public interface Playbook {
    String name();

    String description();

    List<Param> params();

    List<Step> steps();

    /** Whether a run of it changes a cluster's roles (failover, switchover): such runs set the anti-flap block. */
    default boolean changesTopology() {
        return false;
    }
}
