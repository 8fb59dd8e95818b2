package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventSurvivesARoundTrip(EventType type) {
        Event sample = EventSamples.of(type);
        byte[] json = EventCodec.toBytes(sample);
        Event back = EventCodec.fromBytes(json, type.recordType());
        assertThat(back).usingRecursiveComparison().isEqualTo(sample);
        assertThat(back.schema()).isEqualTo(type.schema());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writingStraightFromTheRecordGivesTheCheckedTreesBytes(EventType type) throws IOException {
        Event sample = EventSamples.of(type);
        byte[] viaTree = EventCodec.mapper().writeValueAsBytes(EventCodec.mapper().valueToTree(sample));
        assertThat(new String(EventCodec.toBytes(sample), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(viaTree, java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void documentsWrittenBySchemaVersionOneAreStillRead(EventType type) throws IOException {
        String resource = "/events/v1/" + type.id() + ".json";
        // a golden document is written once, when it is first missing, and never rewritten: it is what v1 wrote
        if (Boolean.getBoolean("schemas.update") && type.schema() == 1 && !Files.exists(Path.of("src/test/resources" + resource))) {
            Path file = Path.of("src/test/resources" + resource);
            Files.createDirectories(file.getParent());
            Files.writeString(file, EventCodec.toJson(EventSamples.of(type)) + "\n");
        }
        try (InputStream in = EventCodecTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden v1 document %s", resource).isNotNull();
            Event read = EventCodec.fromBytes(in.readAllBytes(), type.recordType());
            assertThat(read.schema()).isEqualTo(1);
            assertThat(read).usingRecursiveComparison().isEqualTo(EventSamples.of(type));
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void aNewerSchemaVersionIsRejectedNotMangled(EventType type) {
        ObjectNode doc = tree(type);
        doc.put("schema", type.schema() + 1);
        doc.put("fieldFromTheFuture", "x");
        assertThatThrownBy(() -> EventCodec.fromBytes(bytes(doc), type.recordType()))
                .isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessageContaining("version " + (type.schema() + 1))
                .hasMessageContaining("upgrade the consumer");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void unknownExtraFieldsAreTolerated(EventType type) {
        ObjectNode doc = tree(type);
        doc.put("addedByANewerProducer", 42);
        doc.putObject("nested").put("x", 1);
        Event read = EventCodec.fromBytes(bytes(doc), type.recordType());
        assertThat(read).usingRecursiveComparison().isEqualTo(EventSamples.of(type));
    }

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                bad(EventType.ALARM, "missing required field", "type", d -> d.remove("type")),
                bad(EventType.ALARM, "required field set to null", "summary", d -> d.putNull("summary")),
                bad(EventType.ALARM, "missing field inside the instance", "instance.engine",
                        d -> ((ObjectNode) d.get("instance")).remove("engine")),
                bad(EventType.INCIDENT, "missing field in a list element", "instances[1].id",
                        d -> ((ObjectNode) d.get("instances").get(1)).remove("id")),
                bad(EventType.ALARM, "unknown enum value", "status", d -> d.put("status", "burning")),
                bad(EventType.ALARM, "engine outside the vocabulary", "instance.engine",
                        d -> ((ObjectNode) d.get("instance")).put("engine", "oracle")),
                bad(EventType.METRIC_SAMPLE, "text where a number belongs in a map", "fields.threads_running",
                        d -> ((ObjectNode) d.get("fields")).put("threads_running", "many")),
                bad(EventType.SLOW_QUERY, "number sent as a string", "queryTimeSec", d -> d.put("queryTimeSec", "2.5")),
                bad(EventType.SLOW_QUERY, "number where text belongs", "query", d -> d.put("query", 17)),
                bad(EventType.SLOW_QUERY, "fraction where an integer belongs", "rowsSent", d -> d.put("rowsSent", 1.5)),
                bad(EventType.ACTION_EVENT, "timestamp that is not ISO-8601", "time", d -> d.put("time", "yesterday")),
                bad(EventType.BINLOG_CHANGE, "missing primitive", "eventIndex", d -> d.remove("eventIndex")),
                bad(EventType.DEAD_LETTER, "schema version missing", "schema", d -> d.remove("schema")),
                bad(EventType.DEAD_LETTER, "schema version as text", "schema", d -> d.put("schema", "1")),
                bad(EventType.TOPOLOGY_CHANGE, "schema version zero", "schema", d -> d.put("schema", 0)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badDocuments")
    void badDocumentsNameTheFieldAtFault(EventType type, String why, String field, Consumer<ObjectNode> damage) {
        ObjectNode doc = tree(type);
        damage.accept(doc);
        assertThatThrownBy(() -> EventCodec.fromBytes(bytes(doc), type.recordType()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("field '" + field + "'")
                .satisfies(e -> assertThat(((EventFormatException) e).field()).isEqualTo(field));
    }

    @ParameterizedTest
    @MethodSource("notObjects")
    void aDocumentThatIsNotAnObjectIsRejectedAsAWhole(String text) {
        assertThatThrownBy(() -> EventCodec.fromJson(text, Alarm.class))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("field '$'");
    }

    static Stream<String> notObjects() {
        return Stream.of("", "{", "[1,2]", "\"alarm\"", "null", "not json at all");
    }

    @org.junit.jupiter.api.Test
    void nullMetricValuesStayNullOnTheWire() {
        MetricSample m = (MetricSample) EventSamples.of(EventType.METRIC_SAMPLE);
        JsonNode doc = EventCodec.mapper().valueToTree(m);
        assertThat(EventCodec.toJson(m)).contains("\"seconds_behind_master\":null").doesNotContain("\"error\"");
        assertThat(doc.get("fields").get("seconds_behind_master").isNull()).isTrue();
        MetricSample back = EventCodec.fromJson(EventCodec.toJson(m), MetricSample.class);
        assertThat(back.fields()).containsEntry("seconds_behind_master", null);
    }

    @org.junit.jupiter.api.Test
    void writingRefusesANullRequiredField() {
        Alarm a = new Alarm(1, EventSamples.T, "x", AlarmStatus.FIRING, null, Severity.INFO, null, "h", null, "s",
                null, null, null, EventSamples.T, null);
        assertThatThrownBy(() -> EventCodec.toBytes(a)).hasMessageContaining("field 'type'");
    }

    private static Arguments bad(EventType type, String why, String field, Consumer<ObjectNode> damage) {
        return Arguments.of(type, why, field, damage);
    }

    static ObjectNode tree(EventType type) {
        return (ObjectNode) EventCodec.mapper().valueToTree(EventSamples.of(type));
    }

    private static byte[] bytes(JsonNode doc) {
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }
}
