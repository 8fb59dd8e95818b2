package io.dbops.events;

/**
 * A document written with a newer schema version than this reader knows. It is rejected instead of
 * being read as the old version, which could silently drop or misread fields.
 */
public final class UnsupportedSchemaVersionException extends EventFormatException {
    private final int found;

    public UnsupportedSchemaVersionException(EventType type, int found) {
        super(type, "schema", "version " + found + " is newer than this reader understands (up to "
                + type.schema() + "); upgrade the consumer's dbops-events before reading it");
        this.found = found;
    }

    public int found() {
        return found;
    }
}
