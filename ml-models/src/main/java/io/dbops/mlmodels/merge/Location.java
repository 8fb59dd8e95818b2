package io.dbops.mlmodels.merge;

/**
 * Where an alarm sits in the topology; any part may be unknown (null). Host-level alarms have a
 * host and no instance; {@code known} is false when the topology did not know the subject.
 *
 * <p>{@code index} holds the topology's small-integer codes of the cluster, host, rack, dc and
 * business line, stamped with the topology's version: comparing codes is what makes the distance
 * cheap enough for a storm. A location from another topology version (before a refresh) is
 * compared by its names instead.
 */
public record Location(String instance, String cluster, String host, String rack, String dc, String business, String role,
                       boolean known, Index index) implements java.io.Serializable {

    /** Codes of the parts within one topology version; -1 for unknown parts. */
    public record Index(long version, int cluster, int host, int rack, int dc, int business) implements java.io.Serializable {
        static final Index NONE = new Index(-1, -1, -1, -1, -1, -1);
    }

    public Location(String instance, String cluster, String host, String rack, String dc, String business, String role, boolean known) {
        this(instance, cluster, host, rack, dc, business, role, known, Index.NONE);
    }
}
