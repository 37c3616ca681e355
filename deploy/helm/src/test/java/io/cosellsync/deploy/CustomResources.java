package io.cosellsync.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Strict validation of the custom resources the chart can render, which the Kubernetes models do not know: KEDA's
 * ScaledObject and the Prometheus Operator's ServiceMonitor and PrometheusRule against their CRDs' OpenAPI schemas
 * (kept under {@code crds/}, made strict: an object with declared properties refuses any other unless the CRD preserves
 * unknown fields there), Strimzi's KafkaTopic with Strimzi's own API classes. The metadata of each is validated
 * with the Kubernetes model.
 */
final class CustomResources {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRIMZI = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Set<String> SCHEMAS = Set.of("keda.sh/v1alpha1/ScaledObject",
            "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule");
    private static final Map<String, JsonSchema> LOADED = new ConcurrentHashMap<>();

    private CustomResources() {
    }

    static boolean knows(String kind) {
        return SCHEMAS.contains(kind) || "kafka.strimzi.io/v1beta2/KafkaTopic".equals(kind);
    }

    /** Throws with every problem found when the document is not a valid resource of its kind. */
    static void validate(String kind, JsonNode document) throws IOException {
        V1ObjectMeta.fromJson(document.path("metadata").toString());
        if ("kafka.strimzi.io/v1beta2/KafkaTopic".equals(kind)) {
            validateKafkaTopic(document);
            return;
        }
        ObjectNode withoutMetadata = document.deepCopy();
        withoutMetadata.remove("metadata");
        Set<ValidationMessage> problems = LOADED.computeIfAbsent(kind, CustomResources::load).validate(withoutMetadata);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.stream().map(ValidationMessage::getMessage).sorted()
                    .collect(Collectors.joining("; ")));
        }
    }

    private static void validateKafkaTopic(JsonNode document) throws IOException {
        KafkaTopic topic = STRIMZI.treeToValue(document, KafkaTopic.class);
        if (!topic.getAdditionalProperties().isEmpty() || !topic.getSpec().getAdditionalProperties().isEmpty()) {
            throw new IllegalArgumentException("unknown fields: " + topic.getAdditionalProperties().keySet()
                    + topic.getSpec().getAdditionalProperties().keySet());
        }
        if (topic.getSpec().getPartitions() == null || topic.getSpec().getPartitions() < 1
                || topic.getSpec().getReplicas() == null || topic.getSpec().getReplicas() < 1) {
            throw new IllegalArgumentException("partitions and replicas must be at least 1: " + document.path("spec"));
        }
    }

    private static JsonSchema load(String kind) {
        String file = "/crds/" + kind.replace('/', '-') + ".json";
        try (InputStream in = CustomResources.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema " + file);
            }
            JsonNode schema = strict(JSON.readTree(in));
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CRD schema as the API server reads it with field validation "Strict": unknown fields are errors where
     * properties are declared; the Kubernetes extension keywords are dropped (the validator does not know them).
     */
    static JsonNode strict(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        boolean preserves = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        List<String> extensions = new ArrayList<>();
        schema.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("x-kubernetes")) {
                extensions.add(name);
            }
        });
        schema.remove(extensions);
        schema.path("properties").forEach(CustomResources::strict);
        strict(schema.path("items"));
        strict(schema.path("additionalProperties"));
        for (String combined : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(combined).forEach(CustomResources::strict);
        }
        if (schema.has("properties") && !schema.has("additionalProperties") && !preserves) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }
}
