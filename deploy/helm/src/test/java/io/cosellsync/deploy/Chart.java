package io.cosellsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under test, driven by Helm itself (helm-java: Helm 3 as a native library): lint, render with a values file,
 * and validate each rendered document strictly against the Kubernetes API models of the official Java client, which
 * refuse unknown fields, wrong types and missing required fields (custom resources: {@link CustomResources}).
 */
final class Chart {

    static final Path DIRECTORY = Path.of("cosell-sync").toAbsolutePath();
    static final Path CI_VALUES = DIRECTORY.resolve("ci");
    /** The cluster version the chart is rendered for (its kubeVersion asks for 1.27 or later). */
    static final String KUBE_VERSION = "1.30.0";
    static final YAMLMapper YAML = new YAMLMapper();

    /** The model that parses each kind, by apiVersion/kind. */
    private static final Map<String, ModelParser> MODELS = Map.ofEntries(
            Map.entry("apps/v1/Deployment", V1Deployment::fromJson),
            Map.entry("v1/Service", V1Service::fromJson),
            Map.entry("v1/ConfigMap", V1ConfigMap::fromJson),
            Map.entry("v1/ServiceAccount", V1ServiceAccount::fromJson),
            Map.entry("v1/Secret", V1Secret::fromJson),
            Map.entry("v1/Pod", V1Pod::fromJson),
            Map.entry("batch/v1/Job", V1Job::fromJson),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress::fromJson),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy::fromJson),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::fromJson),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler::fromJson));

    @FunctionalInterface
    interface ModelParser {
        Object parse(String json) throws IOException;
    }

    private Chart() {
    }

    static List<Path> ciValues() {
        try (Stream<Path> files = Files.list(CI_VALUES)) {
            return files.filter(f -> f.toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents Helm renders for a release with these values (null: the chart's own). */
    static List<JsonNode> render(String release, Path values) {
        TemplateCommand template = new Helm(DIRECTORY).template().withName(release).withNamespace("cosell")
                .withKubeVersion(KUBE_VERSION);
        if (values != null) {
            template = template.withValuesFile(values);
        }
        return documents(template.call());
    }

    /**
     * The release's hooks (the {@code helm test} pods), rendered and validated like its manifest: helm-java's template
     * leaves hooks out, so they are rendered from a copy of the chart whose hook annotation is renamed.
     */
    static List<JsonNode> renderHooks(String release, Path values) throws IOException {
        Path copy = copy();
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.writeString(file, Files.readString(file).replace("helm.sh/hook:", "cosell.test/hook:"));
            }
        }
        return documents(new Helm(copy).template().withName(release).withNamespace("cosell")
                .withKubeVersion(KUBE_VERSION).withValuesFile(values).call()).stream()
                .filter(d -> d.path("metadata").path("annotations").has("cosell.test/hook")).toList();
    }

    /** A client-only dry-run {@code helm install}: emits what Helm prints (status, NOTES). */
    static String dryRunInstall(String release, Path values) {
        return new Helm(DIRECTORY).install().withName(release).withNamespace("cosell").withKubeVersion(KUBE_VERSION)
                .withValuesFile(values).clientOnly().dryRun().call().getOutput();
    }

    private static Path copy() throws IOException {
        Path copy = Files.createTempDirectory("cosell-chart").resolve("cosell-sync");
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(DIRECTORY.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    /** {@code helm lint --strict} with a values file: the chart is linted with its values.yaml merged with it. */
    static LintResult lint(Path values) throws IOException {
        Path copy = copy();
        ObjectNode merged = (ObjectNode) YAML.readTree(DIRECTORY.resolve("values.yaml").toFile());
        merge(merged, (ObjectNode) YAML.readTree(values.toFile()));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
        return new Helm(copy).lint().strict().call();
    }

    /** A values file: {@code values} with {@code yaml} merged over it (maps merged, anything else replaced). */
    static Path overlay(Path values, String yaml) throws IOException {
        ObjectNode merged = (ObjectNode) YAML.readTree(values.toFile());
        merge(merged, (ObjectNode) YAML.readTree(yaml));
        Path file = Files.createTempFile("values", ".yaml");
        YAML.writeValue(file.toFile(), merged);
        return file;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    static List<JsonNode> documents(String rendered) {
        List<JsonNode> documents = new ArrayList<>();
        try {
            var parser = YAML.getFactory().createParser(rendered);
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** Parses the document with its kind's model; throws when the model refuses it or the kind has none. */
    static Object validate(JsonNode document) {
        String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        ModelParser parser = MODELS.get(kind);
        if (parser == null && CustomResources.knows(kind)) {
            try {
                CustomResources.validate(kind, document);
                return document;
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(kind + " " + document.path("metadata").path("name").asText()
                        + ": " + e.getMessage(), e);
            }
        }
        if (parser == null) {
            throw new IllegalArgumentException("no Kubernetes model for " + kind);
        }
        try {
            return parser.parse(document.toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(kind + " " + document.path("metadata").path("name").asText()
                    + ": " + e.getMessage(), e);
        }
    }

    static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }
}
