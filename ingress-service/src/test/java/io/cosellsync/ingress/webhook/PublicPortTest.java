package io.cosellsync.ingress.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Topics;
import io.cosellsync.ingress.partnercenter.PartnerCenterSimulator;
import io.cosellsync.support.admin.AdminCallsResource;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The public port (what the chart's Ingress routes to): Partner Center's webhooks are taken there exactly as on the
 * service's own port, and nothing else exists on it — every admin endpoint of the service, found by reflection over
 * its JAX-RS resources, is 404 there even with a valid operator's credential, as are health and metrics. A flood
 * from one source is held to the tenant's rate (429 with {@code Retry-After}) while another tenant's calls and the
 * flooded tenant's after the wait go through.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WebhookAuthority.class)
@QuarkusTestResource(PartnerCenterSimulator.class)
class PublicPortTest {

    private static final String NOTIFICATIONS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_NOTIFICATIONS;

    @Inject
    PublicWebhookPort publicPort;

    private RequestSpecification onPublicPort() {
        return given().port(publicPort.port());
    }

    private static byte[] body(String referralId) {
        return ("{\"EventName\":\"referral-updated\",\"ResourceUri\":\"https://api.partnercenter.microsoft.com/"
                + "engagements/v1/referrals/" + referralId + "\",\"ResourceName\":\"referral\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private RequestSpecification signed(RequestSpecification request, byte[] body) {
        return request.header("Authorization", "Signature " + WebhookAuthority.sign(body))
                .header("X-MS-Certificate-Url", WebhookAuthority.certificateUrl())
                .header("X-MS-Signature-Algorithm", "rsa-sha256").contentType("application/json").body(body);
    }

    @Test
    void aVerifiedNotificationOnThePublicPortIsOnKafkaBeforeItIsAnsweredAndRefusalsAreProblems() {
        String referralId = UUID.randomUUID().toString();
        signed(onPublicPort(), body(referralId)).post("/webhooks/partner-center/contoso").then().statusCode(200);
        KafkaTestClient.shared().await(NOTIFICATIONS, e -> referralId.equals(e.key()), Duration.ofSeconds(30));

        onPublicPort().contentType("application/json").body(body(UUID.randomUUID().toString()))
                .post("/webhooks/partner-center/contoso").then().statusCode(401)
                .contentType("application/problem+json");
        signed(onPublicPort(), body(UUID.randomUUID().toString())).post("/webhooks/partner-center/northwind")
                .then().statusCode(404).body("title", equalTo("Unknown tenant"));
        byte[] huge = new byte[70_000];
        java.util.Arrays.fill(huge, (byte) ' ');
        onPublicPort().contentType("application/json").body(huge).post("/webhooks/partner-center/contoso").then()
                .statusCode(413).contentType("application/problem+json");
    }

    /** Every {@code /admin} endpoint of the service, as "METHOD path" with sample values for its parameters. */
    private static List<String> adminEndpoints() throws IOException {
        List<Class<?>> resources = new ArrayList<>(List.of(AdminCallsResource.class));
        java.nio.file.Path classes = Paths.get("target", "classes");
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> type = Class.forName(name, false, PublicPortTest.class.getClassLoader());
                    if (type.isAnnotationPresent(Path.class)) {
                        resources.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // not a class the service loads on its own
                }
            }
        }
        TreeSet<String> endpoints = new TreeSet<>();
        for (Class<?> resource : resources) {
            String base = resource.getAnnotation(Path.class).value();
            if (!base.startsWith("/admin")) {
                continue;
            }
            for (Method m : resource.getDeclaredMethods()) {
                String verb = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST"
                        : m.isAnnotationPresent(PUT.class) ? "PUT" : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                        : m.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
                if (verb != null) {
                    String sub = m.isAnnotationPresent(Path.class) ? "/" + m.getAnnotation(Path.class).value() : "";
                    endpoints.add(verb + " " + (base + sub).replaceAll("/+", "/").replace("{tenant}", "contoso")
                            .replaceAll("\\{[^}]+}", "x"));
                }
            }
        }
        return new ArrayList<>(endpoints);
    }

    @Test
    void noAdminEndpointHealthOrMetricsExistsOnThePublicPort() throws IOException {
        List<String> endpoints = adminEndpoints();
        assertTrue(endpoints.containsAll(List.of("POST /admin/tenants/contoso/partner-center/sign-in",
                "GET /admin/tenants/contoso/partner-center/auth", "POST /admin/tenants/contoso/preflight",
                "GET /admin/tenants/contoso/preflight", "GET /admin/calls")), endpoints.toString());
        String key = "Bearer " + PartnerCenterSimulator.ADMIN_KEY;
        for (String endpoint : endpoints) {
            String verb = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            // on the service's own port it is the admin surface: refused without a credential
            int own = given().request(verb, path).statusCode();
            assertEquals(401, own, endpoint + " on the service's own port");
            // on the public port it does not exist, credential or not
            onPublicPort().header("Authorization", key).request(verb, path).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", containsString("webhooks only"));
            onPublicPort().request(verb, path).then().statusCode(404);
        }
        for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/admin", "//admin/calls",
                "/webhooks/partner-center/contoso/../../admin/calls", "/")) {
            onPublicPort().get(path).then().statusCode(404);
        }
        onPublicPort().get("/webhooks/partner-center/contoso").then().statusCode(404);
    }

    @Test
    void aFloodFromOneSourceIsHeldToTheTenantsRateAndLosesNothingWithinIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI flooded = URI.create("http://localhost:" + publicPort.port() + "/webhooks/partner-center/fabrikam");
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 400).mapToObj(i -> http.sendAsync(
                HttpRequest.newBuilder(flooded).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body(UUID.randomUUID().toString()))).build(),
                HttpResponse.BodyHandlers.ofString())).toList();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            answers.add(call.get());
        }
        List<HttpResponse<String>> limited = answers.stream().filter(a -> a.statusCode() == 429).toList();
        assertFalse(limited.isEmpty(), "400 calls at once exceed 100 a second");
        assertTrue(answers.stream().allMatch(a -> a.statusCode() == 429 || a.statusCode() == 401),
                "unsigned: refused, by the rate or the signature");
        HttpResponse<String> first = limited.get(0);
        assertTrue(Integer.parseInt(first.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertTrue(first.body().contains("\"status\":429"), first.body());

        // another tenant is not held by it
        String other = UUID.randomUUID().toString();
        signed(onPublicPort(), body(other)).post("/webhooks/partner-center/contoso").then().statusCode(200);
        KafkaTestClient.shared().await(NOTIFICATIONS, e -> other.equals(e.key()), Duration.ofSeconds(30));
        // and the flooded tenant's signed call after the wait goes through
        String after = UUID.randomUUID().toString();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                signed(onPublicPort(), body(after)).post("/webhooks/partner-center/fabrikam").statusCode() == 200);
        KafkaTestClient.shared().await(NOTIFICATIONS, e -> after.equals(e.key()), Duration.ofSeconds(30));
    }
}
