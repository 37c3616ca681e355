package io.cosellsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.testing.KafkaBroker;
import io.cosellsync.testing.Postgres;
import io.cosellsync.testing.PostgresServer;
import io.cosellsync.testing.TestDatabase;
import io.cosellsync.testing.local.OperatorSignIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The images, started with exactly what the chart gives them: the release is rendered for this machine (Kafka broker,
 * PostgreSQL and the two simulators on loopback ports), the topics hook runs the admin-cli image, then each Deployment
 * becomes a {@code podman run} of its image ({@link PodLaunch}: its environment, Secret references, ConfigMaps as
 * files, user, read-only root, tmpfs, memory limit). Every service must become ready on its readiness probe; an
 * operator signs the tenant in to Partner Center; referrals shared in the simulator reach the services by webhook and
 * must come out as opportunities in the Salesforce simulator. Image sizes and start times are printed.
 * Run by {@code ./mvnw -B verify -Pcontainers -pl deploy/helm} after {@code deploy/images/build.sh}.
 */
class ImagesSmokeIT {

    private static final int BASE = 23000;
    private static final String TAG = "0.1.0";
    private static final String REGISTRY = "ghcr.io/cosell-sync";
    private static final String TENANT = "contoso";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> STARTED = new ArrayList<>();

    @AfterAll
    static void stopAll() {
        STARTED.forEach(Podman::remove);
    }

