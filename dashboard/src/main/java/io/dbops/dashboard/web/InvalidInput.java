package io.dbops.dashboard.web;

import java.util.Map;

/** Input that failed validation: every problem, by field name. Nothing was stored or run. */
public final class InvalidInput extends RuntimeException {
    private final Map<String, String> fields;

    public InvalidInput(Map<String, String> fields) {
        super("invalid input: " + fields);
        this.fields = Map.copyOf(fields);
    }

    public static InvalidInput of(String field, String message) {
        return new InvalidInput(Map.of(field, message));
    }

    public Map<String, String> fields() {
        return fields;
    }
}
