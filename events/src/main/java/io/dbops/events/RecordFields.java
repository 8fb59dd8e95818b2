package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the event records say about their own fields (name, Java type, required, description),
 * read once by reflection. The serde's required-field check and the JSON Schema generator both use
 * it, so the schema files cannot drift from what the reader enforces.
 */
final class RecordFields {

    record Field(String name, Type type, boolean required, String description, java.lang.reflect.Method accessor) {
        Class<?> rawType() {
            return raw(type);
        }

        /** The element type of a List, or the value type of a Map; null otherwise. */
        Type elementType() {
            if (type instanceof ParameterizedType p) {
                Type[] args = p.getActualTypeArguments();
                return args[args.length - 1];
            }
            return null;
        }
    }

    private static final Map<Class<?>, List<Field>> CACHE = new ConcurrentHashMap<>();

    private RecordFields() {
    }

    static List<Field> of(Class<?> recordType) {
        return CACHE.computeIfAbsent(recordType, RecordFields::read);
    }

    static String description(Class<?> type) {
        JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
        return d == null ? null : d.value();
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("unsupported field type " + type);
    }

    private static List<Field> read(Class<?> recordType) {
        if (!recordType.isRecord()) {
            throw new IllegalArgumentException(recordType.getName() + " is not a record");
        }
        List<Field> fields = new ArrayList<>();
        for (RecordComponent c : recordType.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            JsonPropertyDescription d = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
            java.lang.reflect.Method accessor = c.getAccessor();
            accessor.setAccessible(true); // no access check on every read of a field
            fields.add(new Field(c.getName(), c.getGenericType(), p != null && p.required(),
                    d == null ? null : d.value(), accessor));
        }
        return List.copyOf(fields);
    }
}
