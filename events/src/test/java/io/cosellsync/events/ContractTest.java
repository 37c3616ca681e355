package io.cosellsync.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract's three artefacts agree for every event type: the Java record, the golden sample payload and the
 * JSON schema. Run with {@code -Dcosell.contract.write=true} after an intended change to rewrite the schema and
 * sample files from the records, then review the diff.
 */
class ContractTest {

    private static final boolean WRITE = Boolean.getBoolean("cosell.contract.write");
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final ObjectMapper JSON = EventCodec.mapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenRecordEncodesToItsSample(EventType type) throws IOException {
        Object golden = GoldenSamples.of(type);
        assertEquals(type.payloadType(), golden.getClass(), "golden sample must be of the type's payload class");
        if (WRITE) {
            write(type.sampleResource(), JSON.readTree(EventCodec.encode(golden)));
        }
        assertEquals(read(type.sampleResource()), JSON.readTree(EventCodec.encode(golden)));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleDecodesToItsGoldenRecord(EventType type) throws IOException {
        byte[] sample = bytes(type.sampleResource());
        assertEquals(GoldenSamples.of(type), EventCodec.decode(sample, type.payloadType()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaIsGeneratedFromTheRecord(EventType type) throws IOException {
        JsonNode generated = generateSchema(type);
        if (WRITE) {
            write(type.schemaResource(), generated);
        }
        assertEquals(generated, read(type.schemaResource()),
                type.schemaResource() + " is stale: rerun with -Dcosell.contract.write=true and review the diff");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleConformsToItsSchema(EventType type) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(read(type.schemaResource()));
        Set<ValidationMessage> errors = schema.validate(read(type.sampleResource()));
        assertTrue(errors.isEmpty(), () -> type + ": " + errors);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaRejectsAPayloadWithoutItsRequiredFields(EventType type) throws IOException {
        JsonNode schemaNode = read(type.schemaResource());
        assertTrue(schemaNode.path("required").size() > 0, type + " schema lists no required field");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
        assertTrue(!schema.validate(JSON.createObjectNode()).isEmpty(), type + " schema accepts {}");
    }

    private static JsonNode generateSchema(EventType type) {
        JacksonModule jackson = new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY);
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(jackson)
                .with(Option.NULLABLE_FIELDS_BY_DEFAULT, Option.EXTRA_OPEN_API_FORMAT_VALUES);
        config.forFields().withNullableCheck(field -> {
            JsonProperty property = field.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
            return (property == null || !property.required()) && !field.getType().isPrimitive();
        });
        config.forTypesInGeneral().withIdResolver(scope -> scope.getType().getErasedType() == type.payloadType()
                ? type.dataSchema().toString() : null);
        config.forTypesInGeneral().withTitleResolver(scope -> scope.getType().getErasedType() == type.payloadType()
                ? type.ceType() : null);
        return new SchemaGenerator(config.build()).generateSchema(type.payloadType());
    }

    private static JsonNode read(String resource) throws IOException {
        return JSON.readTree(bytes(resource));
    }

    private static byte[] bytes(String resource) throws IOException {
        Path file = RESOURCES.resolve(resource);
        if (WRITE || Files.exists(file)) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = ContractTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " missing");
            return in.readAllBytes();
        }
    }

    private static void write(String resource, JsonNode node) throws IOException {
        Path file = RESOURCES.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node) + "\n");
        if (!Files.exists(file)) {
            fail("could not write " + file);
        }
    }
}
