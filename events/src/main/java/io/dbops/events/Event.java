package io.dbops.events;

import java.time.Instant;

/**
 * A document on one of the dbops topics. Every event carries the schema version it was written
 * with and the time the thing it describes happened (event time, not processing time).
 */
public interface Event {
    /** Schema version of this document; readers refuse versions newer than they understand. */
    int schema();

    /** Event time. */
    Instant time();
}