    @Test
    void theServiceImagesRunTheDemoFlowWithTheChartsSettings() throws Exception {
        Assumptions.assumeTrue(Podman.available(), "deploy/images/build.sh has not run");
        KafkaBroker broker = KafkaBroker.shared();
        PostgresServer database = Postgres.shared();
        for (String schema : List.of("smoke_ingress", "smoke_salesforce_writer", "smoke_partnercenter_writer")) {
            TestDatabase.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Long> readyAfterMs = new LinkedHashMap<>();
        startSimulators(sizes, readyAfterMs);

        Path values = Files.createTempFile("smoke-values", ".yaml");
        Chart.YAML.writeValue(values.toFile(), values(broker.bootstrapServers(), database));
        Map<String, String> secret = Map.of(
                "database-username", database.username(),
                "database-password", database.password(),
                "credential-key", Base64.getEncoder().encodeToString(random(32)),
                "salesforce-contoso-consumer-secret", "contoso-consumer-secret",
                "admin-api-key", Base64.getUrlEncoder().withoutPadding().encodeToString(random(24)));
        List<JsonNode> release = Chart.render("smoke", values);
        release.forEach(Chart::validate);
        Map<String, JsonNode> configMaps = new HashMap<>();
        Chart.ofKind(release, "ConfigMap").forEach(c -> configMaps.put(c.path("metadata").path("name").asText(), c));

        // the pre-install hook: the admin-cli image creates the release's topics
        JsonNode topicsJob = Chart.ofKind(Chart.renderHooks("smoke", values), "Job").get(0);
        String topics = container("topics");
        Podman.run(PodLaunch.arguments(topics, topicsJob, configMaps, secret, null, Map.of()));
        assertEquals("0", Podman.run("wait", topics), () -> Podman.logs(topics));
        sizes.put("admin-cli", Podman.sizeMb(image("admin-cli")));

        Path simulatorCa = Files.createTempDirectory("simulator-ca");
        Files.setPosixFilePermissions(simulatorCa, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, Integer> ports = Map.of("ingress-service", BASE + 80, "mapper-service", BASE + 81,
                "salesforce-writer", BASE + 82, "partnercenter-writer", BASE + 83);
        Map<String, Long> launched = new HashMap<>();
        for (JsonNode deployment : Chart.ofKind(release, "Deployment")) {
            String service = deployment.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
            Map<Path, String> extra = service.equals("ingress-service")
                    ? Map.of(simulatorCa, "/etc/cosell/simulator") : Map.of();
            String name = container(service);
            launched.put(service, System.nanoTime());
            Podman.run(PodLaunch.arguments(name, deployment, configMaps, secret, ports.get(service), extra));
            sizes.put(service, Podman.sizeMb(image(service)));
        }
        for (JsonNode deployment : Chart.ofKind(release, "Deployment")) {
            String service = deployment.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
            String probe = deployment.path("spec").path("template").path("spec").path("containers").get(0)
                    .path("readinessProbe").path("httpGet").path("path").asText();
            awaitOk(service, "http://127.0.0.1:" + ports.get(service) + probe);
            readyAfterMs.put(service, (System.nanoTime() - launched.get(service)) / 1_000_000);
        }

        // an operator signs the tenant in (device code flow through ingress's admin API); the simulator then shares
        // two referrals, whose webhooks reach ingress
        OperatorSignIn.main(new String[] {"http://127.0.0.1:" + (BASE + 80), secret.get("admin-api-key"),
                "http://127.0.0.1:" + (BASE + 90), TENANT + "=integration@contoso.example",
                simulatorCa.resolve("partner-center-ca.pem").toString()});
        // the salesforce-writer counts an upsert the Salesforce simulator applied: an opportunity from a referral
        Awaitility.await("an opportunity written from a shared referral").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get("http://127.0.0.1:" + (BASE + 82) + "/q/metrics").lines().anyMatch(l ->
                        l.startsWith("cosell_salesforce_commands_total{") && l.contains("result=\"applied\"")
                                && !l.endsWith(" 0.0")));

        System.out.println("image                      size (MB)  start → ready (ms)");
        sizes.forEach((service, mb) -> System.out.printf("%-26s %9d  %s%n", service, mb,
                readyAfterMs.containsKey(service) ? readyAfterMs.get(service).toString() : "-"));
    }

    private static void startSimulators(Map<String, Long> sizes, Map<String, Long> readyAfterMs) throws Exception {
        Map<String, List<String>> simulators = new LinkedHashMap<>();
        simulators.put("partner-center-simulator", List.of("QUARKUS_HTTP_PORT=" + (BASE + 90),
                "PARTNER_CENTER_SIM_WEBHOOKS_PORT=" + (BASE + 92)));
        simulators.put("salesforce-simulator", List.of("QUARKUS_HTTP_PORT=" + (BASE + 91),
                "QUARKUS_HTTP_SSL_PORT=" + (BASE + 443), "SALESFORCE_SIM_TLS_DIRECTORY=/tmp/tls"));
        for (var simulator : simulators.entrySet()) {
            List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", container(simulator.getKey()),
                    "--network=host", "--read-only", "--tmpfs=/tmp:rw,size=64m,mode=1777", "--memory=768m",
                    "--env=JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75"));
            simulator.getValue().forEach(e -> args.add("--env=" + e));
            args.add(image(simulator.getKey()));
            long started = System.nanoTime();
            Podman.run(args);
            String port = simulator.getValue().get(0).substring("QUARKUS_HTTP_PORT=".length());
            awaitOk(simulator.getKey(), "http://127.0.0.1:" + port + "/q/health/ready");
            readyAfterMs.put(simulator.getKey(), (System.nanoTime() - started) / 1_000_000);
            sizes.put(simulator.getKey(), Podman.sizeMb(image(simulator.getKey())));
        }
    }

    /** The release's values for this machine: loopback endpoints, one tenant, one replica each, polling Salesforce. */
    private static ObjectNode values(String bootstrap, PostgresServer database) throws IOException {
        String mapping = Files.readString(Path.of("../local/mappings/contoso.yaml"));
        ObjectNode values = (ObjectNode) Chart.YAML.readTree("""
                instance: smoke
                tenants: [contoso]
                image: {registry: %s, tag: "%s", pullPolicy: Never}
                kafka: {bootstrapServers: "%s"}
                database: {host: "%s", port: %d, name: "%s"}
                existingSecret: cosell-smoke
                partnerCenter:
                  authority: http://127.0.0.1:%d
                  apiUrl: http://127.0.0.1:%d
                  registrationUrl: http://127.0.0.1:%d
                  tenants:
                    contoso: {directory: contoso, clientId: 3f9e6c1a-0d4b-4e8f-a2c7-5b1d9e3f7a60}
                salesforce:
                  tenants:
                    contoso:
                      myDomainUrl: http://localhost:%d
                      consumerKey: 3MVG9contosoSimConsumerKey0000000000000000000000000000000000000000000000000000001
                      mode: polling
                admin: {apiKey: {enabled: true}}
                topics: {replicationFactor: 1}
                services:
                  ingress:
                    replicas: 1
                    # the simulator's ways, which the chart's schema rightly refuses for Partner Center (https only):
                    # plain-http webhooks to a loopback address (ingress's public port), certificates from the
                    # simulator's own root
                    env:
                      INGRESS_WEBHOOKS_PUBLIC_URL: http://127.0.0.1:%d
                      INGRESS_WEBHOOKS_PLAIN_HTTP_CERTIFICATE_HOSTS: 127.0.0.1
                      INGRESS_WEBHOOKS_TRUST_ANCHORS: /etc/cosell/simulator/partner-center-ca.pem
                      INGRESS_SALESFORCE_POLL_INTERVAL: 5s
                  mapper: {replicas: 1}
                  salesforceWriter: {replicas: 1}
                  partnercenterWriter: {replicas: 1}
                """.formatted(REGISTRY, TAG, bootstrap, database.host(), database.port(), database.database(),
                BASE + 90, BASE + 90, BASE + 92, BASE + 91, BASE + 88));
        ((ObjectNode) values.putObject("mappings").putObject("inline")).put(TENANT, mapping);
        // -Dsmoke.java-options="…": every service's JVM options instead of the chart's default (to compare starts)
        String javaOptions = System.getProperty("smoke.java-options", "");
        if (!javaOptions.isBlank()) {
            values.path("services").forEach(service -> ((ObjectNode) service).put("javaOptions", javaOptions));
        }
        return values;
    }

    private static void awaitOk(String what, String url) {
        try {
            Awaitility.await(what + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> status(url) == 200);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " did not become ready at " + url + ":\n" + Podman.logs(container(what)),
                    e);
        }
    }

    private static int status(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    private static String container(String what) {
        String name = "cosell-smoke-" + what;
        if (!STARTED.contains(name)) {
            Podman.remove(name);
            STARTED.add(name);
        }
        return name;
    }

    private static String image(String name) {
        return REGISTRY + "/" + name + ":" + TAG;
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }
}
