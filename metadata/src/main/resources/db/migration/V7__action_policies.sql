-- Playbook policies edited by admins in the dashboard: the remediation rules (YAML) the action
-- service applies, replacing its file or built-in default while a row exists. The service reloads
-- a changed row within seconds; the dashboard checks the YAML before it is saved.
CREATE TABLE action_policies (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    yaml          MEDIUMTEXT   NOT NULL,
    updated_by    VARCHAR(128) NOT NULL,
    updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
