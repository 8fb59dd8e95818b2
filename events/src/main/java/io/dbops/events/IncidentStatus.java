package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle of an incident: opened, updated with new alarms or a new root cause, resolved. Its JSON form is the stable lower-case string, not the Java name. */
public enum IncidentStatus {
    @JsonProperty("open") OPEN,
    @JsonProperty("update") UPDATE,
    @JsonProperty("resolved") RESOLVED;
}
