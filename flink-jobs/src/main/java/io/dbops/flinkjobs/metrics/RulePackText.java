package io.dbops.flinkjobs.metrics;

/** A rule pack version as it travels on the broadcast side: its name and YAML (empty removes it). */
public record RulePackText(String pack, String yaml) {
}
