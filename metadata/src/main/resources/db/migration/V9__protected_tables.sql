-- Tables DBAs protect (docs/binlog.md): any write to a matching table raises a critical alarm from
-- the binlog job. Patterns use * and ?; a row names a replication set, an instance, or neither (all).

CREATE TABLE protected_tables (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    cluster       VARCHAR(128) NULL,
    instance      VARCHAR(128) NULL,
    db_pattern    VARCHAR(128) NOT NULL,
    table_pattern VARCHAR(128) NOT NULL,
    reason        VARCHAR(255) NULL,
    created_by    VARCHAR(128) NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_protected_tables UNIQUE (cluster, instance, db_pattern, table_pattern)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
