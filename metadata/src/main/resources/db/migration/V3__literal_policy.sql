-- Whether query texts from this instance may keep their literal values (they can hold personal data
-- or secrets). When not, the collector publishes the fingerprint in place of the query text.
ALTER TABLE instances
    ADD COLUMN keep_query_literals BOOLEAN NOT NULL DEFAULT TRUE AFTER log_time_zone;
