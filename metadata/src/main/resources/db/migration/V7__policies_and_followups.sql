-- Playbook policies edited by admins in the dashboard: the remediation rules (YAML) the action
-- service applies, replacing its file or built-in default while a row exists. The service reloads
-- a changed row within seconds; the dashboard checks the YAML before it is saved.
CREATE TABLE action_policies (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    yaml          MEDIUMTEXT   NOT NULL,
    updated_by    VARCHAR(128) NOT NULL,
    updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Self-service requests that wait for another one: the replicas of a new set (and, for MariaDB,
-- the backup they are seeded from) are filed once the run of the request before them succeeded,
-- by whoever approved that run; cancelled when it ends otherwise.
CREATE TABLE request_followups (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    after_request VARCHAR(128) NOT NULL,
    request_id    VARCHAR(128) NOT NULL,
    request_json  MEDIUMTEXT   NOT NULL,
    state         VARCHAR(16)  NOT NULL DEFAULT 'waiting',
    detail        VARCHAR(512) NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    filed_at      TIMESTAMP(3) NULL,
    CONSTRAINT uq_request_followups_request UNIQUE (request_id),
    CONSTRAINT ck_request_followups_state CHECK (state IN ('waiting', 'filed', 'cancelled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_request_followups_state ON request_followups (state, after_request);
