package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Distribution summary of one attribute over a window, in the shape pt-query-digest reports. */
@JsonClassDescription("Distribution of one attribute over a window: sum, min, max, average and 95th percentile.")
public record Stats(
        @JsonProperty(required = true) @JsonPropertyDescription("Sum over the window.")
        double sum,
        @JsonProperty(required = true) @JsonPropertyDescription("Smallest value.")
        double min,
        @JsonProperty(required = true) @JsonPropertyDescription("Largest value.")
        double max,
        @JsonProperty(required = true) @JsonPropertyDescription("Mean value.")
        double avg,
        @JsonProperty(required = true) @JsonPropertyDescription("95th percentile.")
        double p95) {
}
