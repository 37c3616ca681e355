package io.cosellsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.TopicSpec;
import io.cosellsync.events.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The resources the chart renders for operators a cluster may run — KEDA (ScaledObject on consumer lag), Strimzi
 * (KafkaTopic), the Prometheus Operator (ServiceMonitor, PrometheusRule) — each validated strictly against its own
 * schema, and tied to what the services really do: the consumer groups and topics the KEDA triggers watch are the
 * ones the services' configuration consumes, and the KafkaTopics are the system's topics ({@link Topics#all}).
 */
class OperatorResourcesTest {

    private static final Path FULL = Chart.CI_VALUES.resolve("full-values.yaml");

    @Test
    void aServiceScaledOnLagGetsAScaledObjectCappedAtThePartitionsAndNoFixedCount() {
        List<JsonNode> documents = Chart.render("contoso-prod", FULL);
        List<JsonNode> scaled = Chart.ofKind(documents, "ScaledObject");
        assertEquals(1, scaled.size());
        JsonNode spec = scaled.get(0).path("spec");
        assertEquals("contoso-prod-partnercenter-writer", spec.path("scaleTargetRef").path("name").asText());
        assertEquals(1, spec.path("minReplicaCount").asInt());
        assertEquals(6, spec.path("maxReplicaCount").asInt());
        JsonNode trigger = spec.path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals("contoso-prod.partnercenter-writer", trigger.path("metadata").path("consumerGroup").asText());
        assertEquals("prod.cosell.partnercenter.referral.commands", trigger.path("metadata").path("topic").asText());
        assertEquals("100", trigger.path("metadata").path("lagThreshold").asText());
        assertEquals("cosell-contoso-prod-kafka", trigger.path("authenticationRef").path("name").asText());
        assertEquals(List.of("contoso-prod-salesforce-writer"), Chart.ofKind(documents, "HorizontalPodAutoscaler")
                .stream().map(h -> h.path("spec").path("scaleTargetRef").path("name").asText()).toList());
        for (JsonNode deployment : Chart.ofKind(documents, "Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            boolean autoscaled = name.endsWith("-partnercenter-writer") || name.endsWith("-salesforce-writer");
            assertEquals(!autoscaled, deployment.path("spec").has("replicas"), name);
        }
    }

    @Test
    void theLagTriggersWatchTheGroupsAndTopicsTheServicesConsume() throws IOException {
        Path everyServiceOnLag = Chart.overlay(Chart.CI_VALUES.resolve("minimal-values.yaml"), """
                services:
                  ingress: {autoscaling: {enabled: true, kind: keda, minReplicas: 1, maxReplicas: 6}}
                  mapper: {autoscaling: {enabled: true, kind: keda, minReplicas: 1, maxReplicas: 6}}
                  salesforceWriter: {autoscaling: {enabled: true, kind: keda, minReplicas: 1, maxReplicas: 6}}
                  partnercenterWriter: {autoscaling: {enabled: true, kind: keda, minReplicas: 1, maxReplicas: 6}}
                """);
        List<JsonNode> scaled = Chart.ofKind(Chart.render("contoso", everyServiceOnLag), "ScaledObject");
        assertEquals(4, scaled.size());
        scaled.forEach(Chart::validate);
        for (JsonNode object : scaled) {
            String service = object.path("spec").path("scaleTargetRef").path("name").asText()
                    .substring("contoso-".length());
            Set<String> consumed = consumed(service);
            Set<String> watched = new HashSet<>();
            object.path("spec").path("triggers").forEach(t -> watched.add(t.path("metadata").path("consumerGroup")
                    .asText() + " " + t.path("metadata").path("topic").asText()));
            assertFalse(watched.isEmpty(), service);
            assertTrue(consumed.containsAll(watched), service + " watches " + watched + ", consumes " + consumed);
        }
    }

    @Test
    void strimziTopicsAreTheSystemsTopicsAndReplaceTheHookJob() throws IOException {
        List<JsonNode> topics = Chart.ofKind(Chart.render("contoso-prod", FULL), "KafkaTopic");
        Map<String, JsonNode> byName = new HashMap<>();
        topics.forEach(t -> byName.put(t.path("spec").path("topicName").asText(), t));
        List<TopicSpec> expected = Topics.all("prod.cosell.");
        assertEquals(expected.stream().map(TopicSpec::name).collect(Collectors.toSet()), byName.keySet());
        for (TopicSpec spec : expected) {
            JsonNode topic = byName.get(spec.name());
            assertEquals(spec.partitions(), topic.path("spec").path("partitions").asInt(), spec.name());
            assertEquals(3, topic.path("spec").path("replicas").asInt(), spec.name());
            assertEquals(Long.toString(spec.retention().toMillis()),
                    topic.path("spec").path("config").path("retention.ms").asText(), spec.name());
            assertEquals("shared-kafka", topic.path("metadata").path("labels").path("strimzi.io/cluster").asText());
        }
        assertEquals(List.of(), Chart.ofKind(Chart.renderHooks("contoso-prod", FULL), "Job"));
    }

    @Test
    void theServiceMonitorScrapesEveryServiceOfTheReleaseAndTheRulesWatchItsInstance() {
        List<JsonNode> documents = Chart.render("contoso-prod", FULL);
        JsonNode monitor = Chart.ofKind(documents, "ServiceMonitor").get(0);
        assertEquals("kube-prometheus-stack", monitor.path("metadata").path("labels").path("release").asText());
        JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertEquals("/q/metrics", endpoint.path("path").asText());
        List<JsonNode> services = Chart.ofKind(documents, "Service");
        assertEquals(4, services.size());
        for (JsonNode service : services) {
            JsonNode labels = service.path("metadata").path("labels");
            selector.properties().forEach(l -> assertEquals(l.getValue(), labels.path(l.getKey()),
                    service.path("metadata").path("name").asText()));
            Set<String> ports = new HashSet<>();
            service.path("spec").path("ports").forEach(p -> ports.add(p.path("name").asText()));
            assertTrue(ports.contains(endpoint.path("port").asText()), ports.toString());
        }
        JsonNode rules = Chart.ofKind(documents, "PrometheusRule").get(0).path("spec").path("groups").get(0)
                .path("rules");
        Set<String> alerts = new HashSet<>();
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            alerts.add(alert);
            String expr = rule.path("expr").asText();
            assertTrue(expr.contains("cosell_instance=\"contoso-prod\"") || expr.contains("contoso-prod-"),
                    alert + ": " + expr);
        }
        assertEquals(Set.of("CosellPartnerCenterSignInNeeded", "CosellDeadLetters", "CosellCircuitOpen",
                "CosellConsumerLag", "CosellServiceDown"), alerts);
    }

    @Test
    void eachCustomResourceSchemaRefusesAMisspeltOrMistypedField() {
        List<JsonNode> documents = Chart.render("contoso-prod", FULL);
        for (String kind : List.of("ScaledObject", "ServiceMonitor", "PrometheusRule", "KafkaTopic")) {
            ObjectNode misspelt = (ObjectNode) Chart.ofKind(documents, kind).get(0).deepCopy();
            ((ObjectNode) misspelt.path("spec")).put("replicaz", 2);
            Exception unknown = assertThrows(IllegalArgumentException.class, () -> Chart.validate(misspelt), kind);
            assertTrue(unknown.getMessage().contains("replicaz"), kind + ": " + unknown.getMessage());
        }
        ObjectNode mistyped = (ObjectNode) Chart.ofKind(documents, "ScaledObject").get(0).deepCopy();
        ((ObjectNode) mistyped.path("spec")).put("maxReplicaCount", "six");
        assertThrows(IllegalArgumentException.class, () -> Chart.validate(mistyped));
        ObjectNode badEndpoint = (ObjectNode) Chart.ofKind(documents, "ServiceMonitor").get(0).deepCopy();
        ((ObjectNode) badEndpoint.path("spec").path("endpoints").get(0)).put("prot", "http");
        Exception endpoint = assertThrows(IllegalArgumentException.class, () -> Chart.validate(badEndpoint));
        assertTrue(endpoint.getMessage().contains("prot"), endpoint.getMessage());
        ObjectNode badTopic = (ObjectNode) Chart.ofKind(documents, "KafkaTopic").get(0).deepCopy();
        ((ObjectNode) badTopic.path("spec")).put("partitions", "six");
        assertThrows(IllegalArgumentException.class, () -> Chart.validate(badTopic));
    }

    /** "group topic" pairs a service consumes, read from its application.properties. */
    private static Set<String> consumed(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../..", service, "src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Map<String, String> topicByKey = new HashMap<>();
        Topics.all("contoso.").forEach(t -> topicByKey.put("${cosell.topic." + t.key() + "}", t.name()));
        Set<String> pairs = new HashSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                String channel = key.substring(0, key.length() - ".group.id".length());
                String group = properties.getProperty(key).replace("${cosell.consumer-group-prefix:}", "contoso.");
                String topics = properties.getProperty(channel + ".topic", properties.getProperty(channel + ".topics"));
                for (String topic : topics.split(",")) {
                    pairs.add(group + " " + topicByKey.getOrDefault(topic.trim(), topic.trim()));
                }
            }
        }
        return pairs;
    }
}
