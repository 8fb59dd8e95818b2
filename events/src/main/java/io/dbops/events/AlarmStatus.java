package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether an alarm is firing or has resolved. Its JSON form is the stable lower-case string, not the Java name. */
public enum AlarmStatus {
    @JsonProperty("firing") FIRING,
    @JsonProperty("resolved") RESOLVED;
}
