package io.dbops.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One fully populated example of every event type, as a producer would write it. */
final class EventSamples {
    static final Instant T = Instant.parse("2026-11-25T10:02:03.123456Z");
    static final InstanceRef PRIMARY = new InstanceRef("mariadb-orders-1", Engine.MARIADB, "orders", "db-host-07", 3306, "trade");
    static final InstanceRef REPLICA = new InstanceRef("mariadb-orders-2", Engine.MARIADB, "orders", "db-host-11", 3306, "trade");

    private EventSamples() {
    }

    static Event of(EventType type) {
        return switch (type) {
            case METRIC_SAMPLE -> {
                Map<String, Double> fields = new LinkedHashMap<>();
                fields.put("threads_running", 7.0);
                fields.put("seconds_behind_master", null);
                yield new MetricSample(1, T, REPLICA, "mysql_replication", Map.of("channel", "default"), fields, null);
            }
            case SLOW_QUERY -> new SlowQuery(1, T, PRIMARY, "SELECT * FROM orders WHERE id = 42",
                    "select * from orders where id = ?", "3A9E0E2C5C1B7B0D5E52E13C11A9A6F1", "shop", "app", "10.0.0.5",
                    1234L, 2.5, 0.0001, 1L, 1_000_000L, 0L, 512L, Map.of("Full_scan", "Yes"), "/var/log/mysql/slow.log:8812");
            case BINLOG_CHANGE -> new BinlogChange(1, T, PRIMARY, "0-1-9981", 2, 0, "shop", "orders", BinlogOp.UPDATE,
                    Map.of("id", 42, "state", "new"), Map.of("id", 42, "state", "paid"), null, null);
            case SLOW_SQL_DIGEST -> new SlowSqlDigest(1, T, T.minusSeconds(60), T, PRIMARY, "3A9E0E2C5C1B7B0D5E52E13C11A9A6F1",
                    "select * from orders where id = ?", "shop", 17, new Stats(30.5, 0.5, 4.0, 1.79, 3.9),
                    new Stats(0.001, 0.0, 0.0005, 0.00006, 0.0004), new Stats(17, 1, 1, 1, 1),
                    new Stats(17_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000),
                    "SELECT * FROM orders WHERE id = 42", T.minusSeconds(86_400));
            case ALARM -> new Alarm(1, T, "replication_io_stopped/mariadb-orders-2", AlarmStatus.FIRING, "replication_io_stopped",
                    Severity.CRITICAL, REPLICA, "db-host-11", "mysql.replication.io", "IO thread stopped on mariadb-orders-2",
                    0.0, 1.0, Map.of("rack", "r12", "dc", "bj1"), T, null);
            case INCIDENT -> new Incident(1, T, "inc-20261125-0007", IncidentStatus.OPEN, "replication", "orders lost its primary",
                    Severity.CRITICAL, "host_down/db-host-07", List.of("host_down/db-host-07", "replication_io_stopped/mariadb-orders-2"),
                    List.of(PRIMARY, REPLICA), List.of("db-host-07", "db-host-11"), List.of("trade"), Map.of("threshold", "0.6"),
                    T, null);
            case ACTION_REQUEST -> new ActionRequest(1, T, "req-991", "backup", "alice", "trade", PRIMARY, "orders", null,
                    "mariadb-backup", Map.of("retention_days", "7"), true, "before schema change");
            case ACTION_EVENT -> new ActionEvent(1, T, "run-55", 12, ActionEventType.LOG, "mariadb-failover", "req-991",
                    "inc-20261125-0007", null, "promote", 2, "stdout", "promoting mariadb-orders-2 at GTID 0-1-9981");
            case TOPOLOGY_CHANGE -> new TopologyChange(1, T, "orders", Engine.MARIADB, "failover", REPLICA, PRIMARY,
                    List.of(), "0-1-9981", "run-55", "primary db-host-07 unreachable, replicas lost IO thread");
            case RULE_UPDATE -> new RuleUpdate(1, T, "default", "pack: default\nrules: []\n", "alice");
            case DEAD_LETTER -> new DeadLetter(1, T, "flink-jobs/slowsql", "dbops.slowlog", 3, 1_288L, "mariadb-orders-1",
                    "slow-query document: field 'time': missing required field",
                    "{\"schema\":1}".getBytes(StandardCharsets.UTF_8));
        };
    }
}
