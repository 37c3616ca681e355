package io.cosellsync.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Reads and checks a tenant's mapping file (YAML); a bad file is refused with every problem named by its key. */
public final class TenantMappings {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TenantMappings() {
    }

    public static TenantMapping read(Path file, FieldMap map) {
        try {
            return parse(Files.readString(file), file.toString(), map);
        } catch (IOException e) {
            throw new MappingConfigException("cannot read the mapping file " + file, List.of(e.toString()));
        }
    }

    /** @param origin where the text came from, for messages */
    public static TenantMapping parse(String yaml, String origin, FieldMap map) {
        TenantMapping mapping;
        try {
            // a file without a document (blank, only comments, or a null document) says nothing: all defaults
            com.fasterxml.jackson.databind.JsonNode document = yaml.isBlank() ? null : YAML.readTree(yaml);
            mapping = document == null || document.isMissingNode() || document.isNull()
                    ? new TenantMapping(null, null, null, null, null, null, null, null, null, null, null, null, null,
                            null)
                    : YAML.treeToValue(document, TenantMapping.class);
        } catch (UnrecognizedPropertyException e) {
            throw new MappingConfigException("mapping " + origin + " is invalid", List.of(path(e)
                    + ": unknown setting (known: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")) + ")"));
        } catch (InvalidFormatException e) {
            throw new MappingConfigException("mapping " + origin + " is invalid", List.of(path(e) + ": '"
                    + e.getValue() + "' is not a valid " + e.getTargetType().getSimpleName().toLowerCase()));
        } catch (JsonMappingException e) {
            throw new MappingConfigException("mapping " + origin + " is invalid", List.of(path(e) + ": "
                    + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new MappingConfigException("mapping " + origin + " is not YAML", List.of(e.getOriginalMessage()));
        }
        List<String> problems = mapping.problems(map);
        if (!problems.isEmpty()) {
            throw new MappingConfigException("mapping " + origin + " is invalid", problems);
        }
        return mapping;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
