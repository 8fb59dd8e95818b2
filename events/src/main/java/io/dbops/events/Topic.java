package io.dbops.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The topic catalog: every topic dbops writes, what its key is, and the defaults whoever creates
 * topics (the local stack, a deployment script) must use. Replication is the deployment's choice
 * (1 locally, 3 on a cluster) and is not part of the catalog.
 */
public enum Topic {
    METRICS("dbops.metrics", EventType.METRIC_SAMPLE, "instance id", 12, Duration.ofDays(3), Cleanup.DELETE),
    SLOWLOG("dbops.slowlog", EventType.SLOW_QUERY, "instance id", 6, Duration.ofDays(7), Cleanup.DELETE),
    BINLOG("dbops.binlog", EventType.BINLOG_CHANGE, "replication set (instance id when standalone) + '/' + database.table", 12, Duration.ofDays(7), Cleanup.DELETE),
    SLOWSQL_STATS("dbops.slowsql.stats", EventType.SLOW_SQL_DIGEST, "instance id", 6, Duration.ofDays(30), Cleanup.DELETE),
    ALARMS("dbops.alarms", EventType.ALARM, "instance id (host for host-level alarms)", 6, Duration.ofDays(30), Cleanup.DELETE),
    INCIDENTS("dbops.incidents", EventType.INCIDENT, "incident id", 3, Duration.ofDays(90), Cleanup.COMPACT_DELETE),
    ACTION_REQUESTS("dbops.actions.requests", EventType.ACTION_REQUEST, "request id", 3, Duration.ofDays(30), Cleanup.DELETE),
    ACTION_EVENTS("dbops.actions.events", EventType.ACTION_EVENT, "run id", 6, Duration.ofDays(30), Cleanup.DELETE),
    TOPOLOGY("dbops.topology", EventType.TOPOLOGY_CHANGE, "cluster", 3, null, Cleanup.COMPACT),
    RULES("dbops.rules", EventType.RULE_UPDATE, "rule pack name", 1, null, Cleanup.COMPACT),
    DEADLETTER("dbops.deadletter", EventType.DEAD_LETTER, "source key, or none", 3, Duration.ofDays(14), Cleanup.DELETE);

    /** Kafka cleanup.policy values. */
    public enum Cleanup {
        DELETE("delete"),
        COMPACT("compact"),
        COMPACT_DELETE("compact,delete");

        private final String policy;

        Cleanup(String policy) {
            this.policy = policy;
        }

        public String policy() {
            return policy;
        }
    }

    private final String topicName;
    private final EventType eventType;
    private final String key;
    private final int partitions;
    private final Duration retention;
    private final Cleanup cleanup;

    Topic(String topicName, EventType eventType, String key, int partitions, Duration retention, Cleanup cleanup) {
        this.topicName = topicName;
        this.eventType = eventType;
        this.key = key;
        this.partitions = partitions;
        this.retention = retention;
        this.cleanup = cleanup;
    }

    public String topicName() {
        return topicName;
    }

    public EventType eventType() {
        return eventType;
    }

    /** What the record key is, in words, for the docs and for producers. */
    public String key() {
        return key;
    }

    public int partitions() {
        return partitions;
    }

    /** Retention, or null to keep forever (compacted topics). */
    public Duration retention() {
        return retention;
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    /** Topic-level configs to create the topic with. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanup.policy());
        configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        return configs;
    }

    public static Topic byName(String topicName) {
        for (Topic t : values()) {
            if (t.topicName.equals(topicName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic " + topicName);
    }
}
