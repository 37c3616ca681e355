package io.cosellsync.salesforcewriter.deadletters;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.Samples;
import io.cosellsync.testing.SalesforceSimulator;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The dead letters of every service, read from their topics on a real broker into the index in PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(SalesforceSimulator.class)
class DeadLetterIndexTest {

    private static final String MAPPER_DLQ = Topics.DEFAULT_PREFIX + Topics.MAPPER_DLQ;
    private static final String PC_WRITER_DLQ = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_WRITER_DLQ;
    private static final String SF_WRITER_DLQ = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_WRITER_DLQ;
    private static final String INGRESS_DLQ = Topics.DEFAULT_PREFIX + Topics.INGRESS_DLQ;
    private static final URI SOURCE = URI.create("/cosell-sync/partnercenter-writer");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    private static DeadLetter letter(String service, String originalEventId, String reasonCode, String reason) {
        return new DeadLetter(service, reasonCode, reason, Instant.now(), 1,
                Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS, 2, 41, "006A", originalEventId,
                EventType.CREATE_REFERRAL.ceType(), "{\"opportunityId\":\"006A\"}", "utf-8");
    }

    private void send(String topic, String tenant, DeadLetter letter) {
        kafka.send(topic, Envelope.originating(EventType.DEAD_LETTER, SOURCE, "006A", TenantId.of(tenant), null),
                letter);
    }

    /** A seller's synced opportunity of contoso, its account in 'Germany' (no ISO code); emits its Id. */
    private static String sellersOpportunity(String name) {
        String accountId = SalesforceSimulator.sellerCreate("contoso", "Account", Map.of("Name", name + " Corp "
                + UUID.randomUUID().toString().substring(0, 8), "BillingCountry", "Germany"));
        return SalesforceSimulator.sellerCreate("contoso", "Opportunity", Map.of("Name", name, "StageName",
                "Prospecting", "CloseDate", "2026-12-31", "AccountId", accountId, "Sync_with_Partner_Center__c",
                true));
    }

    private static String column(String tenant, String letterId, String column) {
        return TestDatabase.query("SELECT " + column + "::text FROM salesforce_writer_b.dead_letter"
                + " WHERE tenant_id = ? AND letter_id = ?", tenant, letterId);
    }

