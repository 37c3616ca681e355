package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The webhook model as documented: registration on Partner Center's own host, signed delivery, retries. */
@QuarkusTest
class WebhooksTest extends WebhookTestSupport {

    private static final String REFERRAL_EVENTS_PATH = "/webhooks/v1/registration";
    private static final List<String> REFERRAL_EVENTS = List.of("referral-created", "referral-updated",
            "related-referral-created", "related-referral-updated", "test-created");

    private void register(String tenant, boolean msSignatureHeader) {
        register(tenant, REFERRAL_EVENTS, msSignatureHeader);
    }

    private static String createReferral(String tenant, Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant)).contentType(ContentType.JSON)
                .body(body).post("/v1.0/engagements/referrals").then().statusCode(201).extract().path("id");
    }

    private WebhookReceiver.Call awaitCall(String eventName, String referralId) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.calls().stream()
                .filter(c -> {
                    JsonPath body = new JsonPath(new String(c.body(), StandardCharsets.UTF_8));
                    return eventName.equals(body.getString("EventName"))
                            && body.getString("ResourceUri").endsWith("/" + referralId);
                }).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    @Test
    void oneRegistrationPerPartnerReplacedByPutOnItsOwnHostAndAudience() {
        partnerCenter("contoso").body(Map.of("webhookUrl", receiver.url(), "webhookEvents",
                List.of("referral-created"))).post(REFERRAL_EVENTS_PATH)
                .then().statusCode(200).body("SubscriberId", notNullValue(), "WebhookUrl", equalTo(receiver.url()));
        partnerCenter("contoso").body(Map.of("WebhookUrl", "https://other.example/hook", "WebhookEvents",
                List.of("referral-updated"))).put(REFERRAL_EVENTS_PATH).then().statusCode(200);
        partnerCenter("contoso").get(REFERRAL_EVENTS_PATH).then().statusCode(200)
                .body("WebhookUrl", equalTo("https://other.example/hook"),
                        "WebhookEvents", equalTo(List.of("referral-updated")));
        partnerCenter("fabrikam").get(REFERRAL_EVENTS_PATH).then().statusCode(404);
        partnerCenter("contoso").delete(REFERRAL_EVENTS_PATH).then().statusCode(405);
        partnerCenter("contoso").get(REFERRAL_EVENTS_PATH + "/events").then().statusCode(200)
                .body("$", hasItem("related-referral-updated"));
        partnerCenter("contoso").body(Map.of("WebhookUrl", "not a url", "WebhookEvents", List.of("referral-created")))
                .put(REFERRAL_EVENTS_PATH).then().statusCode(400).body("description", containsString("WebhookUrl"));

        given().baseUri("http://127.0.0.1").port(registrationServer.port())
                .header("Authorization", "Bearer " + TestTokens.admin("contoso")).get(REFERRAL_EVENTS_PATH)
                .then().statusCode(401);
    }

    @Test
    void aCreatedReferralIsNotifiedWithTheDocumentedPayloadSignedByACertificateChainedToTheExportedCa()
            throws Exception {
        register("contoso", false);
        String id = createReferral("contoso", ReferralRequests.coSell("notify me"));

        WebhookReceiver.Call call = awaitCall("referral-created", id);
        JsonPath payload = new JsonPath(new String(call.body(), StandardCharsets.UTF_8));
        assertEquals("https://api.partnercenter.microsoft.com/engagements/v1/referrals/" + id,
                payload.getString("ResourceUri"));
        assertEquals("referral", payload.getString("ResourceName"));
        assertEquals(null, payload.getString("AuditUri"));
        assertNotNull(payload.getString("ResourceChangeUtcDate"));
        assertEquals("rsa-sha256", call.header("X-MS-Signature-Algorithm"));
        verifySignature(call, call.header("Authorization"));
    }

    @Test
    void theSignatureMovesToXMsSignatureWhenRegisteredSo() throws Exception {
        register("fabrikam", true);
        String id = createReferral("fabrikam", ReferralRequests.coSell("ms header"));
        given().header("Authorization", "Bearer " + TestTokens.admin("fabrikam")).contentType(ContentType.JSON)
                .body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "changed")))
                .patch("/v1.0/engagements/referrals/" + id).then().statusCode(204);

        WebhookReceiver.Call call = awaitCall("referral-updated", id);
        assertEquals(null, call.header("Authorization"));
        verifySignature(call, call.header("x-ms-signature"));
    }

    @Test
    void microsoftsSideOfAnEngagementRaisesRelatedReferralEvents() {
        register("contoso", false);
        Map<String, Object> ours = ReferralRequests.coSell("engagement");
        String engagementId = given().header("Authorization", "Bearer " + TestTokens.admin("contoso"))
                .contentType(ContentType.JSON).body(ours).post("/v1.0/engagements/referrals").then()
                .extract().path("engagementId");
        Map<String, Object> forMicrosoft = new java.util.HashMap<>(ours);
        forMicrosoft.put("engagementId", engagementId);
        forMicrosoft.put("target", List.of(Map.of("type", "BusinessProfileLocation", "id", "msft")));
        String msft = createReferral("contoso", forMicrosoft);
        awaitCall("related-referral-created", msft);

        given().contentType(ContentType.JSON).body(Map.of("action", "accept"))
                .post("/_sim/tenants/contoso/referrals/" + msft + "/microsoft").then().statusCode(200);
        awaitCall("related-referral-updated", msft);
    }

    @Test
    void aFailedDeliveryIsRetriedThenDroppedAfterTenAttempts() {
        register("contoso", false);
        receiver.answer(List.of(500, 503), 200);
        String retried = createReferral("contoso", ReferralRequests.coSell("retried"));
        awaitCall("referral-created", retried);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.calls().size() == 3);

        receiver.answer(List.of(), 500);
        int attemptsBefore = given().get("/_sim/webhooks").then().extract().jsonPath().getInt("deliveries.attempted");
        String dropped = createReferral("contoso", ReferralRequests.coSell("dropped"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(1).equals(
                given().get("/_sim/webhooks").then().extract().jsonPath().get("deliveries.dropped")));
        assertEquals(attemptsBefore + 10,
                given().get("/_sim/webhooks").then().extract().jsonPath().getInt("deliveries.attempted"));
        assertTrue(receiver.calls().stream().anyMatch(c -> new String(c.body(), StandardCharsets.UTF_8)
                .contains(dropped)));
    }

    @Test
    void testEventsAreThrottledToTwoPerMinuteAndReportTheirDelivery() {
        register("contoso", false);
        String correlation = partnerCenter("contoso").post(REFERRAL_EVENTS_PATH + "/validationEvents")
                .then().statusCode(200).extract().path("correlationId");
        partnerCenter("contoso").post(REFERRAL_EVENTS_PATH + "/validationEvents").then().statusCode(200);
        partnerCenter("contoso").post(REFERRAL_EVENTS_PATH + "/validationEvents").then().statusCode(429)
                .header("Retry-After", notNullValue());

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> partnerCenter("contoso")
                .get(REFERRAL_EVENTS_PATH + "/validationEvents/" + correlation).then().statusCode(200)
                .body("status", equalTo("completed"), "results[0].responseCode", equalTo(200),
                        "callbackUrl", equalTo(receiver.url())));
        given().post("/_sim/clock/advance?seconds=61").then().statusCode(200);
        partnerCenter("contoso").post(REFERRAL_EVENTS_PATH + "/validationEvents").then().statusCode(200);
    }

    @Test
    void eventsTheTenantDidNotRegisterForAreNotSent() {
        partnerCenter("contoso").body(Map.of("WebhookUrl", receiver.url(), "WebhookEvents",
                List.of("referral-updated"))).post(REFERRAL_EVENTS_PATH).then().statusCode(200);
        createReferral("contoso", ReferralRequests.coSell("quiet"));
        createReferral("fabrikam", ReferralRequests.coSell("other tenant"));
        given().get("/_sim/webhooks").then().body("deliveries.queued", equalTo(null));
        assertEquals(0, receiver.calls().size());
    }

    /** What a receiver does, with the JDK only: chain to the exported CA, check the issuer, verify the body. */
    private static void verifySignature(WebhookReceiver.Call call, String signatureHeader) throws Exception {
        assertTrue(signatureHeader.startsWith("Signature "), signatureHeader);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
                given().get("/_sim/webhooks/ca.pem").then().statusCode(200).extract().asByteArray()));
        X509Certificate signer;
        try (InputStream in = URI.create(call.header("X-MS-Certificate-Url")).toURL().openStream()) {
            signer = (X509Certificate) x509.generateCertificate(in);
        }
        signer.verify(ca.getPublicKey());
        signer.checkValidity();
        assertTrue(signer.getIssuerX500Principal().getName().contains("O=Microsoft Corporation"));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(signer.getPublicKey());
        rsa.update(call.body());
        assertTrue(rsa.verify(Base64.getDecoder().decode(signatureHeader.substring("Signature ".length()))),
                "signature over the raw body");
    }
}
