package io.dbops.collectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MongoMetricsTest {

    @Test
    void replicaSetLagIsMeasuredAgainstThePrimaryAndUnknownWithoutOne() {
        Map<String, Object> status = Map.of("set", "rs0", "myState", 2, "members", List.of(
                Map.of("name", "a:27017", "health", 1, "stateStr", "PRIMARY", "optimeDate", new Date(100_000)),
                Map.of("name", "b:27017", "health", 1, "stateStr", "SECONDARY", "optimeDate", new Date(88_000), "self", true),
                Map.of("name", "c:27017", "health", 0, "stateStr", "(not reachable/healthy)")));
        MongoMetrics.Repl r = MongoMetrics.replSetStatus(status);
        assertThat(r.fields()).containsEntry("my_state", 2.0).containsEntry("members", 3.0).containsEntry("healthy_members", 2.0)
                .containsEntry("has_primary", 1.0).containsEntry("lag_seconds", 12.0);
        assertThat(r.tags()).containsEntry("set", "rs0");
        MongoMetrics.Repl none = MongoMetrics.replSetStatus(Map.of("myState", 2, "members", List.of(
                Map.of("health", 1, "stateStr", "SECONDARY", "optimeDate", new Date(1), "self", true))));
        assertThat(none.fields()).containsEntry("has_primary", 0.0).containsKey("lag_seconds");
        assertThat(none.fields().get("lag_seconds")).isNull();
    }

    @Test
    void serverStatusFieldsAreFlattened() {
        Map<String, Object> s = Map.of("uptime", 10.0, "opcounters", Map.of("insert", 5L, "query", 7L),
                "connections", Map.of("current", 3, "available", 800),
                "wiredTiger", Map.of("cache", Map.of("bytes currently in the cache", 900L, "maximum bytes configured", 1000L,
                        "tracked dirty bytes in the cache", 100L)),
                "repl", Map.of("ismaster", true, "secondary", false));
        assertThat(MongoMetrics.serverStatus(s)).containsEntry("opcounters_insert", 5.0).containsEntry("connections_current", 3.0)
                .containsEntry("wt_cache_used_bytes", 900.0).containsEntry("wt_cache_max_bytes", 1000.0)
                .containsEntry("wt_cache_dirty_bytes", 100.0).containsEntry("is_primary", 1.0).containsEntry("is_secondary", 0.0);
    }

    @Test
    void currentOpFindsTheLongestActiveOperation() {
        MongoMetrics.CurrentOp c = MongoMetrics.currentOp(Map.of("inprog", List.of(
                Map.of("active", true, "op", "query", "ns", "shop.orders", "secs_running", 40, "opid", 11),
                Map.of("active", true, "op", "update", "ns", "shop.users", "secs_running", 3, "opid", 12),
                Map.of("active", false, "op", "query", "ns", "x.y", "secs_running", 999))));
        assertThat(c.fields()).containsEntry("active_ops", 2.0).containsEntry("longest_op_seconds", 40.0);
        assertThat(c.tags()).containsEntry("info.longest_ns", "shop.orders").containsEntry("info.longest_opid", "11");
    }
}
