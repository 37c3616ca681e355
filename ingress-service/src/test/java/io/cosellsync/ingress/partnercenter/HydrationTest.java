package io.cosellsync.ingress.partnercenter;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.ingress.partnercenter.auth.Audience;
import io.cosellsync.ingress.partnercenter.auth.PartnerCenterTokens;
import io.cosellsync.ingress.webhook.WebhookAuthority;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Partner Center → snapshots end to end, against the real simulator sending signed webhooks to this ingress:
 * with duplicated and reordered deliveries, the snapshot topic ends with the newest version of every referral.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WebhookAuthority.class)
@QuarkusTestResource(PartnerCenterSimulator.class)
class HydrationTest {

    private static final String SNAPSHOTS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS;
    private static final TenantId CONTOSO = TenantId.of("contoso");

    @TestHTTPResource("/webhooks/partner-center/contoso")
    URL webhook;

    @Inject
    PartnerCenterTokens tokens;

    private String token(Audience audience) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> tokens.accessToken(CONTOSO, audience));
    }

    private void register() throws Throwable {
        given().baseUri(PartnerCenterSimulator.registrationUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token(Audience.WEBHOOK_REGISTRATION))
                .body(Map.of("WebhookUrl", webhook.toString(), "WebhookEvents", List.of("referral-created",
                        "referral-updated", "related-referral-created", "related-referral-updated")))
                .put("/webhooks/v1/registration").then().statusCode(200);
    }

    /** Every referral of the tenant in the simulator, with its current eTag. */
    private static Map<String, String> currentETags() {
        JsonPath all = Operator.simulator().get("/_sim/tenants/contoso/referrals").then().statusCode(200).extract()
                .jsonPath();
        Map<String, String> out = new HashMap<>();
        List<Map<String, Object>> referrals = all.getList("$");
        for (Map<String, Object> referral : referrals) {
            out.put((String) referral.get("id"), (String) referral.get("eTag"));
        }
        return out;
    }

    /** The last snapshot published per referral (its eTag), in topic order. */
    private static Map<String, String> lastSnapshots() {
        Map<String, String> last = new HashMap<>();
        for (ConsumedEvent event : KafkaTestClient.shared().readAll(SNAPSHOTS)) {
            if ("contoso".equals(event.tenant())) {
                last.put(event.key(), (String) event.event().getExtension("sourceversion"));
            }
        }
        return last;
    }

    @Test
    void aRefreshTokenRevokedMidBurstLosesNothingAndRecoversAfterANewSignIn() throws Throwable {
        Operator.ensureSignedIn("contoso", Operator.CONTOSO_ADMIN);
        register();
        Map<String, String> before = currentETags();
        // Entra revokes the operator's tokens; the next refresh is refused
        Operator.simulator().body(Map.of("refreshTokensOf", Operator.CONTOSO_ADMIN))
                .post("/_sim/tenants/contoso/revocations").then().statusCode(200);
        Operator.simulator().body(Map.of("user", Operator.CONTOSO_ADMIN)).post("/_sim/tenants/contoso/revocations")
                .then().statusCode(200);
        Operator.simulator().post("/_sim/tenants/contoso/seed?count=5").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "REJECTED".equals(Operator.state("contoso")));
        given().get("/q/health/ready").then().body("checks.find { it.name == 'partner-center-auth' }.data.contoso",
                org.hamcrest.Matchers.equalTo("REJECTED"));

        Operator.signIn("contoso", Operator.CONTOSO_ADMIN);
        Map<String, String> expected = currentETags();
        assertEquals(before.size() + 5, expected.size());
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> last = lastSnapshots();
            for (String id : expected.keySet()) {
                if (!before.containsKey(id)) {
                    assertEquals(expected.get(id), last.get(id), "referral " + id + " created while signed out");
                }
            }
        });
    }

    @Test
    void duplicatedAndReorderedWebhooksEndWithTheNewestVersionOfEveryReferral() throws Throwable {
        Operator.ensureSignedIn("contoso", Operator.CONTOSO_ADMIN);
        register();
        Operator.simulator().body(Map.of("WEBHOOK_DUPLICATE", 0.5, "WEBHOOK_REORDER", 0.5))
                .put("/_sim/tenants/contoso/faults").then().statusCode(200);
        try {
            Operator.simulator().post("/_sim/tenants/contoso/seed?count=20").then().statusCode(200);
            List<String> ids = List.copyOf(currentETags().keySet());
            // bursts of edits: each referral renamed three times in quick succession
            String token = token(Audience.REFERRALS);
            for (String id : ids.subList(0, 8)) {
                for (int i = 1; i <= 3; i++) {
                    Operator.simulator().header("Authorization", "Bearer " + token)
                            .body(List.of(Map.of("op", "replace", "path", "/name", "value", "Renamed " + i)))
                            .patch("/v1.0/engagements/referrals/" + id).then().statusCode(204);
                }
            }
            Map<String, String> expected = currentETags();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        Map<String, String> last = lastSnapshots();
                        Map<String, String> wrong = expected.entrySet().stream()
                                .filter(e -> !e.getValue().equals(last.get(e.getKey())))
                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                        assertEquals(Map.of(), wrong, "referrals whose last snapshot is not the newest version");
                    });
            ConsumedEvent renamed = KafkaTestClient.shared().readAll(SNAPSHOTS).stream()
                    .filter(e -> e.key().equals(ids.get(0)) && expected.get(ids.get(0)).equals(
                            e.event().getExtension("sourceversion"))).findFirst().orElseThrow();
            ReferralSnapshot snapshot = renamed.payload(ReferralSnapshot.class);
            assertEquals("Renamed 3", snapshot.name());
            assertTrue(snapshot.updatedDateTime() != null && snapshot.customer() != null);
        } finally {
            Operator.simulator().body(Map.of()).put("/_sim/tenants/contoso/faults").then().statusCode(200);
        }
    }
}
