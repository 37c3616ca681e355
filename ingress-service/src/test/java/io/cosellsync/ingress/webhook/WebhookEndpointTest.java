package io.cosellsync.ingress.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.EventType;
import io.cosellsync.events.Topics;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaBroker;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The webhook endpoint against a real broker: verified notifications reach the topic before the 200; everything
 * refused (signature, tenant, body) publishes nothing.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WebhookAuthority.class)
class WebhookEndpointTest {

    private static final String NOTIFICATIONS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_NOTIFICATIONS;

    private static byte[] body(String event, String referralId) {
        return ("{\"EventName\":\"" + event + "\",\"ResourceUri\":\"https://api.partnercenter.microsoft.com/"
                + "engagements/v1/referrals/" + referralId + "\",\"ResourceName\":\"referral\",\"AuditUri\":null,"
                + "\"ResourceChangeUtcDate\":\"2026-11-24T08:15:30.1234567+00:00\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static RequestSpecification signed(byte[] body) {
        return given().header("Authorization", "Signature " + WebhookAuthority.sign(body))
                .header("X-MS-Certificate-Url", WebhookAuthority.certificateUrl())
                .header("X-MS-Signature-Algorithm", "rsa-sha256")
                .contentType("application/json").body(body);
    }

    private static ValidatableResponse post(RequestSpecification request, String tenant) {
        return request.post("/webhooks/partner-center/" + tenant).then();
    }

    private static ConsumedEvent awaitNotification(String referralId) {
        return KafkaTestClient.shared().await(NOTIFICATIONS, e -> referralId.equals(e.key()), Duration.ofSeconds(30));
    }

    @Test
    void aVerifiedNotificationIsOnKafkaBeforeItIsAnswered() {
        String referralId = UUID.randomUUID().toString();
        Instant before = Instant.now();
        post(signed(body("referral-updated", referralId)), "contoso").statusCode(200);
        ConsumedEvent event = awaitNotification(referralId);
        assertEquals("contoso", event.tenant());
        assertEquals(EventType.REFERRAL_NOTIFICATION.ceType(), event.type());
        assertEquals("2026-11-24T08:15:30.123456700Z", event.event().getExtension("sourceversion"));
        ReferralNotification notification = event.payload(ReferralNotification.class);
        assertEquals("referral-updated", notification.eventName());
        assertEquals(referralId, notification.referralId());
        assertEquals(Instant.parse("2026-11-24T08:15:30.1234567Z"), notification.resourceChangeUtcDate());
        assertTrue(!notification.receivedAt().isBefore(before.minusSeconds(1)));
    }

    @Test
    void theSignatureMayComeInXMsSignatureAndKeysInAnyCasing() {
        String referralId = UUID.randomUUID().toString();
        byte[] body = ("{\"eventName\":\"related-referral-created\",\"resourceUri\":\"https://api.partnercenter."
                + "microsoft.com/engagements/v1/referrals/" + referralId + "\"}").getBytes(StandardCharsets.UTF_8);
        post(given().header("x-ms-signature", "Signature " + WebhookAuthority.sign(body))
                .header("X-MS-Certificate-Url", WebhookAuthority.certificateUrl())
                .header("X-MS-Signature-Algorithm", "rsa-sha256").body(body), "fabrikam").statusCode(200);
        ConsumedEvent event = awaitNotification(referralId);
        assertEquals("fabrikam", event.tenant());
        assertTrue(event.payload(ReferralNotification.class).aboutRelatedReferral());
    }

    @Test
    void refusedCallsAreProblemsAndPublishNothing() {
        String tampered = UUID.randomUUID().toString();
        byte[] original = body("referral-updated", tampered);
        byte[] changed = body("referral-updated", tampered.replace('-', '0'));
        post(given().header("Authorization", "Signature " + WebhookAuthority.sign(original))
                .header("X-MS-Certificate-Url", WebhookAuthority.certificateUrl())
                .header("X-MS-Signature-Algorithm", "rsa-sha256").body(changed), "contoso")
                .statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401)).body("detail", containsString("does not match"));
        String tamperedMs = UUID.randomUUID().toString();
        byte[] originalMs = body("referral-updated", tamperedMs);
        post(given().header("x-ms-signature", "Signature " + WebhookAuthority.sign(originalMs))
                .header("X-MS-Certificate-Url", WebhookAuthority.certificateUrl())
                .header("X-MS-Signature-Algorithm", "rsa-sha256").body(body("referral-created", tamperedMs)),
                "contoso").statusCode(401);
        String unsigned = UUID.randomUUID().toString();
        post(given().header("X-MS-Certificate-Url", WebhookAuthority.certificateUrl())
                .header("X-MS-Signature-Algorithm", "rsa-sha256").body(body("referral-updated", unsigned)), "contoso")
                .statusCode(401);
        String unknownTenant = UUID.randomUUID().toString();
        post(signed(body("referral-updated", unknownTenant)), "northwind").statusCode(404)
                .body("title", equalTo("Unknown tenant"));
        post(signed("{not json".getBytes(StandardCharsets.UTF_8)), "contoso").statusCode(400)
                .body("detail", containsString("not JSON"));
        String unknownEvent = UUID.randomUUID().toString();
        post(signed(body("referral-exploded", unknownEvent)), "contoso").statusCode(400)
                .body("detail", containsString("unknown EventName"));
        post(signed(("{\"EventName\":\"referral-updated\",\"ResourceUri\":\"https://api.partner.microsoft.com/v1.0/"
                + "engagements/referrals\"}").getBytes(StandardCharsets.UTF_8)), "contoso").statusCode(400)
                .body("detail", containsString("ResourceUri"));
        byte[] huge = new byte[70_000];
        java.util.Arrays.fill(huge, (byte) ' ');
        post(signed(huge), "contoso").statusCode(413);

