-- Where each MySQL/MariaDB instance writes its slow log, for the slow-log collector (NULL: not collected),
-- and the time zone of its "# Time:" lines when the log has no SET timestamp.
ALTER TABLE instances
    ADD COLUMN slow_log_path VARCHAR(512) NULL AFTER credential_ref,
    ADD COLUMN log_time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC' AFTER slow_log_path;
