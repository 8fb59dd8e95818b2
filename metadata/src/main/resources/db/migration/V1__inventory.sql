-- The fleet inventory: what collectors poll, what alarms and incidents are grouped by
-- (instance < cluster < server < rack < dc < business line), and what self-service provisions into.

CREATE TABLE business_lines (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    description VARCHAR(255) NULL,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE servers (
    name          VARCHAR(128) NOT NULL PRIMARY KEY,
    address       VARCHAR(255) NOT NULL,
    rack          VARCHAR(64)  NULL,
    dc            VARCHAR(64)  NULL,
    hardware      VARCHAR(64)  NULL,
    cpu_cores     INT          NULL,
    mem_total_gb  DOUBLE       NULL,
    disk_total_gb DOUBLE       NULL,
    maintenance   BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE clusters (
    name          VARCHAR(128) NOT NULL PRIMARY KEY,
    engine        VARCHAR(16)  NOT NULL,
    business_line VARCHAR(64)  NOT NULL,
    description   VARCHAR(255) NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT fk_clusters_business_line FOREIGN KEY (business_line) REFERENCES business_lines (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instances (
    id             VARCHAR(128) NOT NULL PRIMARY KEY,
    engine         VARCHAR(16)  NOT NULL,
    cluster        VARCHAR(128) NULL,
    server         VARCHAR(128) NOT NULL,
    port           INT          NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    business_line  VARCHAR(64)  NOT NULL,
    -- name of an entry in the secrets file, never the secret itself
    credential_ref VARCHAR(128) NULL,
    status         VARCHAR(16)  NOT NULL DEFAULT 'active',
    created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_instances_endpoint UNIQUE (server, port),
    CONSTRAINT fk_instances_cluster FOREIGN KEY (cluster) REFERENCES clusters (name),
    CONSTRAINT fk_instances_server FOREIGN KEY (server) REFERENCES servers (name),
    CONSTRAINT fk_instances_business_line FOREIGN KEY (business_line) REFERENCES business_lines (name),
    CONSTRAINT ck_instances_role CHECK (role IN ('primary', 'replica', 'sentinel', 'standalone', 'arbiter')),
    CONSTRAINT ck_instances_status CHECK (status IN ('active', 'provisioning', 'maintenance', 'decommissioned'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_instances_business_line ON instances (business_line);
CREATE INDEX ix_instances_cluster ON instances (cluster);
