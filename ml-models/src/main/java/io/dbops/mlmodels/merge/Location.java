package io.dbops.mlmodels.merge;

/**
 * Where an alarm sits in the topology; any part may be unknown (null). Host-level alarms have a
 * host and no instance; {@code known} is false when the topology did not know the subject.
 */
public record Location(String instance, String cluster, String host, String rack, String dc, String business, String role,
                       boolean known) implements java.io.Serializable {
}
