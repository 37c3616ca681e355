package io.cosellsync.ingress;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.ingress.messaging.ReferralSnapshotPublisher;
import io.cosellsync.ingress.messaging.ReferralSnapshotPublisher.Result;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.Samples;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A snapshot published by ingress reaches the topic with its envelope, and its version is remembered. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class IngressWiringTest {

    private static final String SNAPSHOTS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS;
    private static final TenantId CONTOSO = TenantId.of("contoso");

    @Inject
    ReferralSnapshotPublisher publisher;

    @Test
    void readyOnceBrokerAndSchemaAreThere() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void aReferralIsPublishedOncePerVersion() throws Throwable {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM ingress.published_version") >= 0);
        ReferralSnapshot v1 = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);
        ReferralSnapshot v2 = withETag(v1, "\"v2-etag\"");

        assertEquals(Result.PUBLISHED, publish(v1));
        assertEquals(Result.UNCHANGED, publish(v1));
        assertEquals(Result.PUBLISHED, publish(v2));

        KafkaTestClient kafka = KafkaTestClient.shared();
        ConsumedEvent latest = kafka.await(SNAPSHOTS, e -> v2.eTag().equals(e.event().getExtension("sourceversion")),
                Duration.ofSeconds(30));
        assertEquals(v1.referralId(), latest.key());
        assertEquals("contoso", latest.tenant());
        assertEquals(EventType.REFERRAL_SNAPSHOT.ceType(), latest.type());
        assertEquals("/cosell-sync/ingress-service", latest.event().getSource().toString());
        assertEquals(v2, latest.payload(ReferralSnapshot.class));
        List<ConsumedEvent> ofThisReferral = kafka.readAll(SNAPSHOTS).stream()
                .filter(e -> v1.referralId().equals(e.key()) && "contoso".equals(e.tenant())).toList();
        assertEquals(2, ofThisReferral.size(), "the unchanged version must not be published again");
        assertEquals(v2.eTag(), TestDatabase.query("SELECT source_version FROM ingress.published_version"
                + " WHERE tenant_id = 'contoso' AND source = 'partner-center' AND record_id = ?", v1.referralId()));
    }

    @Test
    void aTenantNotServedHereIsRefused() {
        ReferralSnapshot referral = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);
        assertThrows(IllegalArgumentException.class, () -> VertxContextSupport.subscribeAndAwait(
                () -> publisher.publish(TenantId.of("northwind"), referral)));
    }

    private Result publish(ReferralSnapshot referral) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> publisher.publish(CONTOSO, referral));
    }

    private static ReferralSnapshot withETag(ReferralSnapshot r, String eTag) {
        return new ReferralSnapshot(r.referralId(), r.engagementId(), r.name(), r.externalReferenceId(),
                r.organizationId(), r.status(), r.substatus(), r.statusReason(), r.type(), r.qualification(),
                r.direction(), r.createdDateTime(), r.updatedDateTime(), r.expirationDateTime(), r.acceptedDateTime(),
                r.closedDateTime(), eTag, r.customer(), r.consent(), r.details(), r.team(), r.inviteContext(),
                r.microsoftCrmId(), r.referralLink());
    }
}
