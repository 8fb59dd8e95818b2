-- Server selection (docs/placement.md): every provisioning decision with the features each
-- candidate had at that moment, so the ranker can be retrained from what DBAs actually chose, and
-- the capacity figures the features are computed from.

CREATE TABLE placement_decisions (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- the request (the run id for provisioning runs): a retried step records its decision once
    request_id    VARCHAR(128) NOT NULL,
    -- the instance placed; NULL for imported history
    instance      VARCHAR(128) NULL,
    engine        VARCHAR(16)  NOT NULL,
    business_line VARCHAR(64)  NOT NULL,
    chosen        VARCHAR(128) NOT NULL,
    -- model, heuristic, dba (a DBA named the server: an override, a labelled decision) or imported
    chosen_by     VARCHAR(16)  NOT NULL,
    -- what the model (or the heuristic) proposed, and which model
    proposed      VARCHAR(128) NULL,
    model_version VARCHAR(128) NULL,
    -- the request and the candidates as the history's JSON
    request       TEXT         NOT NULL,
    candidates    MEDIUMTEXT   NOT NULL,
    -- incidents on the instance within 30 days of the decision, counted as they open
    incidents_30d INT          NOT NULL DEFAULT 0,
    decided_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_placement_request UNIQUE (request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_placement_instance ON placement_decisions (instance, decided_at);

-- what an instance was given (NULL: the engine's default), so a server's free memory and disk can
-- be worked out from the inventory
ALTER TABLE instances ADD COLUMN memory_gb DOUBLE NULL, ADD COLUMN disk_gb DOUBLE NULL;