    @Test
    void aRecordThatFailsAgainIsAFurtherFailureOfTheSameOpenLetter() {
        String eventId = UUID.randomUUID().toString();
        send(PC_WRITER_DLQ, "contoso", letter("partnercenter-writer", eventId, "PARTNER_CENTER_REJECTED_400",
                "customer country 'Germany' is not a two-letter ISO code"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(column("contoso", eventId,
                "failures")));
        assertEquals("open", column("contoso", eventId, "state"));
        assertEquals("partnercenter-writer", column("contoso", eventId, "service"));
        TestDatabase.execute("UPDATE salesforce_writer_b.dead_letter SET state = 'replayed' WHERE tenant_id = ?"
                + " AND letter_id = ?", "contoso", eventId);

        // replayed, and refused again: the same letter, open again, with the newer reason
        send(PC_WRITER_DLQ, "contoso", letter("partnercenter-writer", eventId, "PARTNER_CENTER_REJECTED_400",
                "customer country 'Deutschland' is not a two-letter ISO code"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(column("contoso", eventId,
                "failures")));
        assertEquals("open", column("contoso", eventId, "state"));
        assertEquals("customer country 'Deutschland' is not a two-letter ISO code", column("contoso", eventId,
                "reason"));
        assertEquals(1L, TestDatabase.count("SELECT count(*) FROM salesforce_writer_b.dead_letter"
                + " WHERE letter_id = ?", eventId));
    }

    @Test
    void aRefusalReachesTheOpportunitysAuditTrailOnceWithAMark() {
        String opportunityId = sellersOpportunity("Refused deal");
        String eventId = UUID.randomUUID().toString();
        DeadLetter refused = new DeadLetter("partnercenter-writer", "PARTNER_CENTER_REJECTED_400",
                "create referral: Partner Center answered 400 — Partner Center said: {\"code\":\"InvalidCountryCode\","
                        + "\"message\":\"customerProfile.address.country 'Germany' is not a two-letter ISO code\"}",
                Instant.now(), 1, Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS, 1, 5, opportunityId, eventId,
                EventType.CREATE_REFERRAL.ceType(), "{\"opportunityId\":\"" + opportunityId + "\"}", "utf-8");
        send(PC_WRITER_DLQ, "contoso", refused);
        // read twice (a redelivery of the same letter, as a second record): still one line
        send(PC_WRITER_DLQ, "contoso", refused);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> opportunityId.equals(column("contoso",
                eventId, "opportunity_id")) && "2".equals(column("contoso", eventId, "failures")));
        JsonNode row = SalesforceSimulator.query("contoso", "SELECT Name, Partner_Center_Audit__c FROM Opportunity"
                + " WHERE Id = '" + opportunityId + "'").get(0);
        String trail = row.path("Partner_Center_Audit__c").asText();
        assertTrue(trail.contains("✖ Salesforce → Partner Center: Partner Center refused the referral (400):"
                + " customerProfile.address.country 'Germany' is not a two-letter ISO code. Not retried by itself:"
                + " fix the account's Billing Country (a two-letter code such as DE) in Salesforce and save the"
                + " opportunity again, or ask an operator to replay its dead letter."), trail);
        assertEquals(1, trail.lines().filter(l -> l.contains("refused")).count(), trail);
        assertEquals("Refused deal ✖", row.path("Name").asText());
    }

    @Test
    void anOpportunitySyncedLaterResolvesItsLettersThatWayWithACheckLine() {
        String opportunityId = sellersOpportunity("Fixed deal");
        String refused = UUID.randomUUID().toString();
        send(PC_WRITER_DLQ, "contoso", new DeadLetter("partnercenter-writer", "PARTNER_CENTER_REJECTED_400",
                "customer country 'Germany' is not a two-letter ISO code", Instant.now(), 1,
                Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS, 1, 7, opportunityId, refused,
                EventType.CREATE_REFERRAL.ceType(), "{\"opportunityId\":\"" + opportunityId + "\"}", "utf-8"));
        // a failure the other way (a write-back Salesforce refused) is not resolved by a sync to Partner Center
        String otherWay = UUID.randomUUID().toString();
        send(SF_WRITER_DLQ, "contoso", new DeadLetter("salesforce-writer", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                "Salesforce refused the write-back", Instant.now(), 1, Topics.DEFAULT_PREFIX
                        + Topics.SALESFORCE_COMMANDS, 0, 9, opportunityId, otherWay,
                EventType.UPDATE_OPPORTUNITY.ceType(), "{\"opportunityId\":\"" + opportunityId + "\"}", "utf-8"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> opportunityId.equals(column("contoso",
                refused, "opportunity_id")) && "open".equals(column("contoso", otherWay, "state")));

        // the seller fixed the country; the partnercenter-writer created the referral and said so
        kafka.send(Topics.DEFAULT_PREFIX + Topics.SYNC_OUTCOMES, Envelope.originating(EventType.SYNC_OUTCOME,
                SOURCE, opportunityId, TenantId.of("contoso"), null), new SyncOutcome(
                        SyncDirection.SALESFORCE_TO_PARTNER_CENTER, SyncOutcome.Status.SUCCEEDED, "ref-fixed",
                        opportunityId, UUID.randomUUID().toString(), null, "referral ref-fixed created",
                        Instant.now()));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "resolved".equals(column("contoso", refused,
                "state")));
        assertEquals("open", column("contoso", otherWay, "state"));
        assertEquals("sync resolved referral ref-fixed created", TestDatabase.query("SELECT actor || ' ' || action"
                + " || ' ' || detail FROM salesforce_writer_b.dead_letter_history WHERE tenant_id = 'contoso' AND"
                + " letter_id = ?", refused));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SalesforceSimulator.query("contoso",
                "SELECT Name FROM Opportunity WHERE Id = '" + opportunityId + "'").get(0).path("Name").asText()
                .equals("Fixed deal ✔"));
        String newest = SalesforceSimulator.query("contoso", "SELECT Partner_Center_Audit__c FROM Opportunity"
                + " WHERE Id = '" + opportunityId + "'").get(0).path("Partner_Center_Audit__c").asText().lines()
                .findFirst().orElseThrow();
        assertTrue(newest.matches("\\S+ ✔ Salesforce → Partner Center: synced again; the failure of \\S+"
                + " \\(PARTNER_CENTER_REJECTED_400\\) is resolved\\."), newest);
    }

