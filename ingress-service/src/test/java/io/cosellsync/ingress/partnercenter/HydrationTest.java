package io.cosellsync.ingress.partnercenter;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.ingress.partnercenter.hydration.Hydrator;
import io.cosellsync.partnercenter.client.Audience;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
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
import java.time.Instant;
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

    @Inject
    Hydrator hydrator;

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

    /** Every referral of ours (not Microsoft's side of an engagement) in the simulator, with its current eTag. */
    private static Map<String, String> currentETags() {
        JsonPath all = Operator.simulator().get("/_sim/tenants/contoso/referrals").then().statusCode(200).extract()
                .jsonPath();
        Map<String, String> out = new HashMap<>();
        List<Map<String, Object>> referrals = all.getList("$");
        for (Map<String, Object> referral : referrals) {
            if (!"msft".equals(referral.get("organizationId"))) {
                out.put((String) referral.get("id"), (String) referral.get("eTag"));
            }
        }
        return out;
    }

    /** Whether a published version is this eTag (a co-sell snapshot's version also names Microsoft's side). */
    private static boolean isVersion(String published, String eTag) {
        return published != null && (published.equals(eTag) || published.startsWith(eTag + " "));
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

    /** A co-sell referral as a partner creates it (simulator README, referral fields of partner-center-api.md §2). */
    private static Map<String, Object> coSell(String name) {
        return Map.of("name", name, "type", "Shared", "qualification", "SalesQualified",
                "customerProfile", Map.of("name", "Fabrikam Ltd", "address", Map.of("addressLine1", "1 Main St",
                        "city", "Seattle", "state", "WA", "postalCode", "98101", "country", "US"),
                        "size", "251to1000employees", "team", List.of(Map.of("firstName", "Ana", "lastName", "Diaz",
                                "phoneNumber", "+12065550100", "email", "ana.diaz@fabrikam.example"))),
                "consent", Map.of("consentToToShareInfoWithOthers", true, "consentToContact", true,
                        "consentToShareReferralWithMicrosoftSellers", true),
                "details", Map.of("dealValue", 120000, "currency", "USD", "closingDateTime", "2026-03-31T00:00:00Z",
                        "requirements", Map.of("solutions", List.of(Map.of("type", "Name", "id", "SOL-15974-MQF")))),
                "team", List.of(Map.of("firstName", "Sam", "lastName", "Lee", "phoneNumber", "+12065550111",
                        "email", "sam.lee@contoso.example")),
                "inviteContext", Map.of("notes", "Please help with a PoC.", "assistanceRequestCode",
                        "ProofOfConceptOrDemo"),
                "target", List.of(Map.of("type", "SolutionProfile", "id", "SOL-15974-MQF")));
    }

    @Test
    void microsoftsSideOfAnEngagementReachesOurSnapshot() throws Throwable {
        Operator.ensureSignedIn("contoso", Operator.CONTOSO_ADMIN);
        register();
        String token = token(Audience.REFERRALS);
        JsonPath ours = Operator.simulator().header("Authorization", "Bearer " + token)
                .body(coSell("Engagement with Microsoft")).post("/v1.0/engagements/referrals").then().statusCode(201)
                .extract().jsonPath();
        Map<String, Object> forMicrosoft = new HashMap<>(coSell("Engagement with Microsoft"));
        forMicrosoft.put("engagementId", ours.getString("engagementId"));
        forMicrosoft.put("target", List.of(Map.of("type", "BusinessProfileLocation", "id", "msft")));
        String theirs = Operator.simulator().header("Authorization", "Bearer " + token).body(forMicrosoft)
                .post("/v1.0/engagements/referrals").then().statusCode(201).extract().path("id");
        // Microsoft accepts on its side and records its CRM id: a related-referral-updated webhook
        Operator.simulator().body(Map.of("action", "accept", "microsoftMsxId", "MSX-0042"))
                .post("/_sim/tenants/contoso/referrals/" + theirs + "/microsoft").then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ReferralSnapshot> snapshots = KafkaTestClient.shared().readAll(SNAPSHOTS).stream()
                    .filter(e -> ours.getString("id").equals(e.key()))
                    .map(e -> e.payload(ReferralSnapshot.class)).toList();
            assertTrue(snapshots.stream().anyMatch(r -> "MSX-0042".equals(r.microsoftCrmId())),
                    "our referral's snapshot carries Microsoft's CRM id: " + snapshots);
        });
        assertTrue(KafkaTestClient.shared().readAll(SNAPSHOTS).stream().noneMatch(e -> theirs.equals(e.key())),
                "Microsoft's side is never published as a referral of ours");

        // a notification about Microsoft's side costs two calls: its referral (for the engagement), the engagement
        double calls = partnerCenterCalls();
        Hydrator.Outcome outcome = VertxContextSupport.subscribeAndAwait(() -> hydrator.hydrate(CONTOSO,
                new ReferralNotification("related-referral-updated", theirs, "https://api.partnercenter.microsoft.com"
                        + "/engagements/v1/referrals/" + theirs, Instant.now(), Instant.now())));
        assertEquals(Hydrator.Outcome.UNCHANGED, outcome, "already published as it is");
        assertEquals(calls + 2, partnerCenterCalls());
    }

    /** The Referrals API calls this ingress made for contoso, from its metrics. */
    private static double partnerCenterCalls() {
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(
                "cosell_partnercenter_calls_total{") && l.contains("tenant=\"contoso\"")).mapToDouble(l ->
                        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
        given().get("/q/health/well").then().body("checks.find { it.name == 'partner-center-auth' }.data.contoso",
                org.hamcrest.Matchers.equalTo("REJECTED"));

        Operator.signIn("contoso", Operator.CONTOSO_ADMIN);
        Map<String, String> expected = currentETags();
        assertEquals(before.size() + 5, expected.size());
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> last = lastSnapshots();
            for (String id : expected.keySet()) {
                if (!before.containsKey(id)) {
                    assertTrue(isVersion(last.get(id), expected.get(id)), "referral " + id
                            + " created while signed out");
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
                                .filter(e -> !isVersion(last.get(e.getKey()), e.getValue()))
                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                        assertEquals(Map.of(), wrong, "referrals whose last snapshot is not the newest version");
                    });
            ConsumedEvent renamed = KafkaTestClient.shared().readAll(SNAPSHOTS).stream()
                    .filter(e -> e.key().equals(ids.get(0)) && isVersion((String) e.event().getExtension(
                            "sourceversion"), expected.get(ids.get(0)))).findFirst().orElseThrow();
            ReferralSnapshot snapshot = renamed.payload(ReferralSnapshot.class);
            assertEquals("Renamed 3", snapshot.name());
            assertTrue(snapshot.updatedDateTime() != null && snapshot.customer() != null);
        } finally {
            Operator.simulator().body(Map.of()).put("/_sim/tenants/contoso/faults").then().statusCode(200);
        }
    }
}
