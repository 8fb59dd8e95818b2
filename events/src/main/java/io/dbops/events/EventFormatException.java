package io.dbops.events;

/**
 * A document that is not a valid event of the expected type. {@link #field()} names the field at
 * fault as a path ({@code instance.engine}, {@code alarmIds[2]}), or {@code $} for the whole
 * document, so dead letters and error messages say exactly what to fix.
 */
public class EventFormatException extends RuntimeException {
    private final EventType type;
    private final String field;

    public EventFormatException(EventType type, String field, String problem) {
        this(type, field, problem, null);
    }

    public EventFormatException(EventType type, String field, String problem, Throwable cause) {
        super(type.id() + " document: field '" + field + "': " + problem, cause);
        this.type = type;
        this.field = field;
    }

    public EventType type() {
        return type;
    }

    public String field() {
        return field;
    }
}