    @Test
    void aReferralWrittenLaterResolvesItsLetters() {
        UpsertOpportunityCommand sample = Samples.sample(EventType.UPSERT_OPPORTUNITY, UpsertOpportunityCommand.class);
        String referralId = UUID.randomUUID().toString();
        String unmappable = UUID.randomUUID().toString();
        send(MAPPER_DLQ, "fabrikam", new DeadLetter("mapper-service", "UNMAPPABLE_REFERRAL", "no customer name",
                Instant.now(), 1, Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS, 0, 11, referralId, unmappable,
                EventType.REFERRAL_SNAPSHOT.ceType(), "{\"referralId\":\"" + referralId + "\"}", "utf-8"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "open".equals(column("fabrikam", unmappable,
                "state")));

        // the partner fixed the referral; the mapper's command reaches the writer, which creates the opportunity
        Map<String, Object> fields = new HashMap<>(sample.opportunityFields());
        fields.put(sample.externalIdField(), referralId);
        UpsertOpportunityCommand fixed = new UpsertOpportunityCommand(referralId, sample.externalIdField(),
                Instant.now(), sample.checkMark(), fields, sample.createOnlyFields(),
                sample.latestFields(), sample.stageMove(), sample.account(), sample.children(), null);
        kafka.send(Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS, Envelope.originating(
                EventType.UPSERT_OPPORTUNITY, URI.create("/cosell-sync/mapper-service"), referralId,
                TenantId.of("fabrikam"), "\"etag-1\""), fixed);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "resolved".equals(column("fabrikam",
                unmappable, "state")));
        // the ✔ line follows the resolution (written on condition, once the new opportunity's save has settled)
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SalesforceSimulator.query("fabrikam",
                "SELECT Partner_Center_Audit__c FROM Opportunity WHERE " + sample.externalIdField() + " = '"
                        + referralId + "'").get(0).path("Partner_Center_Audit__c").asText().lines().findFirst()
                .orElse("").contains("✔ Partner Center → Salesforce: synced again; the failure of "));
    }

    @Test
    void aLetterThatConcernsNoOpportunityStaysInTheIndexAndIsCounted() {
        String eventId = UUID.randomUUID().toString();
        DeadLetter unmappable = new DeadLetter("mapper-service", "UNMAPPABLE_REFERRAL", "no customer name",
                Instant.now(), 1, Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS, 0, 3, "ref-none", eventId,
                EventType.REFERRAL_SNAPSHOT.ceType(), "{\"referralId\":\"" + UUID.randomUUID() + "\"}", "utf-8");
        send(MAPPER_DLQ, "fabrikam", unmappable);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/metrics").asString()
                .contains("cosell_dead_letters_unattached_total{reason=\"UNMAPPABLE_REFERRAL\",tenant=\"fabrikam\"}"));
        assertEquals("open", column("fabrikam", eventId, "state"));
        assertNull(column("fabrikam", eventId, "opportunity_id"));
    }

    @Test
    void lettersAreKeptPerTenantAndOneThatIsNoLetterDoesNotStopTheConsumer() {
        String eventId = UUID.randomUUID().toString();
        kafka.sendRaw(INGRESS_DLQ, "x", "not a dead letter".getBytes(StandardCharsets.UTF_8), Map.of(
                "ce_tenant", "contoso"));
        send(MAPPER_DLQ, "contoso", letter("mapper-service", eventId, "VALIDATION", "no account name"));
        send(MAPPER_DLQ, "fabrikam", letter("mapper-service", eventId, "VALIDATION", "no account name"));
        // a record without an event id or a valid tenant is still a letter, found by where it was read
        DeadLetter anonymous = new DeadLetter("ingress-service", "MALFORMED_EVENT", "not JSON", Instant.now(), 1,
                Topics.DEFAULT_PREFIX + Topics.REFERRAL_NOTIFICATIONS, 0, 7, null, null, null, "AAEC", "base64");
        kafka.sendRaw(INGRESS_DLQ, null, EventCodec.encode(anonymous), Map.of(
                "ce_tenant", "not a tenant!"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> column("fabrikam", eventId, "state") != null
                && column("contoso", eventId, "state") != null);
        String position = Topics.DEFAULT_PREFIX + Topics.REFERRAL_NOTIFICATIONS + "/0/7";
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "MALFORMED_EVENT".equals(column("", position,
                "reason_code")));
        assertEquals("base64", column("", position, "payload_encoding"));
    }
}
