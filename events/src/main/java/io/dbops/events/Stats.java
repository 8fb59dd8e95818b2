package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Distribution summary of one attribute over a window, in the shape pt-query-digest reports.
 * {@code p50} and {@code p99} were added after {@code p95} as optional fields (readers of the first
 * shape ignore them), so the schema version did not change.
 */
@JsonClassDescription("Distribution of one attribute over a window: sum, min, max, average and percentiles.")
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
        double p95,
        @JsonPropertyDescription("Median, when the producer keeps a distribution.")
        Double p50,
        @JsonPropertyDescription("99th percentile, when the producer keeps a distribution.")
        Double p99) {

    /** Sum, min, max, average and 95th percentile only. */
    public Stats(double sum, double min, double max, double avg, double p95) {
        this(sum, min, max, avg, p95, null, null);
    }
}
