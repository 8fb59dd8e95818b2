package io.dbops.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    private static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "c1", "h1", 3306, "pay");
    private static final InstanceRef REDIS = new InstanceRef("r-1", Engine.REDIS, "c2", "h1", 6379, "pay");

    private static MetricSample sample(InstanceRef i, long second, String measurement, Object... kv) {
        Map<String, Double> f = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            f.put((String) kv[k], kv[k + 1] == null ? null : ((Number) kv[k + 1]).doubleValue());
        }
        return new MetricSample(MetricSample.SCHEMA, Instant.ofEpochSecond(1_800_000_000L + second), i, measurement, null, f,
                measurement.equals("up") && f.get("up") == 0.0 ? "connection refused" : null);
    }

    @Test
    void queryRateComesFromTheCounterAndARestartGivesNoRate() {
        FleetView v = new FleetView();
        assertThat(v.apply(sample(DB, 0, "mysql_status", "questions", 1000, "threads_connected", 5, "threads_running", 2)).qps()).isNull();
        assertThat(v.apply(sample(DB, 10, "mysql_status", "questions", 1500, "threads_connected", 6, "threads_running", 3)).qps()).isEqualTo(50.0);
        FleetView.Row afterRestart = v.apply(sample(DB, 20, "mysql_status", "questions", 10, "threads_connected", 1, "threads_running", 1));
        assertThat(afterRestart.qps()).isNull();
        assertThat(afterRestart.connections()).isEqualTo(1.0);
        assertThat(v.apply(sample(DB, 30, "mysql_status", "questions", 210)).qps()).isEqualTo(20.0);
    }

    @Test
    void aNullLagStaysNullAndDownCarriesTheError() {
        FleetView v = new FleetView();
        v.apply(sample(DB, 0, "mysql_replication", "seconds_behind_master", 7));
        assertThat(v.row("db-1").lagSeconds()).isEqualTo(7.0);
        v.apply(sample(DB, 10, "mysql_replication", "seconds_behind_master", null));
        assertThat(v.row("db-1").lagSeconds()).isNull();
        FleetView.Row down = v.apply(sample(DB, 11, "up", "up", 0));
        assertThat(down.up()).isFalse();
        assertThat(down.error()).isEqualTo("connection refused");
        assertThat(v.apply(sample(DB, 12, "up", "up", 1)).error()).isNull();
    }

    @Test
    void redisUsesItsOwnCountersAndUnknownMeasurementsChangeNothing() {
        FleetView v = new FleetView();
        v.apply(sample(REDIS, 0, "redis_info", "total_commands_processed", 100, "connected_clients", 3, "used_memory", 1e6, "role_master", 1));
        FleetView.Row r = v.apply(sample(REDIS, 2, "redis_info", "total_commands_processed", 300, "connected_clients", 4, "used_memory", 2e6,
                "role_master", 1));
        assertThat(r.qps()).isEqualTo(100.0);
        assertThat(r.memoryBytes()).isEqualTo(2e6);
        assertThat(r.lagSeconds()).isNull();
        assertThat(v.apply(sample(REDIS, 3, "redis_keyspace", "keys", 5))).isNull();
        assertThat(r.businessLine()).isEqualTo("pay");
    }

    @Test
    void chartPointsKeepOnlyTheLastTenMinutes() {
        FleetView v = new FleetView();
        for (int s = 0; s <= 1200; s += 10) {
            v.apply(sample(DB, s, "mysql_status", "questions", s * 10, "threads_connected", 1));
        }
        assertThat(v.points("db-1")).hasSize(61);
        assertThat(v.points("db-1").get(0).t()).isEqualTo((1_800_000_000L + 600) * 1000);
        assertThat(v.points("nope")).isEmpty();
    }
}
