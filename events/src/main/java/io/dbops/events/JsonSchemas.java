package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Generates the JSON Schema (draft 2020-12) of each event type from its record, and the topic
 * table of {@code docs/events/README.md} from the catalog. The files under {@code docs/events/}
 * are this output; a test fails when they differ, so the published contract is always the code's.
 *
 * <p>Optional fields and map values accept null, as the reader does; unknown properties are
 * allowed (forward compatibility); {@code schema} is bounded by the newest version this code reads.
 */
public final class JsonSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonSchemas() {
    }

    public static String fileName(EventType type) {
        return type.id() + ".schema.json";
    }

    public static ObjectNode schemaFor(EventType type) {
        Topic topic = topicOf(type);
        ObjectNode defs = JSON.objectNode();
        ObjectNode root = JSON.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "urn:dbops:events:" + type.id());
        root.put("title", type.recordType().getSimpleName());
        root.put("description", "Topic " + topic.topicName() + ", key: " + topic.key() + ". "
                + RecordFields.description(type.recordType()));
        objectSchema(root, type.recordType(), defs);
        ((ObjectNode) root.get("properties").get("schema")).put("minimum", 1).put("maximum", type.schema());
        if (!defs.isEmpty()) {
            root.set("$defs", defs);
        }
        return root;
    }

    public static String schemaText(EventType type) {
        return pretty(schemaFor(type));
    }

    /** The topic catalog as a Markdown page for downstream teams. */
    public static String catalogMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# dbops topics and event schemas\n\n")
          .append("Generated from `io.dbops.events.Topic` and the event records; a test fails when this page or a\n")
          .append("schema file differs from the code. Every document is JSON with a `schema` version field and an\n")
          .append("event `time` (ISO-8601). Readers ignore fields they do not know and refuse schema versions newer\n")
          .append("than they understand. Regenerate with `mvn -pl events test -Dschemas.update=true`.\n\n")
          .append("| topic | key | partitions | retention | cleanup | event | schema version | schema |\n")
          .append("|---|---|---|---|---|---|---|---|\n");
        for (Topic t : Topic.values()) {
            EventType e = t.eventType();
            md.append("| `").append(t.topicName()).append("` | ").append(t.key()).append(" | ")
              .append(t.partitions()).append(" | ")
              .append(t.retention() == null ? "forever" : t.retention().toDays() + " d").append(" | ")
              .append(t.cleanup().policy()).append(" | ")
              .append(e.recordType().getSimpleName()).append(" | ").append(e.schema()).append(" | ")
              .append('[').append(fileName(e)).append("](").append(fileName(e)).append(") |\n");
        }
        return md.toString();
    }

    private static Topic topicOf(EventType type) {
        for (Topic t : Topic.values()) {
            if (t.eventType() == type) {
                return t;
            }
        }
        throw new IllegalStateException(type + " has no topic in the catalog");
    }

    private static void objectSchema(ObjectNode target, Class<?> recordType, ObjectNode defs) {
        target.put("type", "object");
        ObjectNode props = target.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        for (RecordFields.Field f : RecordFields.of(recordType)) {
            ObjectNode p = typeSchema(f.type(), defs);
            boolean mandatory = f.required() || f.rawType().isPrimitive();
            if (!mandatory) {
                p = nullable(p);
            }
            if (f.description() != null) {
                p.put("description", f.description());
            }
            props.set(f.name(), p);
            if (f.required()) {
                required.add(f.name());
            }
        }
        target.set("required", required);
        target.put("additionalProperties", true);
    }

    private static ObjectNode typeSchema(Type type, ObjectNode defs) {
        Class<?> raw = RecordFields.raw(type);
        ObjectNode s = JSON.objectNode();
        if (raw == String.class) {
            s.put("type", "string");
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            s.put("type", "integer");
        } else if (raw == double.class || raw == Double.class) {
            s.put("type", "number");
        } else if (raw == boolean.class || raw == Boolean.class) {
            s.put("type", "boolean");
        } else if (raw == Instant.class) {
            s.put("type", "string").put("format", "date-time");
        } else if (raw == byte[].class) {
            s.put("type", "string").put("contentEncoding", "base64");
        } else if (raw == Object.class) {
            return s; // any JSON value
        } else if (raw.isEnum()) {
            s.put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (java.lang.reflect.Field c : raw.getFields()) {
                if (c.isEnumConstant()) {
                    JsonProperty p = c.getAnnotation(JsonProperty.class);
                    values.add(p == null ? c.getName() : p.value());
                }
            }
        } else if (raw.isRecord()) {
            String name = raw.getSimpleName();
            if (!defs.has(name)) {
                ObjectNode def = defs.putObject(name);
                String d = RecordFields.description(raw);
                if (d != null) {
                    def.put("description", d);
                }
                objectSchema(def, raw, defs);
            }
            s.put("$ref", "#/$defs/" + name);
        } else if (List.class.isAssignableFrom(raw)) {
            s.put("type", "array");
            s.set("items", typeSchema(element(type), defs));
        } else if (Map.class.isAssignableFrom(raw)) {
            s.put("type", "object");
            s.set("additionalProperties", nullable(typeSchema(element(type), defs)));
        } else {
            throw new IllegalArgumentException("no JSON Schema mapping for " + type);
        }
        return s;
    }

    private static Type element(Type type) {
        return new RecordFields.Field("", type, false, null, null).elementType();
    }

    /** The same schema, also accepting null. */
    private static ObjectNode nullable(ObjectNode s) {
        if (s.isEmpty()) {
            return s;
        }
        if (s.has("type")) {
            ObjectNode copy = s.deepCopy();
            ArrayNode types = JSON.arrayNode().add(s.get("type").asText()).add("null");
            copy.set("type", types);
            if (copy.has("enum")) {
                ((ArrayNode) copy.get("enum")).addNull();
            }
            return copy;
        }
        ObjectNode any = JSON.objectNode();
        any.putArray("anyOf").add(s).add(JSON.objectNode().put("type", "null"));
        return any;
    }

    private static String pretty(ObjectNode node) {
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
