package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.List;

/**
 * JSON serde for every event type. Reading is strict where it matters and lenient where it must
 * be: a missing or null required field, a wrong type or an unknown enum value is an
 * {@link EventFormatException} naming the field; a document from a newer schema version is an
 * {@link UnsupportedSchemaVersionException}; fields this version does not know are ignored, so
 * producers can add fields before consumers upgrade.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = newMapper();
    private static final java.util.Map<Class<?>, com.fasterxml.jackson.databind.ObjectReader> READERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private EventCodec() {
    }

    /** The mapper configured for the wire format, for code that needs to embed events in other JSON. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Event event) {
        EventType type = EventType.of(event.getClass());
        if (event.schema() >= 1 && event.schema() <= type.schema() && requiredPresent(event, event.getClass())) {
            // the common case, written straight from the record: building a tree to check it first was most of the cost
            try {
                return MAPPER.writeValueAsBytes(event);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + type.id(), e);
            }
        }
        // something is missing: the tree names it
        JsonNode tree = MAPPER.valueToTree(event);
        checkDocument(type, tree);
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type.id(), e);
        }
    }

    public static String toJson(Event event) {
        return new String(toBytes(event), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads a plainly valid metric sample in one pass, showing its fields to {@code visitor} as they come; the sample holds
     * only the fields the visitor keeps. Null for anything else (an invalid document, or the visitor stopped): read it
     * with {@link #fromBytes} then, which says precisely what is wrong.
     */
    public static MetricSample readMetricSample(byte[] json, MetricFieldVisitor visitor) {
        return MetricSampleReader.read(json, java.util.Objects.requireNonNull(visitor));
    }

    public static <T extends Event> T fromBytes(byte[] json, Class<T> recordType) {
        EventType type = EventType.of(recordType);
        if (recordType == MetricSample.class) {
            MetricSample s = MetricSampleReader.read(json);
            if (s != null) {
                return recordType.cast(s);
            }
        } else if (recordType == SlowQuery.class) {
            SlowQuery q = SlowQueryReader.read(json);
            if (q != null) {
                return recordType.cast(q);
            }
        }
        // fast path: bind directly; anything doubtful is read again the careful way, which names the field
        try {
            T value = READERS.computeIfAbsent(recordType, MAPPER::readerFor).readValue(json);
            if (value != null && value.schema() >= 1 && value.schema() <= type.schema() && requiredPresent(value, recordType)) {
                return value;
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the careful path for a precise error
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new EventFormatException(type, "$", "not JSON: " + firstLine(e.getMessage()), e);
        }
        return fromTree(type, tree, recordType);
    }

    public static <T extends Event> T fromJson(String json, Class<T> recordType) {
        return fromBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), recordType);
    }

    private static <T extends Event> T fromTree(EventType type, JsonNode tree, Class<T> recordType) {
        checkDocument(type, tree);
        try {
            return MAPPER.treeToValue(tree, recordType);
        } catch (JsonMappingException e) {
            throw new EventFormatException(type, path(e.getPath()), firstLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new EventFormatException(type, "$", firstLine(e.getOriginalMessage()), e);
        }
    }

    /** Object shape, schema version and required fields, checked before any binding. */
    private static void checkDocument(EventType type, JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new EventFormatException(type, "$", "expected a JSON object");
        }
        JsonNode schema = tree.get("schema");
        if (schema == null || schema.isNull()) {
            throw new EventFormatException(type, "schema", "missing required field");
        }
        if (!schema.isIntegralNumber() || schema.asInt() < 1) {
            throw new EventFormatException(type, "schema", "must be a positive integer, got " + schema);
        }
        if (schema.asInt() > type.schema()) {
            throw new UnsupportedSchemaVersionException(type, schema.asInt());
        }
        checkRequired(type, tree, type.recordType(), "");
    }

    private static void checkRequired(EventType type, JsonNode node, Class<?> recordType, String prefix) {
        for (RecordFields.Field f : RecordFields.of(recordType)) {
            JsonNode value = node.get(f.name());
            String path = prefix + f.name();
            if (value == null || value.isNull()) {
                if (f.required()) {
                    throw new EventFormatException(type, path, "missing required field");
                }
                continue;
            }
            Class<?> raw = f.rawType();
            if (raw.isRecord() && value.isObject()) {
                checkRequired(type, value, raw, path + ".");
            } else if (List.class.isAssignableFrom(raw) && value.isArray()) {
                Class<?> element = RecordFields.raw(f.elementType());
                if (element.isRecord()) {
                    for (int i = 0; i < value.size(); i++) {
                        if (value.get(i).isObject()) {
                            checkRequired(type, value.get(i), element, path + "[" + i + "].");
                        }
                    }
                }
            }
        }
    }

    /** Whether every required field of the record, and of the records inside it, is set. */
    private static boolean requiredPresent(Object record, Class<?> recordType) {
        try {
            for (RecordFields.Field f : RecordFields.of(recordType)) {
                Object v = f.accessor().invoke(record);
                if (v == null) {
                    if (f.required()) {
                        return false;
                    }
                    continue;
                }
                Class<?> raw = f.rawType();
                if (raw.isRecord() && !requiredPresent(v, raw)) {
                    return false;
                }
                if (v instanceof List<?> list) {
                    Class<?> element = RecordFields.raw(f.elementType());
                    if (element.isRecord()) {
                        for (Object o : list) {
                            if (o == null || !requiredPresent(o, element)) {
                                return false;
                            }
                        }
                    }
                }
            }
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "$" : sb.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .addModule(new JavaTimeModule())
                .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("dbops-instants")
                        .addDeserializer(java.time.Instant.class, new IsoInstant.Deserializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // omit absent optional fields, but keep null map values (a NULL metric stays null)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
                .build();
        // "12" is not a number and 12 is not a string: a producer that mixes them up is told so
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
