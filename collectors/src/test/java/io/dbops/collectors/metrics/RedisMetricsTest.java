package io.dbops.collectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisMetricsTest {
    static final String INFO = String.join("\r\n",
            "# Server", "redis_version:7.0.15", "uptime_in_seconds:3600",
            "# Clients", "connected_clients:12", "blocked_clients:0",
            "# Memory", "used_memory:1048576", "used_memory_human:1.00M", "maxmemory:2097152", "mem_fragmentation_ratio:1.25",
            "# Persistence", "rdb_last_bgsave_status:ok", "aof_last_write_status:err",
            "# Stats", "total_commands_processed:5000", "evicted_keys:3", "rejected_connections:0",
            "# Replication", "role:slave", "master_host:127.0.0.1", "master_link_status:down", "master_last_io_seconds_ago:-1",
            "slave0:ip=127.0.0.1,port=6380,state=online,offset=1,lag=0",
            "# Commandstats", "cmdstat_get:calls=10,usec=20,usec_per_call=2.00",
            "# Keyspace", "db0:keys=120,expires=7,avg_ttl=3000", "db3:keys=1,expires=0,avg_ttl=0", "");

    @Test
    void infoBecomesNumbersWithTheStatesRulesNeed() {
        RedisMetrics.Info i = RedisMetrics.info(INFO);
        assertThat(i.role()).isEqualTo("slave");
        assertThat(i.fields()).containsEntry("used_memory", 1048576.0).containsEntry("maxmemory", 2097152.0)
                .containsEntry("mem_fragmentation_ratio", 1.25).containsEntry("role_master", 0.0).containsEntry("master_link_up", 0.0)
                .containsEntry("rdb_last_bgsave_ok", 1.0).containsEntry("aof_last_write_ok", 0.0)
                .containsEntry("master_last_io_seconds_ago", -1.0).containsEntry("evicted_keys", 3.0)
                .doesNotContainKeys("used_memory_human", "redis_version", "master_host", "slave0", "cmdstat_get");
        assertThat(i.keyspace()).containsOnlyKeys("db0", "db3");
        assertThat(i.keyspace().get("db0")).containsEntry("keys", 120.0).containsEntry("expires", 7.0).containsEntry("avg_ttl", 3000.0);
    }

    @Test
    void latencyReportsOnlyRecentSpikesAsRecent() {
        var f = RedisMetrics.latency(List.of(new RedisMetrics.LatencyEvent("command", 1_000, 250, 900),
                new RedisMetrics.LatencyEvent("fast-command", 1_100, 120, 120)), 1_130, 60);
        assertThat(f).containsEntry("command_latest_ms", 250.0).containsEntry("fast_command_max_ms", 120.0)
                .containsEntry("recent_max_ms", 120.0).containsEntry("events", 2.0);
        assertThat(RedisMetrics.latency(List.of(), 0, 60)).containsEntry("recent_max_ms", 0.0);
    }

    @Test
    void sentinelViewOfAMaster() {
        RedisMetrics.SentinelMaster s = RedisMetrics.sentinelMaster(Map.of("name", "demo", "ip", "127.0.0.1", "port", "16380",
                "flags", "master,s_down", "num-slaves", "1", "num-other-sentinels", "2", "quorum", "2", "config-epoch", "3"));
        assertThat(s.fields()).containsEntry("s_down", 1.0).containsEntry("o_down", 0.0).containsEntry("num_slaves", 1.0)
                .containsEntry("num_other_sentinels", 2.0).containsEntry("config_epoch", 3.0).containsEntry("master_port", 16380.0);
        assertThat(s.tags()).containsEntry("master", "demo").containsEntry("master_addr", "127.0.0.1:16380");
    }
}
