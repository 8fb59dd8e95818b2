package io.dbops.actions.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupSchedulerTest {
    static InventoryInstance i(String id, Engine e, String cluster, String role, String bl, String status) {
        return new InventoryInstance(id, e, cluster, "h", 1, role, bl, null, status, null, true);
    }

    static final List<InventoryInstance> FLEET = List.of(
            i("m1", Engine.MARIADB, "shop-db", "primary", "shop", "active"),
            i("m2", Engine.MARIADB, "shop-db", "replica", "shop", "active"),
            i("m3", Engine.MARIADB, "shop-db", "replica", "shop", "fenced"),
            i("r1", Engine.REDIS, "shop-cache", "primary", "shop", "active"),
            i("s1", Engine.REDIS, "shop-cache", "sentinel", "shop", "active"),
            i("g1", Engine.MONGO, "shop-docs", "primary", "shop", "active"),
            i("x1", Engine.MARIADB, "ads-db", "primary", "ads", "active"));

    @Test
    void aBusinessLineScheduleBacksUpOneMemberOfEachClusterPreferringAReplica() {
        var s = new BackupCatalog.Schedule(7, null, "shop", "0 2 * * *", "physical", "14d");
        var due = BackupScheduler.due(List.of(s), FLEET, Instant.parse("2026-11-25T01:59:00Z"), Instant.parse("2026-11-25T02:00:30Z"));
        assertThat(due).extracting(d -> d.target().id()).containsExactly("m2", "r1");
        assertThat(due.get(0).playbook()).isEqualTo(MariaDbBackup.NAME);
        assertThat(due.get(0).params()).containsEntry("kind", "physical").containsEntry("retention", "14d");
        assertThat(due.get(1).playbook()).isEqualTo(RedisBackup.NAME);
        assertThat(due.get(1).params()).doesNotContainKey("kind");
        assertThat(due.get(0).dedupeKey()).isEqualTo("schedule:7:m2:2026-11-25T02:00:00Z");
    }

    @Test
    void everyFiringInTheWindowOnceAndNothingOutsideIt() {
        var s = new BackupCatalog.Schedule(1, "x1", null, "*/20 * * * *", "logical", "7d");
        assertThat(BackupScheduler.due(List.of(s), FLEET, Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")))
                .extracting(BackupScheduler.Due::fireTime)
                .containsExactly(Instant.parse("2026-11-25T10:20:00Z"), Instant.parse("2026-11-25T10:40:00Z"), Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(BackupScheduler.due(List.of(s), FLEET, Instant.parse("2026-11-25T10:01:00Z"), Instant.parse("2026-11-25T10:19:59Z"))).isEmpty();
        var broken = new BackupCatalog.Schedule(2, "x1", null, "every day", "logical", "7d");
        assertThat(BackupScheduler.due(List.of(broken), FLEET, Instant.EPOCH, Instant.parse("2026-11-25T11:00:00Z"))).isEmpty();
    }
}
