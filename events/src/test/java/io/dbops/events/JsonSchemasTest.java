package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The published schema files are what the code generates, and they describe the documents the
 * code writes: every sample validates, and a document the reader refuses the schema refuses too.
 */
class JsonSchemasTest {
    private static final Path DOCS = Path.of("..", "docs", "events");
    private static final boolean UPDATE = Boolean.getBoolean("schemas.update");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void publishedSchemaFileMatchesTheRecord(EventType type) throws IOException {
        assertPublished(DOCS.resolve(JsonSchemas.fileName(type)), JsonSchemas.schemaText(type));
    }

    @Test
    void publishedTopicCatalogMatchesTheCode() throws IOException {
        assertPublished(DOCS.resolve("README.md"), JsonSchemas.catalogMarkdown());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everySampleDocumentValidatesAgainstItsSchema(EventType type) {
        JsonNode doc = EventCodec.mapper().valueToTree(EventSamples.of(type));
        assertThat(schema(type).validate(doc)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaRejectsWhatTheReaderRejects(EventType type) {
        ObjectNode missingTime = EventCodecTest.tree(type);
        missingTime.remove("time");
        assertThat(messages(schema(type).validate(missingTime))).anyMatch(m -> m.contains("time"));

        ObjectNode newer = EventCodecTest.tree(type);
        newer.put("schema", type.schema() + 1);
        assertThat(schema(type).validate(newer)).isNotEmpty();

        ObjectNode extra = EventCodecTest.tree(type);
        extra.put("addedLater", true);
        assertThat(schema(type).validate(extra)).isEmpty();
    }

    @Test
    void requiredFieldsInTheSchemaAreTheOnesTheRecordMarks() {
        JsonNode alarm = JsonSchemas.schemaFor(EventType.ALARM);
        Set<String> required = new HashSet<>();
        alarm.get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyInAnyOrder("schema", "time", "id", "status", "type", "severity", "summary", "startsAt");
        assertThat(alarm.at("/properties/status/enum").toString()).isEqualTo("[\"firing\",\"resolved\"]");
        assertThat(alarm.at("/$defs/InstanceRef/required").toString()).isEqualTo("[\"id\",\"engine\",\"host\"]");
    }

    @Test
    void everyEventTypeHasExactlyOneTopicAndTopicNamesAreUnique() {
        for (EventType type : EventType.values()) {
            assertThat(Arrays.stream(Topic.values()).filter(t -> t.eventType() == type)).as(type.id()).hasSize(1);
        }
        assertThat(Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toSet()))
                .hasSize(Topic.values().length)
                .allMatch(n -> n.startsWith("dbops."));
        assertThat(Topic.byName("dbops.incidents").cleanup()).isEqualTo(Topic.Cleanup.COMPACT_DELETE);
        assertThat(Topic.TOPOLOGY.configs()).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1");
    }

    private static JsonSchema schema(EventType type) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JsonSchemas.schemaFor(type));
    }

    private static Set<String> messages(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    private static void assertPublished(Path file, String expected) throws IOException {
        if (UPDATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected);
        }
        assertThat(file).as("%s is missing: run mvn -pl events test -Dschemas.update=true", file).exists();
        assertThat(Files.readString(file))
                .as("%s differs from the code: run mvn -pl events test -Dschemas.update=true and commit it", file)
                .isEqualTo(expected);
    }
}
