package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** State of a playbook run or of one of its steps. Its JSON form is the stable lower-case string, not the Java name. */
public enum RunState {
    @JsonProperty("pending") PENDING,
    @JsonProperty("awaiting_approval") AWAITING_APPROVAL,
    @JsonProperty("rejected") REJECTED,
    @JsonProperty("running") RUNNING,
    @JsonProperty("succeeded") SUCCEEDED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("skipped") SKIPPED,
    @JsonProperty("compensating") COMPENSATING,
    @JsonProperty("compensated") COMPENSATED,
    @JsonProperty("cancelled") CANCELLED,
    @JsonProperty("blocked") BLOCKED;
}
