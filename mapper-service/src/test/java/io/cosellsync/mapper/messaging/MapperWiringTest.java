package io.cosellsync.mapper.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.events.salesforce.SObjectRecord;
import io.cosellsync.mapper.domain.OpportunityToReferral;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Stateless wiring on a real broker, both ways: a snapshot in, a command (or a report) out with the envelope carried over. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class MapperWiringTest {

    private static final String SNAPSHOTS = Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS;
    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final String OPPORTUNITIES = Topics.DEFAULT_PREFIX + Topics.OPPORTUNITY_SNAPSHOTS;
    private static final String REFERRAL_COMMANDS = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS;
    private static final URI INGRESS = URI.create("/cosell-sync/ingress-service");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    TenantMappers mappers;

    @Test
    void readyWithoutADatabase() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")));
        // every metric carries the installation's name (cosell.instance)
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "jvm_threads_live_threads{cosell_instance=\"mapper-test\"}"));
    }

    @Test
    void aReferralSnapshotBecomesAnUpsertCommandWithTheSameKeyTenantAndCorrelation() {
        ReferralSnapshot referral = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);
        // first contoso's, same key (so read first): contoso gives Salesforce no value that goes to Partner Center
        Envelope contoso = Envelope.originating(EventType.REFERRAL_SNAPSHOT, INGRESS, referral.referralId(),
                TenantId.of("contoso"), referral.eTag());
        Envelope in = Envelope.originating(EventType.REFERRAL_SNAPSHOT, INGRESS, referral.referralId(),
                TenantId.of("fabrikam"), referral.eTag());

        kafka.send(SNAPSHOTS, contoso, referral);
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

        // fabrikam's sellers own the name and close date: Partner Center's changes of them are set back
        ConsumedEvent restore = kafka.await(REFERRAL_COMMANDS, e -> in.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30));
        UpdateReferralCommand command = restore.payload(UpdateReferralCommand.class);
        assertTrue(command.restoreSalesforceOwned());
        assertEquals(referral.referralId(), command.referralId());
        String ours = ReferralToOpportunity.ourOpportunity(referral);
        assertEquals(ours, command.opportunityId());
        assertEquals(ours != null ? ours : referral.referralId(), restore.key());
        assertTrue(kafka.readAll(REFERRAL_COMMANDS).stream().noneMatch(e -> contoso.correlationId().equals(
                e.correlationId())), "nothing for contoso's referral");
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

    /** The sample opportunity of contoso as a new synced co-sell deal, under a fresh id, with these solutions. */
    private static OpportunitySnapshot syncedOpportunity(String id, boolean withSolution) {
        OpportunitySnapshot sample = Samples.sample(EventType.OPPORTUNITY_SNAPSHOT, OpportunitySnapshot.class);
        Map<String, Object> fields = new HashMap<>(sample.opportunity().fields());
        fields.put("Sync_with_Partner_Center__c", true);
        fields.put("Referral_Identifier__c", null);
        fields.put("StageName", "Prospecting");
        fields.put("IsClosed", false);
        // contoso's picklist values (the sample carries Partner Center's codes)
        fields.put("How_can_Microsoft_help__c", "Proof of concept or demo");
        fields.put("Customer_Marketplace_Intent__c", "Have not decided");
        return new OpportunitySnapshot(new SObjectRecord(id, fields), sample.systemModstamp(),
                sample.lastModifiedById(), sample.account(), sample.contactRoles(),
                withSolution ? sample.solutions() : List.of(), sample.team(), sample.notes());
    }

    @Test
    void anOpportunitySnapshotBecomesACreateCommandKeyedByTheOpportunity() {
        String id = "006" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        OpportunitySnapshot snapshot = syncedOpportunity(id, true);
        Envelope in = Envelope.originating(EventType.OPPORTUNITY_SNAPSHOT, INGRESS, id, TenantId.of("contoso"),
                "sha256:1");

        kafka.send(OPPORTUNITIES, in, snapshot);

        ConsumedEvent out = kafka.await(REFERRAL_COMMANDS, e -> in.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30));
        assertEquals(id, out.key());
        assertEquals(EventType.CREATE_REFERRAL.ceType(), out.type());
        OpportunityToReferral.Create expected = (OpportunityToReferral.Create) OpportunityToReferral.plan(snapshot,
                mappers.of(TenantId.of("contoso")));
        assertEquals(expected.command(), out.payload(CreateReferralCommand.class));
    }

    @Test
    void anOpportunityTheSellerMustFixIsReportedOnItWithoutAnyPartnerCenterCommand() {
        String id = "006" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        OpportunitySnapshot noSolution = syncedOpportunity(id, false);
        Envelope in = Envelope.originating(EventType.OPPORTUNITY_SNAPSHOT, INGRESS, id, TenantId.of("contoso"),
                "sha256:2");

        kafka.send(OPPORTUNITIES, in, noSolution);

        SyncOutcome outcome = kafka.await(Topics.DEFAULT_PREFIX + Topics.SYNC_OUTCOMES,
                e -> in.correlationId().equals(e.correlationId()), Duration.ofSeconds(30)).payload(SyncOutcome.class);
        assertEquals(SyncOutcome.Status.FAILED, outcome.status());
        assertEquals("PREFLIGHT_FAILED", outcome.reasonCode());
        assertTrue(outcome.message().contains("solution"), outcome.message());
        UpdateOpportunityCommand mark = kafka.await(COMMANDS, e -> in.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30)).payload(UpdateOpportunityCommand.class);
        assertEquals(id, mark.opportunityId());
        assertEquals(UpdateOpportunityCommand.Mark.FAILED, mark.mark());
        assertEquals(outcome.message(), mark.reason());
        assertTrue(kafka.readAll(REFERRAL_COMMANDS).stream().noneMatch(e -> id.equals(e.key())),
                "nothing for Partner Center");
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
