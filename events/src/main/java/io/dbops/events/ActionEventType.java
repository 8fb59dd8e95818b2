package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an action event reports: a run state change, a step state change or one log line. Its JSON form is the stable lower-case string, not the Java name. */
public enum ActionEventType {
    @JsonProperty("run") RUN,
    @JsonProperty("step") STEP,
    @JsonProperty("log") LOG;
}
