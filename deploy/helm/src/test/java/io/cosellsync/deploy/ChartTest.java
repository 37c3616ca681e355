package io.cosellsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The chart {@code deploy/helm/cosell-sync} for every values file under {@code ci/}: lint passes strictly, every
 * rendered document is valid for its Kubernetes model, and the release holds what a platform engineer relies on —
 * probes, resources, a locked-down security context, secrets only by reference, the ConfigMaps each pod mounts, an
 * Ingress for the webhook path only; two releases share no schema, topic prefix, consumer group or object name. A wrong value
 * (unknown key, wrong type) fails the schema; a misspelt field fails the models.
 */
class ChartTest {

    static Stream<Path> ciValues() {
        return Chart.ciValues().stream();
    }

    @Test
    void thereAreCiValuesForMinimalFullAndMultiTenantReleases() {
        assertEquals(List.of("full-values.yaml", "minimal-values.yaml", "multi-tenant-values.yaml"),
                Chart.ciValues().stream().map(p -> p.getFileName().toString()).toList());
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void lintsStrictly(Path values) throws IOException {
        LintResult lint = Chart.lint(values);
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void lintFailsForAValueTheSchemaDoesNotKnow() throws IOException {
        Path values = Files.createTempFile("values", ".yaml");
        Files.writeString(values, Files.readString(Chart.CI_VALUES.resolve("minimal-values.yaml"))
                + "networkPolicy:\n  enable: true\n");
        LintResult lint = Chart.lint(values);
        assertTrue(lint.isFailed(), String.join("\n", lint.getMessages()));
        assertTrue(String.join("\n", lint.getMessages()).contains("enable"), String.join("\n", lint.getMessages()));
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void everyRenderedDocumentIsValidForItsKubernetesModel(Path values) {
        List<JsonNode> documents = Chart.render("contoso", values);
        assertFalse(documents.isEmpty());
        documents.forEach(Chart::validate);
        assertEquals(4, Chart.ofKind(documents, "Deployment").size());
        assertEquals(4, Chart.ofKind(documents, "Service").size());
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void everyDeploymentIsProbedBoundedLockedDownAndHasWhatItMounts(Path values) throws IOException {
        List<JsonNode> documents = Chart.render("contoso", values);
        JsonNode settings = Chart.YAML.readTree(values.toFile());
        String secret = settings.path("existingSecret").asText();
        Set<String> configMaps = new HashSet<>();
        Chart.ofKind(documents, "ConfigMap").forEach(c -> configMaps.add(c.path("metadata").path("name").asText()));
        if (settings.path("mappings").has("existingConfigMap")) {
            configMaps.add(settings.path("mappings").path("existingConfigMap").asText());
        }
        for (JsonNode deployment : Chart.ofKind(documents, "Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name);
            assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText());
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), name);
            JsonNode container = pod.path("containers").get(0);
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
            assertTrue(container.path("resources").path("requests").has("memory"), name);
            assertTrue(container.path("resources").path("limits").has("memory"), name);
            JsonNode security = container.path("securityContext");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name);
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name);
            assertEquals("ALL", security.path("capabilities").path("drop").get(0).asText());
            for (JsonNode env : container.path("env")) {
                // a secret reaches a pod only by reference to the release's Secret, never as a value
                String variable = env.path("name").asText();
                if (variable.contains("PASSWORD") || variable.contains("SECRET") || variable.endsWith("_KEY")
                        || variable.contains("JAAS")) {
                    assertEquals(secret, env.path("valueFrom").path("secretKeyRef").path("name").asText(),
                            name + " " + variable);
                }
            }
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("configMap")) {
                    assertTrue(configMaps.contains(volume.path("configMap").path("name").asText()),
                            name + " mounts " + volume);
                }
            }
            List<String> mounts = new ArrayList<>();
            container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            assertTrue(mounts.containsAll(List.of("/tmp", "/etc/cosell/settings", "/etc/cosell/mappings")), name);
        }
    }

    @Test
    void theIngressRoutesOnlyTheWebhookPathToIngressService() {
        List<JsonNode> ingresses = Chart.ofKind(Chart.render("contoso", Chart.CI_VALUES.resolve("full-values.yaml")),
                "Ingress");
        assertEquals(1, ingresses.size());
        List<String> paths = new ArrayList<>();
        for (JsonNode rule : ingresses.get(0).path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                paths.add(path.path("path").asText() + " -> " + path.path("backend").path("service").path("name")
                        .asText() + ":" + path.path("backend").path("service").path("port").path("name").asText());
            }
        }
        assertEquals(List.of("/webhooks/partner-center/ -> contoso-ingress-service:webhooks"), paths,
                "the public port, which serves nothing but webhooks");
        List<JsonNode> release = Chart.render("contoso", Chart.CI_VALUES.resolve("full-values.yaml"));
        JsonNode service = Chart.ofKind(release, "Service").stream().filter(s -> s.path("metadata").path("name")
                .asText().equals("contoso-ingress-service")).findFirst().orElseThrow();
        List<String> ports = new ArrayList<>();
        service.path("spec").path("ports").forEach(p -> ports.add(p.path("name").asText() + "=" + p.path("port")
                .asInt() + "->" + p.path("targetPort").asText()));
        assertEquals(List.of("http=8080->http", "webhooks=8088->webhooks"), ports);
        // the Ingress controller's namespace reaches ingress's public port only, never its own (admin, metrics)
        JsonNode policy = Chart.ofKind(release, "NetworkPolicy").stream().filter(p -> p.path("metadata")
                .path("name").asText().equals("contoso-ingress-service")).findFirst().orElseThrow();
        List<String> fromController = new ArrayList<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            if (rule.path("from").toString().contains("kubernetes.io/metadata.name")
                    && rule.path("from").toString().contains("ingress-nginx")) {
                rule.path("ports").forEach(p -> fromController.add(p.path("port").asText()));
            }
        }
        assertEquals(List.of("webhooks"), fromController);
        assertTrue(Chart.ofKind(Chart.render("contoso", Chart.CI_VALUES.resolve("minimal-values.yaml")), "Ingress")
                .isEmpty(), "no Ingress unless asked for");
    }

    @Test
    void aCpuScaledServiceHasAHorizontalPodAutoscalerCappedAtThePartitions() throws IOException {
        List<JsonNode> documents = Chart.render("contoso", Chart.CI_VALUES.resolve("full-values.yaml"));
        List<JsonNode> autoscalers = Chart.ofKind(documents, "HorizontalPodAutoscaler");
        assertEquals(List.of("contoso-salesforce-writer"), autoscalers.stream().map(a -> a.path("spec")
                .path("scaleTargetRef").path("name").asText()).toList());
        assertEquals(6, autoscalers.get(0).path("spec").path("maxReplicas").asInt());
        // the Deployments without a fixed count: OperatorResourcesTest, with the KEDA-scaled one
        Path tooMany = Files.createTempFile("values", ".yaml");
        Files.writeString(tooMany, Files.readString(Chart.CI_VALUES.resolve("minimal-values.yaml"))
                + "services:\n  mapper:\n    autoscaling: {enabled: true, kind: cpu, minReplicas: 2, maxReplicas: 12,"
                + " cpuUtilization: 70}\n");
        Exception capped = assertThrows(Exception.class, () -> Chart.render("contoso", tooMany));
        assertTrue(capped.getMessage().contains("maxReplicas"), capped.getMessage());
    }

    @Test
    void theReplayJobRunsTheCliAgainstTheWriterSignedInByClientCredentials() {
        List<JsonNode> documents = Chart.render("contoso", Chart.CI_VALUES.resolve("full-values.yaml"));
        List<JsonNode> jobs = Chart.ofKind(documents, "Job");
        assertEquals(1, jobs.size());
        JsonNode pod = jobs.get(0).path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertEquals("registry.example.com/cosell-sync/admin-cli:0.1.0", container.path("image").asText());
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertEquals(List.of("dead-letters", "replay", "contoso", "--reason", "PARTNER_CENTER_REJECTED_400", "--rate",
                "100"), args);
        assertEquals("http://contoso-salesforce-writer:8080", env(container, "COSELL_ADMIN_URL"));
        assertEquals("/etc/cosell/replay/client-secret", env(container, "COSELL_ADMIN_CLIENT_SECRET_FILE"));
        JsonNode secret = pod.path("volumes").get(1).path("secret");
        assertEquals("cosell-contoso-prod", secret.path("secretName").asText());
        assertEquals("replay-client-secret", secret.path("items").get(0).path("key").asText());
        assertTrue(Chart.ofKind(Chart.render("contoso", Chart.CI_VALUES.resolve("minimal-values.yaml")), "Job")
                .isEmpty(), "no Job unless asked for");
    }

    @Test
    void aClientOnlyDryRunInstallSucceedsAndNotesTellTheNextStep() {
        String output = Chart.dryRunInstall("contoso", Chart.CI_VALUES.resolve("minimal-values.yaml"));
        assertTrue(output.contains("STATUS: pending-install"), output);
        assertTrue(output.contains("http://127.0.0.1:8080/admin/tenants/contoso/partner-center/sign-in"), output);
        assertTrue(output.contains("Partner Center is read by polling only"), output);
    }

    @Test
    void helmTestAsksEveryServiceWhetherItIsReady() throws IOException {
        List<JsonNode> pods = Chart.ofKind(Chart.renderHooks("contoso", Chart.CI_VALUES.resolve(
                "minimal-values.yaml")), "Pod");
        assertEquals(1, pods.size());
        pods.forEach(Chart::validate);
        assertEquals("test", pods.get(0).path("metadata").path("annotations").path("cosell.test/hook").asText());
        String script = pods.get(0).path("spec").path("containers").get(0).path("args").get(0).asText();
        for (String service : List.of("ingress-service", "mapper-service", "salesforce-writer",
                "partnercenter-writer")) {
            assertTrue(script.contains("http://contoso-" + service + ":8080/q/health/ready"), script);
        }
    }

    @Test
    void aHookCreatesTheReleasesTopicsBeforeItsServicesStart() throws IOException {
        Path values = Chart.overlay(Chart.CI_VALUES.resolve("full-values.yaml"), "topics: {strimzi: {enabled: false}}");
        List<JsonNode> jobs = Chart.ofKind(Chart.renderHooks("contoso-prod", values), "Job");
        assertEquals(1, jobs.size());
        jobs.forEach(Chart::validate);
        JsonNode job = jobs.get(0);
        assertEquals("pre-install,pre-upgrade", job.path("metadata").path("annotations").path("cosell.test/hook")
                .asText());
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertEquals(List.of("topics", "create", "--replication-factor", "3"), args);
        assertEquals("prod.cosell.", env(container, "COSELL_TOPIC_PREFIX"));
        assertEquals("SASL_SSL", env(container, "KAFKA_SECURITY_PROTOCOL"));
    }

    @Test
    void aTenantInDryRunIsNamedToEveryServiceAndMustBeServed() throws IOException {
        Path minimal = Chart.CI_VALUES.resolve("minimal-values.yaml");
        List<JsonNode> rehearsal = Chart.render("contoso", Chart.overlay(minimal, "dryRun: [contoso]"));
        for (String service : List.of("salesforce-writer", "partnercenter-writer", "ingress-service")) {
            assertEquals("contoso", env(rehearsal, "contoso-" + service, "COSELL_DRY_RUN"));
        }
        for (JsonNode deployment : Chart.ofKind(Chart.render("contoso", minimal), "Deployment")) {
            deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env")
                    .forEach(e -> assertNotEquals("COSELL_DRY_RUN", e.path("name").asText()));
        }
        Exception unknown = assertThrows(Exception.class, () -> Chart.render("contoso", Chart.overlay(minimal,
                "dryRun: [fabrikam]")));
        assertTrue(unknown.getMessage().contains("dryRun names fabrikam"), unknown.getMessage());
    }

    @Test
    void twoReleasesShareNoSchemaTopicPrefixConsumerGroupOrObjectName() {
        Path values = Chart.CI_VALUES.resolve("minimal-values.yaml");
        List<JsonNode> staging = Chart.render("contoso-staging", values);
        List<JsonNode> production = Chart.render("contoso-prod", values);
        assertNotEquals(names(staging), names(production));
        Set<String> shared = new HashSet<>(names(staging));
        shared.retainAll(names(production));
        assertEquals(Set.of(), shared);
        String stagingSettings = settings(staging);
        String productionSettings = settings(production);
        assertTrue(stagingSettings.contains("cosell.database.schema=contoso_staging_ingress"), stagingSettings);
        assertTrue(productionSettings.contains("cosell.database.schema=contoso_prod_ingress"), productionSettings);
        assertTrue(productionSettings.contains("partnercenter-writer.credential-schema=contoso_prod_ingress"));
        assertTrue(productionSettings.contains("salesforce.agreement-schema=contoso_prod_partnercenter_writer"));
        assertEquals("contoso-staging.", env(staging, "contoso-staging-mapper-service", "COSELL_TOPIC_PREFIX"));
        assertEquals("contoso-prod.", env(production, "contoso-prod-mapper-service", "COSELL_TOPIC_PREFIX"));
        assertEquals("contoso-staging.", env(staging, "contoso-staging-salesforce-writer",
                "COSELL_CONSUMER_GROUP_PREFIX"));
        assertEquals("contoso-prod.", env(production, "contoso-prod-salesforce-writer",
                "COSELL_CONSUMER_GROUP_PREFIX"));
        assertEquals("contoso-staging", env(staging, "contoso-staging-ingress-service", "COSELL_INSTANCE"));
        assertEquals("contoso-prod", env(production, "contoso-prod-ingress-service", "COSELL_INSTANCE"));
    }

    @Test
    void withAPrivateKafkaCaEveryKafkaClientTrustsItFromTheSecret() throws IOException {
        Path values = Chart.overlay(Chart.CI_VALUES.resolve("full-values.yaml"), "topics: {strimzi: {enabled: false}}");
        List<JsonNode> workloads = new ArrayList<>(Chart.ofKind(Chart.render("contoso-prod", values), "Deployment"));
        workloads.addAll(Chart.ofKind(Chart.renderHooks("contoso-prod", values), "Job"));
        assertEquals(5, workloads.size());
        for (JsonNode workload : workloads) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            String name = workload.path("metadata").path("name").asText();
            assertEquals("/etc/cosell/kafka-ca/ca.crt", env(container, "KAFKA_SSL_TRUSTSTORE_LOCATION"), name);
            assertEquals("PEM", env(container, "KAFKA_SSL_TRUSTSTORE_TYPE"), name);
            assertTrue(container.path("volumeMounts").toString().contains("\"mountPath\":\"/etc/cosell/kafka-ca\""),
                    name);
            assertTrue(pod.path("volumes").toString().contains("\"secretName\":\"shared-kafka-cluster-ca-cert\""),
                    name);
        }
        String minimal = Chart.render("contoso", Chart.CI_VALUES.resolve("minimal-values.yaml")).toString();
        assertFalse(minimal.contains("KAFKA_SSL_TRUSTSTORE"), "the JVM's public CAs unless a CA is given");
    }

    @Test
    void aTenantsSecretsAreReferencedByTenantEvenWithADashInItsName() {
        List<JsonNode> documents = Chart.render("partners", Chart.CI_VALUES.resolve("multi-tenant-values.yaml"));
        String settings = settings(documents);
        assertTrue(settings.contains("ingress.salesforce.tenants.fabrikam-eu.consumer-secret="
                + "${COSELL_SALESFORCE_SECRET_FABRIKAM_EU}"), settings);
        JsonNode writer = Chart.ofKind(documents, "Deployment").stream().filter(d -> d.path("metadata").path("name")
                .asText().equals("partners-salesforce-writer")).findFirst().orElseThrow();
        JsonNode variable = null;
        for (JsonNode env : writer.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (env.path("name").asText().equals("COSELL_SALESFORCE_SECRET_FABRIKAM_EU")) {
                variable = env;
            }
        }
        assertEquals("salesforce-fabrikam-eu-consumer-secret", variable.path("valueFrom").path("secretKeyRef")
                .path("key").asText());
        assertEquals("contoso,fabrikam-eu", env(documents, "partners-ingress-service", "COSELL_TENANTS"));
    }

    @Test
    void aValueTheSchemaDoesNotKnowOrOfTheWrongTypeFailsTheRender() throws IOException {
        String minimal = Files.readString(Chart.CI_VALUES.resolve("minimal-values.yaml"));
        Path unknown = Files.createTempFile("values", ".yaml");
        Files.writeString(unknown, minimal + "services:\n  ingress:\n    replica: 2\n");
        Exception typo = assertThrows(Exception.class, () -> Chart.render("contoso", unknown));
        assertTrue(typo.getMessage().contains("replica"), typo.getMessage());
        Path wrongType = Files.createTempFile("values", ".yaml");
        Files.writeString(wrongType, minimal + "podDisruptionBudget:\n  enabled: \"yes\"\n");
        Exception type = assertThrows(Exception.class, () -> Chart.render("contoso", wrongType));
        assertTrue(type.getMessage().contains("enabled"), type.getMessage());
        Path noTenants = Files.createTempFile("values", ".yaml");
        Files.writeString(noTenants, minimal.replace("tenants: [contoso]", "tenants: []"));
        Exception missing = assertThrows(Exception.class, () -> Chart.render("contoso", noTenants));
        assertTrue(missing.getMessage().contains("tenants is required"), missing.getMessage());
    }

    @Test
    void theModelsRefuseAMisspeltOrMistypedField() throws IOException {
        JsonNode deployment = Chart.ofKind(Chart.render("contoso", Chart.CI_VALUES.resolve("minimal-values.yaml")),
                "Deployment").get(0);
        String json = deployment.toString();
        JsonNode misspelt = Chart.YAML.readTree(json.replace("\"imagePullPolicy\"", "\"imagePullPolcy\""));
        Exception unknown = assertThrows(IllegalArgumentException.class, () -> Chart.validate(misspelt));
        assertTrue(unknown.getMessage().contains("imagePullPolcy"), unknown.getMessage());
        JsonNode mistyped = Chart.YAML.readTree(json.replace("\"replicas\":2", "\"replicas\":{\"count\":2}"));
        assertThrows(IllegalArgumentException.class, () -> Chart.validate(mistyped));
    }

    private static List<String> names(List<JsonNode> documents) {
        return documents.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .toList();
    }

    private static String settings(List<JsonNode> documents) {
        return Chart.ofKind(documents, "ConfigMap").stream().filter(c -> c.path("metadata").path("name").asText()
                .endsWith("-settings")).findFirst().orElseThrow().path("data").toString();
    }

    private static String env(JsonNode container, String variable) {
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(variable)) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError("no " + variable + " in " + container.path("name").asText());
    }

    private static String env(List<JsonNode> documents, String deployment, String variable) {
        JsonNode found = Chart.ofKind(documents, "Deployment").stream().filter(d -> d.path("metadata").path("name")
                .asText().equals(deployment)).findFirst().orElseThrow();
        return env(found.path("spec").path("template").path("spec").path("containers").get(0), variable);
    }
}
