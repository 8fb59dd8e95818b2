package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How urgent an alarm or incident is. Its JSON form is the stable lower-case string, not the Java name. */
public enum Severity {
    @JsonProperty("info") INFO,
    @JsonProperty("warning") WARNING,
    @JsonProperty("critical") CRITICAL;
}
