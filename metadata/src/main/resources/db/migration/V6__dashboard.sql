-- The dashboard: sign-in, API tokens, the audit trail, slow-SQL history for its pages, and what
-- DBAs do to alarms (acknowledge an incident, silence alarms).

-- Salted slow hashes only (PBKDF2-HMAC-SHA256, iterations in the value); NULL = cannot sign in.
ALTER TABLE users ADD COLUMN password_hash VARCHAR(255) NULL;
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

-- API tokens: only the SHA-256 of the token is kept; the token is shown once when created.
CREATE TABLE api_tokens (
    token_sha256  CHAR(64)     NOT NULL PRIMARY KEY,
    user_name     VARCHAR(128) NOT NULL,
    label         VARCHAR(128) NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    last_used_at  TIMESTAMP(3) NULL,
    CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_name) REFERENCES users (name) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every request, approval, rule or user change and manual action taken through the dashboard or its API.
CREATE TABLE audit_log (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    time          TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    user_name     VARCHAR(128) NOT NULL,
    action        VARCHAR(64)  NOT NULL,
    target        VARCHAR(255) NULL,
    business_line VARCHAR(64)  NULL,
    detail        TEXT         NULL,
    remote        VARCHAR(64)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_audit_log_time ON audit_log (time);

-- Slow-SQL digests per instance window (from dbops.slowsql.stats), kept for the slow-SQL pages.
-- Written idempotently: a digest delivered twice overwrites its own row.
CREATE TABLE slow_sql_windows (
    instance          VARCHAR(128) NOT NULL,
    query_id          VARCHAR(32)  NOT NULL,
    window_start      TIMESTAMP(3) NOT NULL,
    window_end        TIMESTAMP(3) NOT NULL,
    cluster           VARCHAR(128) NULL,
    business_line     VARCHAR(64)  NULL,
    calls             BIGINT       NOT NULL,
    time_sum          DOUBLE       NOT NULL,
    time_max          DOUBLE       NOT NULL,
    time_p95          DOUBLE       NOT NULL,
    lock_sum          DOUBLE       NULL,
    rows_sent_sum     DOUBLE       NULL,
    rows_examined_sum DOUBLE       NULL,
    PRIMARY KEY (instance, query_id, window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_slow_sql_windows_time ON slow_sql_windows (window_start);
CREATE INDEX ix_slow_sql_windows_query ON slow_sql_windows (query_id, window_start);

CREATE TABLE slow_sql_classes (
    query_id      VARCHAR(32)  NOT NULL PRIMARY KEY,
    fingerprint   MEDIUMTEXT   NOT NULL,
    db            VARCHAR(128) NULL,
    example       MEDIUMTEXT   NULL,
    explain_json  MEDIUMTEXT   NULL,
    first_seen    TIMESTAMP(3) NOT NULL,
    last_seen     TIMESTAMP(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A DBA's acknowledgement of an incident (who is on it).
CREATE TABLE incident_acks (
    incident_id   VARCHAR(128) NOT NULL PRIMARY KEY,
    user_name     VARCHAR(128) NOT NULL,
    note          VARCHAR(512) NULL,
    acked_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Silences: alarms matching (instance, cluster, alarm type; NULL = any) are shown muted until ends_at.
CREATE TABLE silences (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    instance      VARCHAR(128) NULL,
    cluster       VARCHAR(128) NULL,
    alarm_type    VARCHAR(128) NULL,
    business_line VARCHAR(64)  NULL,
    starts_at     TIMESTAMP(3) NOT NULL,
    ends_at       TIMESTAMP(3) NOT NULL,
    reason        VARCHAR(255) NOT NULL,
    created_by    VARCHAR(128) NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
