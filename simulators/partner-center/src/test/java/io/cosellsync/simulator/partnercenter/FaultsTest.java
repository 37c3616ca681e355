package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.simulator.partnercenter.faults.Fault;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Each fault, switched on for one tenant, does what it says, leaves other tenants alone and is counted. */
@QuarkusTest
class FaultsTest extends WebhookTestSupport {

    private static final String REFERRALS = "/v1.0/engagements/referrals";

    @TestHTTPResource(REFERRALS)
    URI referrals;

    private static void faults(String tenant, Map<String, Object> values) {
        given().contentType(ContentType.JSON).body(values).put("/_sim/tenants/" + tenant + "/faults")
                .then().statusCode(200);
    }

    private static long injected(String tenant, Fault fault) {
        Integer count = given().get("/_sim/tenants/" + tenant + "/faults").then().extract().jsonPath()
                .get("injected." + fault.name());
        return count == null ? 0 : count;
    }

    private static int list(String token) {
        return given().header("Authorization", "Bearer " + token).get(REFERRALS).statusCode();
    }

    private static String create(String token, String name) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(ReferralRequests.coSell(name)).post(REFERRALS).then().statusCode(201).extract().path("id");
    }

    private void registerWebhooks(String tenant) {
        register(tenant, List.of("referral-created", "referral-updated"), false);
    }

    private List<String> deliveredNames() {
        return receiver.calls().stream().map(c -> new JsonPath(new String(c.body(), StandardCharsets.UTF_8))
                .getString("ResourceUri")).toList();
    }

    @Test
    @InjectsFault(Fault.LATENCY)
    void latencyDelaysEveryCall() {
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("LATENCY", 400));
        long started = System.nanoTime();
        assertEquals(200, list(token));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 400);
        assertEquals(1, injected("contoso", Fault.LATENCY));
    }

    @Test
    @InjectsFault(Fault.LATENCY)
    void aHeldCreateIsListedAndActedOnAfterItsCallerGaveUp() throws Exception {
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("LATENCY", 1500));
        String name = "Held " + System.nanoTime();
        HttpRequest post = HttpRequest.newBuilder(referrals).timeout(Duration.ofMillis(300))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(
                        ReferralRequests.coSell(name)))).build();
        CompletableFuture<HttpResponse<Void>> call = HttpClient.newHttpClient().sendAsync(post,
                HttpResponse.BodyHandlers.discarding());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> given()
                .get("/_sim/tenants/contoso/faults/held-creates").then().statusCode(200).extract().jsonPath()
                .getList("name").contains(name));
        ExecutionException gaveUp = assertThrows(ExecutionException.class, call::get);
        assertInstanceOf(HttpTimeoutException.class, gaveUp.getCause());
        // Partner Center acts on the create although nobody waits for the answer any more
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> given().get("/_sim/tenants/contoso/referrals")
                .then().extract().jsonPath().getList("name").contains(name));
        given().get("/_sim/tenants/contoso/faults/held-creates").then().body("size()", equalTo(0));
        faults("contoso", Map.of());
    }

    @Test
    @InjectsFault(Fault.SERVER_ERROR)
    void serverErrorsAnswer503ForTheFaultyTenantOnly() {
        String contoso = TestTokens.admin("contoso");
        String fabrikam = TestTokens.admin("fabrikam");
        faults("contoso", Map.of("SERVER_ERROR", 1.0));
        assertEquals(503, list(contoso));
        assertEquals(200, list(fabrikam));
        assertEquals(1, injected("contoso", Fault.SERVER_ERROR));
    }

    @Test
    @InjectsFault(Fault.THROTTLE)
    void throttlingAnswers429WithRetryAfter() {
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("THROTTLE", 1.0));
        given().header("Authorization", "Bearer " + token).get(REFERRALS).then().statusCode(429)
                .header("Retry-After", "2");
        faults("contoso", Map.of("THROTTLE", 0.0));
        assertEquals(200, list(token));
        assertEquals(1, injected("contoso", Fault.THROTTLE));
    }

    @Test
    @InjectsFault(Fault.WEBHOOK_DROP)
    void droppedWebhooksAreNeverSent() {
        registerWebhooks("contoso");
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("WEBHOOK_DROP", 1.0));
        create(token, "dropped");
        faults("contoso", Map.of());
        String sent = create(token, "sent");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deliveredNames().size() == 1);
        assertTrue(deliveredNames().get(0).endsWith(sent));
        assertEquals(1, injected("contoso", Fault.WEBHOOK_DROP));
    }

    @Test
    @InjectsFault(Fault.WEBHOOK_DUPLICATE)
    void duplicatedWebhooksArriveTwice() {
        registerWebhooks("contoso");
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("WEBHOOK_DUPLICATE", 1.0));
        String id = create(token, "twice");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deliveredNames().size() == 2);
        assertTrue(deliveredNames().stream().allMatch(uri -> uri.endsWith(id)));
        assertEquals(1, injected("contoso", Fault.WEBHOOK_DUPLICATE));
    }

    @Test
    @InjectsFault(Fault.WEBHOOK_REORDER)
    void aHeldBackWebhookIsOvertakenByTheNextOne() {
        registerWebhooks("contoso");
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("WEBHOOK_REORDER", 1.0));
        String first = create(token, "first");
        faults("contoso", Map.of());
        String second = create(token, "second");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deliveredNames().size() == 2);
        assertTrue(deliveredNames().get(0).endsWith(second));
        assertTrue(deliveredNames().get(1).endsWith(first));
        assertEquals(1, injected("contoso", Fault.WEBHOOK_REORDER));
    }

    @Test
    @InjectsFault(Fault.ACCESS_TOKEN_REVOCATION)
    void validAccessTokensAreRefusedAsIfRevoked() {
        String token = TestTokens.admin("contoso");
        faults("contoso", Map.of("ACCESS_TOKEN_REVOCATION", 1.0));
        assertEquals(401, list(token));
        assertEquals(1, injected("contoso", Fault.ACCESS_TOKEN_REVOCATION));
    }

    @Test
    @InjectsFault(Fault.REFRESH_TOKEN_REVOCATION)
    void refreshTokensAreRefusedAsIfRevoked() {
        String refresh = TestTokens.delegated("contoso", TestTokens.user("contoso", "integration"))
                .getString("refresh_token");
        faults("contoso", Map.of("REFRESH_TOKEN_REVOCATION", 1.0));
        given().formParam("grant_type", "refresh_token").formParam("client_id", TestTokens.clientId("contoso"))
                .formParam("refresh_token", refresh).formParam("scope", TestTokens.REFERRALS_SCOPE)
                .post("/contoso/oauth2/v2.0/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        assertEquals(1, injected("contoso", Fault.REFRESH_TOKEN_REVOCATION));
    }

    @Test
    @InjectsFault(Fault.ETAG_CHURN)
    void aReadersETagIsStaleBecauseMicrosoftEditedInBetween() {
        String token = TestTokens.admin("contoso");
        String id = create(token, "churn");
        faults("contoso", Map.of("ETAG_CHURN", 1.0));
        String eTag = given().header("Authorization", "Bearer " + token).get(REFERRALS + "/" + id).then()
                .statusCode(200).extract().path("eTag");
        faults("contoso", Map.of());
        given().header("Authorization", "Bearer " + token).header("If-Match", eTag).contentType(ContentType.JSON)
                .body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "mine")))
                .patch(REFERRALS + "/" + id).then().statusCode(412);
        assertEquals(1, injected("contoso", Fault.ETAG_CHURN));
    }

    @Test
    void badFaultSettingsAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("THROTTLE", 2.0)).put("/_sim/tenants/contoso/faults")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("GREMLINS", 1.0)).put("/_sim/tenants/contoso/faults")
                .then().statusCode(400);
    }
}
