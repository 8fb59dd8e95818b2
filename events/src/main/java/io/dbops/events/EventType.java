package io.dbops.events;

/**
 * Every event type on the wire, with the record that carries it and the newest schema version this
 * code writes and reads. Bump {@code schema} together with a change to the record and keep a
 * document of the old version under the tests so old producers stay readable.
 */
public enum EventType {
    METRIC_SAMPLE("metric-sample", MetricSample.class, MetricSample.SCHEMA),
    SLOW_QUERY("slow-query", SlowQuery.class, SlowQuery.SCHEMA),
    BINLOG_CHANGE("binlog-change", BinlogChange.class, BinlogChange.SCHEMA),
    SLOW_SQL_DIGEST("slow-sql-digest", SlowSqlDigest.class, SlowSqlDigest.SCHEMA),
    ALARM("alarm", Alarm.class, Alarm.SCHEMA),
    INCIDENT("incident", Incident.class, Incident.SCHEMA),
    ACTION_REQUEST("action-request", ActionRequest.class, ActionRequest.SCHEMA),
    ACTION_EVENT("action-event", ActionEvent.class, ActionEvent.SCHEMA),
    TOPOLOGY_CHANGE("topology-change", TopologyChange.class, TopologyChange.SCHEMA),
    RULE_UPDATE("rule-update", RuleUpdate.class, RuleUpdate.SCHEMA),
    DEAD_LETTER("dead-letter", DeadLetter.class, DeadLetter.SCHEMA);

    private final String id;
    private final Class<? extends Event> recordType;
    private final int schema;

    EventType(String id, Class<? extends Event> recordType, int schema) {
        this.id = id;
        this.recordType = recordType;
        this.schema = schema;
    }

    /** Stable name, used for the JSON Schema file name ({@code ID.schema.json}). */
    public String id() {
        return id;
    }

    public Class<? extends Event> recordType() {
        return recordType;
    }

    /** Newest schema version written and read by this code. */
    public int schema() {
        return schema;
    }

    public static EventType of(Class<?> recordType) {
        for (EventType t : values()) {
            if (t.recordType == recordType) {
                return t;
            }
        }
        throw new IllegalArgumentException(recordType.getName() + " is not a dbops event type");
    }
}
