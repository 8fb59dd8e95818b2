-- The action service's durable runs. A run and each of its steps are written before and after they
-- execute, so a run interrupted by a crash resumes at its first incomplete step on any worker, and
-- completed steps are never executed again. Workers hold a lease on the runs they execute.

CREATE TABLE action_runs (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    playbook      VARCHAR(64)  NOT NULL,
    -- one run per (incident, playbook) or per request: a redelivered trigger finds its run here
    dedupe_key    VARCHAR(255) NOT NULL,
    request_id    VARCHAR(128) NULL,
    incident_id   VARCHAR(128) NULL,
    cluster       VARCHAR(128) NULL,
    target        VARCHAR(128) NULL,
    business_line VARCHAR(64)  NULL,
    requested_by  VARCHAR(128) NOT NULL,
    policy        VARCHAR(16)  NOT NULL,
    dry_run       BOOLEAN      NOT NULL DEFAULT FALSE,
    params        TEXT         NOT NULL,
    -- what earlier steps decided (e.g. the chosen replica), saved with the step that decided it
    facts         TEXT         NOT NULL,
    state         VARCHAR(24)  NOT NULL,
    message       TEXT         NULL,
    approved_by   VARCHAR(128) NULL,
    approved_at   TIMESTAMP(3) NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    started_at    TIMESTAMP(3) NULL,
    ended_at      TIMESTAMP(3) NULL,
    lease_owner   VARCHAR(128) NULL,
    lease_until   TIMESTAMP(3) NULL,
    next_seq      BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT uq_action_runs_dedupe UNIQUE (dedupe_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_action_runs_state ON action_runs (state, lease_until);
CREATE INDEX ix_action_runs_cluster ON action_runs (cluster, playbook, created_at);

CREATE TABLE action_steps (
    run_id        VARCHAR(64)  NOT NULL,
    idx           INT          NOT NULL,
    name          VARCHAR(128) NOT NULL,
    state         VARCHAR(24)  NOT NULL,
    attempts      INT          NOT NULL DEFAULT 0,
    -- what undoes this step, registered before it executes
    compensation  TEXT         NULL,
    output        MEDIUMTEXT   NULL,
    error         TEXT         NULL,
    started_at    TIMESTAMP(3) NULL,
    ended_at      TIMESTAMP(3) NULL,
    PRIMARY KEY (run_id, idx),
    CONSTRAINT fk_action_steps_run FOREIGN KEY (run_id) REFERENCES action_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every event of a run (state changes and log lines), as published to dbops.actions.events.
CREATE TABLE action_log (
    run_id        VARCHAR(64)  NOT NULL,
    seq           BIGINT       NOT NULL,
    time          TIMESTAMP(3) NOT NULL,
    type          VARCHAR(8)   NOT NULL,
    step_idx      INT          NULL,
    step          VARCHAR(128) NULL,
    stream        VARCHAR(8)   NULL,
    state         VARCHAR(24)  NULL,
    message       TEXT         NULL,
    PRIMARY KEY (run_id, seq),
    CONSTRAINT fk_action_log_run FOREIGN KEY (run_id) REFERENCES action_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Anti-flapping blocks: after a failover of a cluster, a second one is refused until the block
-- expires or a DBA lifts it (./dbops actions unblock CLUSTER).
CREATE TABLE action_blocks (
    cluster       VARCHAR(128) NOT NULL PRIMARY KEY,
    playbook      VARCHAR(64)  NOT NULL,
    run_id        VARCHAR(64)  NOT NULL,
    blocked_until TIMESTAMP(3) NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Refusals by the guards (flap block, rate limit, maintenance, kill switch), for the audit trail.
CREATE TABLE action_refusals (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    time          TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    playbook      VARCHAR(64)  NULL,
    cluster       VARCHAR(128) NULL,
    trigger_id    VARCHAR(128) NULL,
    reason        TEXT         NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Maintenance windows: no automation (auto or approval policy) on what they cover while they last.
-- A row covers an instance, a cluster or a business line (the others NULL), or everything (all NULL).
CREATE TABLE maintenance_windows (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    instance      VARCHAR(128) NULL,
    cluster       VARCHAR(128) NULL,
    business_line VARCHAR(64)  NULL,
    starts_at     TIMESTAMP(3) NOT NULL,
    ends_at       TIMESTAMP(3) NOT NULL,
    reason        VARCHAR(255) NOT NULL,
    created_by    VARCHAR(128) NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Switches of the action service, e.g. the global kill switch (kill_switch = 'on': no automation at all).
CREATE TABLE action_switches (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    value         VARCHAR(255) NOT NULL,
    updated_by    VARCHAR(128) NOT NULL,
    updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- People and their roles: developer (requests for their business lines), dba (everything, approves),
-- admin (users, rules, policies). business_lines is a comma-separated list (developers only).
CREATE TABLE users (
    name           VARCHAR(128) NOT NULL PRIMARY KEY,
    role           VARCHAR(16)  NOT NULL,
    business_lines VARCHAR(1024) NULL,
    created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT ck_users_role CHECK (role IN ('developer', 'dba', 'admin'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- An instance taken out of its replication set by a failover while unreachable: it must not
-- rejoin before the rejoin playbook has checked it for errant transactions.
ALTER TABLE instances DROP CONSTRAINT ck_instances_status;
ALTER TABLE instances ADD CONSTRAINT ck_instances_status
    CHECK (status IN ('active', 'provisioning', 'maintenance', 'decommissioned', 'fenced'));
