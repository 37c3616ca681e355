package io.cosellsync.mapper.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.mapper.config.TenantMappers;
import io.cosellsync.mapper.domain.MappingResult;
import io.cosellsync.mapper.domain.ReferralToOpportunity;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.Samples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Stateless wiring on a real broker: a snapshot in, a command out with the envelope carried over. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class MapperWiringTest {

    private static final String SNAPSHOTS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS;
    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final URI INGRESS = URI.create("/cosell-sync/ingress-service");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    TenantMappers mappers;

    @Test
    void readyWithoutADatabase() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")));
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aReferralSnapshotBecomesAnUpsertCommandWithTheSameKeyTenantAndCorrelation() {
        ReferralSnapshot referral = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);
        Envelope in = Envelope.originating(EventType.REFERRAL_SNAPSHOT, INGRESS, referral.referralId(),
                TenantId.of("fabrikam"), referral.eTag());

        kafka.send(SNAPSHOTS, in, referral);

        ConsumedEvent out = kafka.await(COMMANDS, e -> in.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30));
        assertEquals(referral.referralId(), out.key());
        assertEquals(EventType.UPSERT_OPPORTUNITY.ceType(), out.type());
        assertEquals("fabrikam", out.tenant());
        assertEquals("/cosell-sync/mapper-service", out.event().getSource().toString());
        assertEquals(referral.referralId(), out.event().getSubject());
        assertEquals(referral.eTag(), out.event().getExtension("sourceversion"));
        MappingResult expected = ReferralToOpportunity.map(referral, mappers.of(TenantId.of("fabrikam")));
        assertEquals(((MappingResult.Command) expected).command(), out.payload(UpsertOpportunityCommand.class));
    }

    @Test
    void aReferralThatCannotBeMappedIsDeadLetteredWithTheReasonAndReportedAsFailed() {
        ReferralSnapshot sample = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);
        Details d = sample.details();
        ReferralSnapshot referral = new ReferralSnapshot(UUID.randomUUID().toString(), sample.engagementId(),
                sample.name(), null, sample.organizationId(), sample.status(), sample.substatus(), null,
                sample.type(), sample.qualification(), sample.direction(), sample.createdDateTime(),
                sample.updatedDateTime(), null, null, null, sample.eTag(), sample.customer(), sample.consent(),
                new Details(d.notes(), d.dealValue(), "dollars", d.closingDateTime(), d.solutions(),
                        d.marketplaceIntent()), sample.team(), sample.inviteContext(), null, null);
        Envelope in = Envelope.originating(EventType.REFERRAL_SNAPSHOT, INGRESS, referral.referralId(),
                TenantId.of("contoso"), referral.eTag());

        kafka.send(SNAPSHOTS, in, referral);

        DeadLetter letter = kafka.await(Topics.DEFAULT_PREFIX + Topics.MAPPER_DLQ,
                e -> referral.referralId().equals(e.key()), Duration.ofSeconds(30)).payload(DeadLetter.class);
        assertEquals("UNMAPPABLE_REFERRAL", letter.reasonCode());
        assertEquals("details.currency 'dollars' is not an ISO 4217 currency code", letter.reason());
        assertEquals(SNAPSHOTS, letter.originalTopic());
        SyncOutcome outcome = kafka.await(Topics.DEFAULT_PREFIX + Topics.SYNC_OUTCOMES,
                e -> referral.referralId().equals(e.key()), Duration.ofSeconds(30)).payload(SyncOutcome.class);
        assertEquals(SyncOutcome.Status.FAILED, outcome.status());
        assertEquals(in.id(), outcome.commandId());
        assertEquals("UNMAPPABLE_REFERRAL", outcome.reasonCode());
        assertTrue(kafka.readAll(COMMANDS).stream().noneMatch(e -> referral.referralId().equals(e.key())));
    }

    @Test
    void aRecordWithoutEnvelopeIsDeadLetteredWithItsBodyKept() {
        kafka.sendRaw(SNAPSHOTS, "no-envelope-1", "not even json".getBytes(), Map.of());

        ConsumedEvent dead = kafka.await(Topics.DEFAULT_PREFIX + Topics.MAPPER_DLQ,
                e -> "no-envelope-1".equals(e.key()), Duration.ofSeconds(30));
        DeadLetter letter = dead.payload(DeadLetter.class);
        assertEquals("MALFORMED_EVENT", letter.reasonCode());
        assertEquals("not even json", letter.originalPayload());
        assertEquals(SNAPSHOTS, letter.originalTopic());
    }
}
