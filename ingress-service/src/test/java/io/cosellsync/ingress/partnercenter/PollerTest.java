package io.cosellsync.ingress.partnercenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.partnercenter.client.Audience;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.ingress.partnercenter.polling.Poller;
import io.cosellsync.ingress.webhook.WebhookAuthority;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Reconciliation against the simulator: the backfill of open referrals, and referrals whose webhooks were lost. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WebhookAuthority.class)
@QuarkusTestResource(PartnerCenterSimulator.class)
class PollerTest {

    private static final String SNAPSHOTS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS;

    @Inject
    Poller poller;

    @Inject
    PartnerCenterTokens tokens;

    private Poller.Run poll(String tenant) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> poller.run(TenantId.of(tenant)));
    }

    private String token(String tenant) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> tokens.accessToken(TenantId.of(tenant),
                Audience.REFERRALS));
    }

    /** The tenant's own referrals in the simulator (not Microsoft's side of an engagement). */
    private static Map<String, Map<String, Object>> referrals(String tenant) {
        List<Map<String, Object>> all = Operator.simulator().get("/_sim/tenants/" + tenant + "/referrals").then()
                .statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(r -> !"msft".equals(r.get("organizationId")))
                .collect(Collectors.toMap(r -> (String) r.get("id"), r -> r));
    }

    private static Map<String, List<String>> snapshotVersions(String tenant) {
        Map<String, List<String>> out = new HashMap<>();
        for (ConsumedEvent e : KafkaTestClient.shared().readAll(SNAPSHOTS)) {
            if (tenant.equals(e.tenant())) {
                out.computeIfAbsent(e.key(), k -> new java.util.ArrayList<>())
                        .add((String) e.event().getExtension("sourceversion"));
            }
        }
        return out;
    }

    @Test
    void theFirstRunBackfillsExactlyTheOpenReferrals() throws Throwable {
        Operator.ensureSignedIn("fabrikam", Operator.FABRIKAM_ADMIN);
        Operator.simulator().post("/_sim/tenants/fabrikam/seed?count=1200").then().statusCode(200);
        String token = token("fabrikam");
        List<String> ids = List.copyOf(referrals("fabrikam").keySet());
        for (String id : ids.subList(0, 200)) {
            Operator.simulator().header("Authorization", "Bearer " + token)
                    .body(List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                            Map.of("op", "replace", "path", "/substatus", "value", "Won")))
                    .patch("/v1.0/engagements/referrals/" + id).then().statusCode(204);
        }
        Set<String> open = referrals("fabrikam").values().stream()
                .filter(r -> !"Closed".equals(r.get("status"))).map(r -> (String) r.get("id"))
                .collect(Collectors.toSet());
        assertEquals(1000, open.size());

        Poller.Run run = poll("fabrikam");
        assertTrue(run.backfill());
        assertEquals(1000, run.read());
        assertEquals(1000, run.published());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> snapshotVersions("fabrikam").size() >= 1000);
        Map<String, List<String>> published = snapshotVersions("fabrikam");
        assertEquals(open, published.keySet());
        assertTrue(published.values().stream().allMatch(v -> v.size() == 1), "each open referral exactly once");

        // the next run finds nothing new
        Poller.Run again = poll("fabrikam");
        assertFalse(again.backfill());
        assertEquals(0, again.published());
    }

    @Test
    void referralsWhoseWebhooksWereDroppedArriveThroughTheNextRunDespiteThrottling() throws Throwable {
        Operator.ensureSignedIn("contoso", Operator.CONTOSO_ADMIN);
        poll("contoso");
        // every webhook lost
        Operator.simulator().body(Map.of("WEBHOOK_DROP", 1.0)).put("/_sim/tenants/contoso/faults")
                .then().statusCode(200);
        try {
            Set<String> before = referrals("contoso").keySet();
            Operator.simulator().post("/_sim/tenants/contoso/seed?count=5").then().statusCode(200);
            String token = token("contoso");
            // an edit to a referral published earlier (when other tests left some), else to a new one
            String edited = (before.isEmpty() ? referrals("contoso").keySet() : before).iterator().next();
            Operator.simulator().header("Authorization", "Bearer " + token)
                    .body(List.of(Map.of("op", "replace", "path", "/name", "value", "Edited while webhooks were lost")))
                    .patch("/v1.0/engagements/referrals/" + edited).then().statusCode(204);
            // and, while ingress polls, one Partner Center call in five throttled (429, Retry-After: 2); not before,
            // or the test's own edit above may be the one throttled
            Operator.simulator().body(Map.of("WEBHOOK_DROP", 1.0, "THROTTLE", 0.2))
                    .put("/_sim/tenants/contoso/faults").then().statusCode(200);

            Poller.Run run = poll("contoso");
            assertFalse(run.backfill());
            assertEquals(before.isEmpty() ? 5 : 6, run.published(), "5 new referrals and the edit: " + run);
            Map<String, Map<String, Object>> now = referrals("contoso");
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, List<String>> published = snapshotVersions("contoso");
                for (Map.Entry<String, Map<String, Object>> referral : now.entrySet()) {
                    List<String> versions = published.get(referral.getKey());
                    String eTag = (String) referral.getValue().get("eTag");
                    String last = versions == null ? null : versions.get(versions.size() - 1);
                    // a co-sell snapshot's version also names Microsoft's side: "<ours> <theirs>"
                    assertTrue(last != null && (last.equals(eTag) || last.startsWith(eTag + " ")),
                            "newest version of " + referral.getKey());
                }
            });
        } finally {
            Operator.simulator().body(Map.of()).put("/_sim/tenants/contoso/faults").then().statusCode(200);
        }
    }

    @Test
    void operatorsCanReconcileNowOnTheLeader() {
        Operator.ensureSignedIn("contoso", Operator.CONTOSO_ADMIN);
        Operator.admin().post("/admin/tenants/contoso/partner-center/poll").then().statusCode(200)
                .body("watermark", org.hamcrest.Matchers.notNullValue());
        io.restassured.RestAssured.given().post("/admin/tenants/contoso/partner-center/poll").then().statusCode(401);
        Operator.admin().post("/admin/tenants/northwind/partner-center/poll").then().statusCode(404);
        io.restassured.RestAssured.given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "cosell_ingress_leader{tenant=\"contoso\"} 1.0"));
    }
}
