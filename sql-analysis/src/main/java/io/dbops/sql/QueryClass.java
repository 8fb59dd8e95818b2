package io.dbops.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/** Everything known about one fingerprint: counts, per-attribute aggregates and its worst example. */
public final class QueryClass {
    final String fingerprint;
    final String queryId;
    long count;
    final Map<String, AttributeStats> attributes = new LinkedHashMap<>();
    SlowLogEntry example;
    double exampleQueryTime = Double.NEGATIVE_INFINITY;
    String tsMin;
    String tsMax;

    QueryClass(String fingerprint) {
        this.fingerprint = fingerprint;
        this.queryId = Fingerprinter.queryId(fingerprint);
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String queryId() {
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