        // a certificate URL off the allow-list is never fetched
        int fetches = WebhookAuthority.fetches();
        String elsewhere = UUID.randomUUID().toString();
        byte[] body = body("referral-updated", elsewhere);
        post(given().header("Authorization", "Signature " + WebhookAuthority.sign(body))
                .header("X-MS-Certificate-Url", "http://localhost:1/cert.cer")
                .header("X-MS-Signature-Algorithm", "rsa-sha256").body(body), "contoso").statusCode(401);
        assertEquals(fetches, WebhookAuthority.fetches());

        // test events are acknowledged and not published
        String test = UUID.randomUUID().toString();
        post(signed(("{\"EventName\":\"test-created\",\"ResourceUri\":\"https://api.partnercenter.microsoft.com/"
                + "webhooks/v1/registration/validationEvents/" + test + "\",\"ResourceName\":\"test\"}")
                .getBytes(StandardCharsets.UTF_8)), "contoso").statusCode(200);

        // a good one sent last; once it is there, none of the refused ones is
        String good = UUID.randomUUID().toString();
        post(signed(body("referral-created", good)), "contoso").statusCode(200);
        awaitNotification(good);
        Set<String> refused = Set.of(tampered, tampered.replace('-', '0'), tamperedMs, unsigned, unknownTenant,
                unknownEvent, elsewhere, test);
        List<String> published = KafkaTestClient.shared().readAll(NOTIFICATIONS).stream().map(ConsumedEvent::key)
                .filter(refused::contains).toList();
        assertEquals(List.of(), published);
    }

    @Test
    void whenTheBrokerDoesNotAcknowledgeTheAnswerIs503AndTheRetryIsStored() {
        // the broker refuses every record of the topic (bigger than it now allows): nothing is acknowledged
        KafkaBroker.shared().configureTopic(NOTIFICATIONS, "max.message.bytes", "64");
        String referralId = UUID.randomUUID().toString();
        byte[] body = body("referral-updated", referralId);
        try {
            post(signed(body), "contoso").statusCode(503).contentType("application/problem+json")
                    .body("title", equalTo("Notification not stored"));
        } finally {
            KafkaBroker.shared().configureTopic(NOTIFICATIONS, "max.message.bytes", null);
        }
        // Partner Center retries the same delivery, and now it is stored before the 200
        post(signed(body), "contoso").statusCode(200);
        assertEquals(referralId, awaitNotification(referralId).payload(ReferralNotification.class).referralId());
    }
}
