-- The backup catalog: every backup taken by the action service, where it is, what it holds and
-- whether a restore of it was verified.
CREATE TABLE backups (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    instance       VARCHAR(128) NOT NULL,
    cluster        VARCHAR(128) NULL,
    engine         VARCHAR(16)  NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    path           VARCHAR(1024) NOT NULL,
    size_bytes     BIGINT       NOT NULL,
    duration_ms    BIGINT       NOT NULL,
    checksum       VARCHAR(80)  NOT NULL,
    -- GTID position (MariaDB) or replication offset (Redis) the backup is consistent with
    position       VARCHAR(1024) NULL,
    run_id         VARCHAR(64)  NOT NULL,
    started_at     TIMESTAMP(3) NOT NULL,
    finished_at    TIMESTAMP(3) NOT NULL,
    expires_at     TIMESTAMP(3) NOT NULL,
    deleted_at     TIMESTAMP(3) NULL,
    verified       VARCHAR(8)   NULL,
    verified_at    TIMESTAMP(3) NULL,
    verify_detail  TEXT         NULL,
    CONSTRAINT ck_backups_kind CHECK (kind IN ('logical', 'physical', 'rdb')),
    CONSTRAINT ck_backups_verified CHECK (verified IS NULL OR verified IN ('pass', 'fail'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_backups_instance ON backups (instance, finished_at);

-- Scheduled backups: a cron expression (minute hour day-of-month month day-of-week, UTC) for an
-- instance or for every MySQL/MariaDB/Redis primary of a business line.
CREATE TABLE backup_schedules (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    instance       VARCHAR(128) NULL,
    business_line  VARCHAR(64)  NULL,
    cron           VARCHAR(128) NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    retention      VARCHAR(16)  NOT NULL,
    created_by     VARCHAR(128) NOT NULL,
    created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT ck_backup_schedules_scope CHECK (instance IS NOT NULL OR business_line IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Run events are published from the run log (an outbox): a row is marked once the broker
-- acknowledged it, and rows left unmarked by a crash are published again at start-up (consumers
-- dedupe by run id and seq).
ALTER TABLE action_log ADD COLUMN published BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX ix_action_log_unpublished ON action_log (published, time);
