package io.dbops.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/** Everything known about one fingerprint: counts, per-attribute aggregates and its worst example. */
public final class QueryClass {
    final String fingerprint;
    /** Computed when first asked for: a digest makes classes on every thread, and reports only some. */
    private String queryId;
    long count;
    final Map<String, AttributeStats> attributes = new LinkedHashMap<>();
    /** The same aggregates by the digest's attribute slot, for adding without a lookup by name. */
    private AttributeStats[] bySlot = new AttributeStats[16];
    SlowLogEntry example;
    double exampleQueryTime = Double.NEGATIVE_INFINITY;
    String tsMin;
    String tsMax;

    QueryClass(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    /** This class's aggregate of a slot's attribute, created (and listed by name) on first use. */
    AttributeStats stats(Digest.Slot slot) {
        if (slot.index >= bySlot.length) {
            bySlot = java.util.Arrays.copyOf(bySlot, Math.max(slot.index + 1, bySlot.length * 2));
        }
        AttributeStats s = bySlot[slot.index];
        if (s == null) {
            s = AttributeStats.of(slot.type);
            bySlot[slot.index] = s;
            attributes.put(slot.name, s);
        }
        return s;
    }

    /** Rebuilds the by-slot table from the by-name one (after a merge from another digest). */
    void reindex(Map<String, Digest.Slot> slots) {
        bySlot = new AttributeStats[Math.max(16, slots.size())];
        attributes.forEach((name, s) -> bySlot[slots.get(name).index] = s);
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String queryId() {
        if (queryId == null) {
            queryId = Fingerprinter.queryId(fingerprint);
        }
        return queryId;
    }

    public long count() {
        return count;
    }

    public SlowLogEntry example() {
        return example;
    }

    /** Sum of a numeric attribute over the class, 0 when absent. */
    public double sum(String attribute) {
        return attributes.get(attribute) instanceof AttributeStats.Numeric n ? n.sum : 0;
    }
}
