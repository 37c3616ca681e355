package io.cosellsync.salesforcewriter;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.AccountUpsert;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.salesforcewriter.writer.AccountResolver;
import io.cosellsync.salesforcewriter.writer.OpportunityUpsertWriter;
import io.cosellsync.salesforcewriter.writer.OptionalFields;
import io.cosellsync.testing.SalesforceSimulator;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Given upsert commands on the topic, the Salesforce simulator's org ends up with the opportunity, its account,
 * contacts and roles, solutions and team — once, whatever is redelivered — and refusals are dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(SalesforceSimulator.class)
class OpportunityUpsertWriterTest {

    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final String DLQ = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_WRITER_DLQ;
    private static final String WRITE_BACKS = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS;
    private static final URI MAPPER = URI.create("/cosell-sync/mapper-service");
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    OptionalFields optionalFields;

    private static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** The command the mapper makes for a co-sell referral of this customer, at this version and deal value. */
    private static UpsertOpportunityCommand command(String referralId, String customer, Instant updated,
            String amount, String stage) {
        return new UpsertOpportunityCommand(referralId, "Referral_Identifier__c", updated, true,
                fields("Name", "Deal " + referralId.substring(0, 8), "CloseDate", "2026-12-31",
                        "Amount", new BigDecimal(amount), "CurrencyIsoCode", "USD", "Description", "notes",
                        "Referral_Identifier__c", referralId,
                        "Referral_Link__c", "https://partner.microsoft.com/referrals/" + referralId),
                fields("StageName", stage, "Sync_with_Partner_Center__c", true),
                List.of("Name", "Amount"), null,
                new AccountUpsert(fields("Name", customer, "BillingCountry", "DE"), fields(),
                        fields("BillingCity", "Berlin")),
                List.of(new ChildRecords("Contact", "OpportunityContactRole", "Email", List.of(
                                fields("FirstName", "Ana", "LastName", "Diaz", "Email", "ana@" + customer.toLowerCase()
                                        .replace(' ', '-') + ".example"),
                                fields("FirstName", "Bo", "LastName", "Lund", "Email", "bo@" + customer.toLowerCase()
                                        .replace(' ', '-') + ".example"))),
                        new ChildRecords("Microsoft_Solution__c", null, "Solution_Id__c", List.of(
                                fields("Solution_Id__c", "SOL-15974-MQF", "Solution_Name__c", "Data Platform"))),
                        new ChildRecords("User", "OpportunityTeamMember", "Email", List.of(
                                fields("Email", "sam.lee@contoso.example", "FirstName", "Sam")))));
    }

    private Envelope send(String tenant, UpsertOpportunityCommand command) {
        Envelope envelope = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, command.referralId(),
                TenantId.of(tenant), "\"etag-" + command.sourceUpdatedAt().getEpochSecond() + "\"");
        kafka.send(COMMANDS, envelope, command);
        return envelope;
    }

    private static long processed(String tenant, Envelope envelope) {
        return TestDatabase.count("SELECT count(*) FROM salesforce_writer_b.processed_event WHERE tenant_id = ? AND"
                + " event_id = ?", tenant, envelope.id());
    }

    private static JsonNode opportunity(String tenant, String referralId) {
        List<JsonNode> rows = SalesforceSimulator.query(tenant, "SELECT Id, Name, StageName, Amount, AccountId, "
                + "Account.Name, Account.BillingCity, Sync_with_Partner_Center__c FROM Opportunity "
                + "WHERE Referral_Identifier__c = '" + referralId + "'");
        assertEquals(1, rows.size(), "opportunities of referral " + referralId);
        return rows.get(0);
    }

    private static int count(String tenant, String soql) {
        return SalesforceSimulator.query(tenant, soql).size();
    }

    @Test
    void anOrgWithoutMultiCurrencyGetsItsOpportunityWithoutTheCurrencyItLacks() throws Exception {
        String settings = given().baseUri(SalesforceSimulator.instance()).get("/_sim/orgs/fabrikam/settings").then()
                .statusCode(200).extract().asString();
        ObjectNode single = (ObjectNode) new ObjectMapper().readTree(settings);
        single.put("multiCurrency", false);
        try {
            configure(single.toString());
            optionalFields.forget(TenantId.of("fabrikam"));
            String referralId = UUID.randomUUID().toString();
            // the mapper sends the referral's currency; this org has no CurrencyIsoCode: left out, not refused
            Envelope sent = send("fabrikam", command(referralId, "Single " + referralId.substring(0, 8), T0, "500",
                    "Microsoft Referral - Accepted"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("fabrikam", sent) == 1);
            assertEquals(500, opportunity("fabrikam", referralId).path("Amount").asInt());
            assertTrue(kafka.readAll(DLQ).stream().noneMatch(r -> referralId.equals(r.key())),
                    "nothing dead-lettered");
        } finally {
            configure(settings);
            optionalFields.forget(TenantId.of("fabrikam"));
        }
    }

    private static void configure(String settings) {
        given().baseUri(SalesforceSimulator.instance()).contentType("application/json").body(settings)
                .put("/_sim/orgs/fabrikam/settings").then().statusCode(200);
    }

    @Test
    void aReferralBecomesAnOpportunityWithItsAccountContactsSolutionAndSeller() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Customer " + referralId.substring(0, 8);
        Envelope sent = send("contoso", command(referralId, customer, T0, "120000", "Co-sell Active"));

        ConsumedWriteBack writeBack = awaitWriteBack(referralId);
        JsonNode opp = opportunity("contoso", referralId);
        String id = opp.path("Id").asText();
        assertEquals(id, writeBack.command.opportunityId());
        assertEquals(List.of("replace /externalReferenceId " + id), writeBack.command.operations().stream()
                .map(o -> o.op() + " " + o.path() + " " + o.value()).toList());
        assertEquals(sent.sourceVersion(), writeBack.command.baseETag());
        assertEquals("Deal " + referralId.substring(0, 8) + " ✔", opp.path("Name").asText());
        assertEquals("Co-sell Active", opp.path("StageName").asText());
        assertEquals(120000, opp.path("Amount").asInt());
        assertTrue(opp.path("Sync_with_Partner_Center__c").asBoolean());
        assertEquals(customer, opp.path("Account").path("Name").asText());
        assertEquals("Berlin", opp.path("Account").path("BillingCity").asText());
        assertEquals(2, count("contoso", "SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '" + id + "'"));
        assertEquals(1, count("contoso", "SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '" + id
                + "' AND IsPrimary = true AND Contact.Email = 'ana@" + customer.toLowerCase().replace(' ', '-')
                + ".example'"));
        assertEquals(2, count("contoso", "SELECT Id FROM Contact WHERE AccountId = '" + opp.path("AccountId")
                .asText() + "'"));
        assertEquals(1, count("contoso", "SELECT Id FROM Microsoft_Solution__c WHERE Opportunity__c = '" + id
                + "' AND Solution_Id__c = 'SOL-15974-MQF'"));
        assertEquals(1, count("contoso", "SELECT Id FROM OpportunityTeamMember WHERE OpportunityId = '" + id
                + "' AND User.Email = 'sam.lee@contoso.example'"));
    }

    /**
     * Partner Center's value won over the seller's 900 on the way out, and is set back; by the time that write-back
     * is applied, the opportunity was saved again (1100, a later save): the write-back leaves it, and sets only the
     * fields that still hold what Partner Center's value won over.
     */
    @Test
    void aValueSetBackIsNotWrittenOverASaveMadeSinceItWon() {
        String referralId = UUID.randomUUID().toString();
        String id = created(referralId, "Set back " + referralId.substring(0, 8));
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 1100, "Description",
                "the seller's"));
        Envelope setBack = update("contoso", new UpdateOpportunityCommand(id, fields("Amount", 1000,
                "Description", "Partner Center's"), "Partner Center's value kept", "Partner_Center_Audit__c", null,
                fields("Amount", 900, "Description", "the seller's")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", setBack) == 1);
        JsonNode row = SalesforceSimulator.query("contoso", "SELECT Amount, Description FROM Opportunity WHERE Id = '"
                + id + "'").get(0);
        assertEquals(1100, row.path("Amount").asInt(), "saved since: stands");
        assertEquals("Partner Center's", row.path("Description").asText(), "still what it won over: set back");
    }

    /**
     * A write-back delayed behind a restart: Partner Center's 12958 won over the seller's 700 and was to be set back,
     * but before it was applied a partner changed the deal again and a later comparison agreed on 13325 (whose own
     * write-back also expects 700). The older one must not land: the later one would then find the opportunity "saved
     * since" and leave Partner Center's older value on it for good (chaos suite, session 23).
     */
    @Test
    void aValueSetBackByAnOlderComparisonIsNotWrittenOnceALaterOneAgreedOnAnother() {
        String referralId = UUID.randomUUID().toString();
        String id = created(referralId, "Late set-back " + referralId.substring(0, 8));
        agreed(referralId, id, "{\"Opportunity.Amount\": 13325, \"Opportunity.Description\": \"partner edit 8325\"}",
                null, Instant.now());
        Envelope late = update("contoso", new UpdateOpportunityCommand(id, fields("Amount", 12958, "Description",
                "partner edit 7958"), "Partner Center's value kept", "Partner_Center_Audit__c", null,
                fields("Amount", 700, "Description", "notes")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", late) == 1);
        JsonNode row = SalesforceSimulator.query("contoso", "SELECT Amount, Description FROM Opportunity WHERE Id = '"
                + id + "'").get(0);
        assertEquals(700, row.path("Amount").asInt(), "not Partner Center's value any more: not set back");
        Envelope later = update("contoso", new UpdateOpportunityCommand(id, fields("Amount", 13325, "Description",
                "partner edit 8325"), "Partner Center's value kept", "Partner_Center_Audit__c", null,
                fields("Amount", 700, "Description", "notes")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", later) == 1);
        row = SalesforceSimulator.query("contoso", "SELECT Amount, Description FROM Opportunity WHERE Id = '" + id
                + "'").get(0);
        assertEquals(13325, row.path("Amount").asInt());
        assertEquals("partner edit 8325", row.path("Description").asText());
    }

    @Test
    void aWriteBackByRecordIdChangesOnlyWhatDiffersMarksTheNameKeepsAnAuditTrailAndNeverCreates() {
        String referralId = UUID.randomUUID().toString();
        send("contoso", command(referralId, "Customer " + referralId.substring(0, 8), T0, "500", "Co-sell Active"));
        awaitWriteBack(referralId);
        String id = opportunity("contoso", referralId).path("Id").asText();
        String name = "Deal " + referralId.substring(0, 8);

        UpdateOpportunityCommand failed = new UpdateOpportunityCommand(id, fields("Referral_Link__c",
                "https://partner.microsoft.com/referrals/" + referralId + "/v2"), "not sent: add a solution",
                "Partner_Center_Audit__c", UpdateOpportunityCommand.Mark.FAILED);
        Envelope first = update("contoso", failed);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", first) == 1);
        JsonNode row = SalesforceSimulator.query("contoso", "SELECT Name, Referral_Link__c, Partner_Center_Audit__c"
                + " FROM Opportunity WHERE Id = '" + id + "'").get(0);
        assertEquals(name + " ✖", row.path("Name").asText(), "the failure mark replaces the success mark");
        assertTrue(row.path("Referral_Link__c").asText().endsWith("/v2"));
        assertTrue(row.path("Partner_Center_Audit__c").asText().endsWith(" not sent: add a solution"));

        // the same write-back coming round again: nothing differs, no call
        double updates = updateCalls();
        Envelope again = update("contoso", failed);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", again) == 1);
        assertEquals(updates, updateCalls());

        Envelope succeeded = update("contoso", new UpdateOpportunityCommand(id, fields(), "referral created",
                "Partner_Center_Audit__c", UpdateOpportunityCommand.Mark.SUCCEEDED));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", succeeded) == 1);
        row = SalesforceSimulator.query("contoso", "SELECT Name, Partner_Center_Audit__c FROM Opportunity WHERE Id"
                + " = '" + id + "'").get(0);
        assertEquals(name + " ✔", row.path("Name").asText());
        List<String> trail = row.path("Partner_Center_Audit__c").asText().lines().toList();
        assertEquals(2, trail.size(), "newest first, the older line kept");
        assertTrue(trail.get(0).endsWith(" referral created") && trail.get(1).endsWith(" add a solution"));

        // an opportunity that no longer exists is not created by a write-back
        int before = count("contoso", "SELECT Id FROM Opportunity");
        Envelope gone = update("contoso", new UpdateOpportunityCommand("006000000000000AAA", fields(
                "Referral_Identifier__c", referralId), "referral created", null, null));
        DeadLetter letter = kafka.await(DLQ, e -> gone.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30)).payload(DeadLetter.class);
        assertEquals("OPPORTUNITY_NOT_FOUND", letter.reasonCode());
        assertEquals(before, count("contoso", "SELECT Id FROM Opportunity"));
    }

    @Test
    void aLatestFieldIsWrittenOnlyWhenPartnerCenterChangedItAndNotOverASellersLaterEdit() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Latest " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 900));

        // Partner Center changed the name, not the amount: the seller's amount stays
        String renamed = "Renamed " + referralId.substring(0, 8);
        Envelope second = send("contoso", named(command(referralId, customer, T0.plusSeconds(1), "700",
                "Co-sell Active"), renamed));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", second) == 1);
        assertEquals(900, opportunity("contoso", referralId).path("Amount").asInt());
        assertEquals(renamed + " ✔", opportunity("contoso", referralId).path("Name").asText());

        // Partner Center changed the amount too, but before the seller saved: left for the way out to decide
        Envelope third = send("contoso", named(command(referralId, customer, T0.plusSeconds(2), "800",
                "Co-sell Active"), renamed));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", third) == 1);
        assertEquals(900, opportunity("contoso", referralId).path("Amount").asInt());

        // and after the seller saved: Partner Center's later change is written
        Envelope fourth = send("contoso", named(command(referralId, customer, Instant.now().plusSeconds(60), "850",
                "Co-sell Active"), renamed));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", fourth) == 1);
        assertEquals(850, opportunity("contoso", referralId).path("Amount").asInt());
    }

    /**
     * The race of issue 28 as it was seen: the seller saved the amount (52000), our way out put it on the referral,
     * and its echo comes back as a command with that amount (changed since the writer last saw the referral) and a
     * new name. The seller saves the amount again (53000) right after the writer's read, within the same second.
     * The writer writes only what differs from its read — the name — so the seller's newer amount stands. The old
     * writer wrote its whole record and put the 52000 it had read back over the seller's save.
     */
    @Test
    void aSellersSaveBetweenTheWritersReadAndItsWriteOfAValueItAlreadyHeldStands() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Race " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 52000));
        JsonNode opportunity = raced(referralId, customer, id, "52000");
        assertEquals(53000, opportunity.path("Amount").asInt(), "the seller's save is not undone");
        assertEquals("Raced " + referralId.substring(0, 8) + " ✔", opportunity.path("Name").asText(),
                "Partner Center's name is written");
    }

    /**
     * Partner Center changed the amount too, and the seller saves it right after the writer's read, in a later
     * second than the opportunity's last save: the writer's update, conditional on its read, is refused (412); it
     * reads again, sees the seller's later save and leaves the amount for the way out to decide. The name is written.
     */
    @Test
    void aSellersSaveOfTheSameFieldBetweenTheWritersReadAndItsWriteIsNotOverwritten() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Race2 " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        // the opportunity's last save is in an earlier second than the seller's coming one
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(saved.plusSeconds(1)));
        JsonNode opportunity = raced(referralId, customer, id, "52000");
        assertEquals(53000, opportunity.path("Amount").asInt(), "the seller's later save is not undone");
        assertEquals("Raced " + referralId.substring(0, 8) + " ✔", opportunity.path("Name").asText(),
                "Partner Center's name is written");
    }

    /**
     * A write-back (the Audit line of a referral created) and another write of the Audit trail (here as a save right
     * after the write-back's read; in the product, the line of dead letters resolved, written by another consumer)
     * in the second of the opportunity's last save: both lines are kept. Before, the write-back put its trail, read
     * before the other line, over it.
     */
    @Test
    void anAuditLineSavedInTheSecondOfTheSaveAWriteBackReadIsKept() {
        for (int attempt = 0; attempt < 5; attempt++) {
            String referralId = UUID.randomUUID().toString();
            String id = created(referralId, "Trail " + referralId.substring(0, 8));
            earlyInASecond(() -> SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id,
                    fields("Description", "the seller's notes")));
            SalesforceSimulator.sellerSaveAfterNextQuery("contoso", "Opportunity", id, fields(
                    "Partner_Center_Audit__c", "2026-12-07T10:00:00Z ✔ the other line"));
            Envelope line = update("contoso", new UpdateOpportunityCommand(id, fields(), "referral created",
                    "Partner_Center_Audit__c", null));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", line) == 1);
            if (lastTwoSellerSavesInOneSecond(id)) {
                String trail = SalesforceSimulator.query("contoso", "SELECT Partner_Center_Audit__c FROM Opportunity"
                        + " WHERE Id = '" + id + "'").get(0).path("Partner_Center_Audit__c").asText();
                List<String> lines = trail.lines().toList();
                assertEquals(2, lines.size(), trail);
                assertTrue(lines.get(0).endsWith(" referral created") && lines.get(1).endsWith(" the other line"),
                        trail);
                return;
            }
        }
        fail("the two saves never fell in one second");
    }

    /** Runs the save within the first tenth of a second, so what follows it soon falls in the same second. */
    private static void earlyInASecond(Runnable save) {
        Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
                .until(() -> Instant.now().getNano() < 100_000_000);
        save.run();
    }

    /** Whether the last two saves of the record not made by the integration are stamped with the same second. */
    private static boolean lastTwoSellerSavesInOneSecond(String recordId) {
        List<Long> seconds = SalesforceSimulator.changes("contoso").stream()
                .filter(c -> recordId.equals(c.path("recordId").asText())
                        && !c.path("changeOrigin").asText().contains("client=cosell-sync"))
                .map(c -> c.path("commitTimestamp").asLong() / 1000).toList();
        return seconds.size() >= 2 && seconds.get(seconds.size() - 1).equals(seconds.get(seconds.size() - 2));
    }

    /**
     * The other order within one second (found by {@code NoLoopIT}): the seller saved the amount, the way out put it
     * on the referral and the partnercenter-writer recorded it as agreed; then a partner user changed it in Partner
     * Center, in the second of the seller's save. The stamps cannot order the two, but the opportunity still holds
     * the agreed amount, so Partner Center has had that save and its own change is the later one: written, not left
     * for a way out that already went (which left the two sides apart for good).
     */
    @Test
    void aPartnerCenterChangeInTheSecondOfASaveThatAlreadyReachedPartnerCenterIsWritten() {
        assertEquals(54000, afterAgreedSave(500, "54000"), "a change after the agreement is written");
        assertEquals(52000, afterAgreedSave(200, "51000"),
                "a change from before the agreement, read late, is stale: left for the way out");
    }

    /**
     * An opportunity whose seller saved 52000, agreed with its referral 300 ms into that save's second; then Partner
     * Center's change to {@code amount}, made {@code millis} into that second. The amount the opportunity ends with.
     */
    private int afterAgreedSave(int millis, String amount) {
        String referralId = UUID.randomUUID().toString();
        String customer = "Agreed " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 52000));
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        agreed(referralId, id, "{\"Opportunity.Amount\": 52000, \"Opportunity.Description\": \"notes\"}", null,
                saved.plusMillis(300));
        Envelope change = send("contoso", command(referralId, customer, saved.plusMillis(millis), amount,
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", change) == 1);
        return opportunity("contoso", referralId).path("Amount").asInt();
    }

    /**
     * The echo of our own way out: the seller saved the amount (52000), the partnercenter-writer put it on the
     * referral (its write made version "v-ours"), and the seller saved again (53000). The referral change of
     * version "v-ours" comes back as a command with 52000, dated after the seller's second save. Its value came from
     * Salesforce, so it is not a Partner Center change: the seller's 53000 stands (and is on its way out).
     */
    @Test
    void theEchoOfOurOwnWayOutNeverWritesTheSellersEarlierSaveOverTheLaterOne() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Echo " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 52000));
        agreed(referralId, id, "{\"Opportunity.Amount\": 52000, \"Opportunity.Name\": \"Deal "
                + referralId.substring(0, 8) + "\"}", "\"v-ours\"", null);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 53000));
        UpsertOpportunityCommand echo = command(referralId, customer, Instant.now().plusSeconds(5), "52000",
                "Co-sell Active");
        Envelope change = send("contoso", version(echo, "\"v-ours\""));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", change) == 1);
        assertEquals(53000, opportunity("contoso", referralId).path("Amount").asInt(), "the seller's later save");

        // a change of another version is Partner Center's own, and later: written
        Envelope partners = send("contoso", version(command(referralId, customer, Instant.now().plusSeconds(10),
                "54000", "Co-sell Active"), "\"v-partner\""));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", partners) == 1);
        assertEquals(54000, opportunity("contoso", referralId).path("Amount").asInt());
    }

    /**
     * A late echo: the partnercenter-writer put the seller's 52000 on the referral (version "v-1"), then the seller's
     * 53000 ("v-2", its last write). The referral change of "v-1" reaches the writer only now, dated after the
     * seller's last save. Its amount came from the seller's older save: the opportunity keeps 53000. (It read as
     * Partner Center's own change while only the last version was known.)
     */
    @Test
    void aLateEchoOfAnEarlierWriteOfOursNeverWritesTheSellersOlderSave() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Late " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 53000));
        agreed(referralId, id, "{\"Opportunity.Amount\": 53000}", "\"v-2\"", List.of("\"v-2\"", "\"v-1\""), null);
        Envelope late = send("contoso", version(command(referralId, customer, Instant.now().plusSeconds(5), "52000",
                "Co-sell Active"), "\"v-1\""));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", late) == 1);
        assertEquals(53000, opportunity("contoso", referralId).path("Amount").asInt(), "the seller's last save");
    }

    /**
     * A referral change older than the agreement (the partnercenter-writer has since seen Partner Center hold a later
     * state, and agreed on it) arrives late: its values are superseded by Partner Center's own later ones, which follow
     * in their own change, and none of its "latest" fields is written (found by the chaos suite: an older partner
     * edit written over the seller's save, then sent on to Partner Center over the newer one).
     */
    @Test
    void aReferralChangeOlderThanTheAgreementWritesNoneOfItsLatestFields() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Stale " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 53000));
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        agreed(referralId, id, "{\"Opportunity.Amount\": 54000}", null, saved.plusSeconds(5));
        Envelope stale = send("contoso", command(referralId, customer, saved.plusSeconds(2), "52000",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", stale) == 1);
        assertEquals(53000, opportunity("contoso", referralId).path("Amount").asInt(), "the older change not written");
        Envelope current = send("contoso", command(referralId, customer, saved.plusSeconds(5), "54000",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", current) == 1);
        assertEquals(54000, opportunity("contoso", referralId).path("Amount").asInt(), "the agreed change is");
    }

    /**
     * A partner's amount (52000) reaches the writer after the partnercenter-writer has patched the referral again (it
     * closed it): older than the agreement, so none of its "latest" values is written. Our PATCH left the amount as
     * the partner set it, and only Partner Center had moved it from the agreed 53000: the echo of our PATCH brings it.
     * It did not while the skipped change's values counted as seen (found by the chaos suite: the sides stayed apart).
     */
    @Test
    void aPartnerCenterChangeOlderThanTheAgreementLandsWithTheEchoOfOurNextWrite() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Echoed " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 53000));
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        agreed(referralId, id, "{\"Opportunity.Amount\": 53000}", "\"v-closed\"", saved.plusSeconds(5));
        Envelope stale = send("contoso", command(referralId, customer, saved.plusSeconds(2), "52000",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", stale) == 1);
        assertEquals(53000, opportunity("contoso", referralId).path("Amount").asInt(), "the older change not written");
        Envelope echo = send("contoso", version(command(referralId, customer, saved.plusSeconds(5), "52000",
                "Co-sell Active"), "\"v-closed\""));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", echo) == 1);
        assertEquals(52000, opportunity("contoso", referralId).path("Amount").asInt(), "the partner's amount lands");
    }

    /**
     * Our PATCH of a referral (the link of a shared one: {@code externalReferenceId}) moves its
     * {@code updatedDateTime} but not its amount, which a partner changed before the seller's save. The echo of that
     * PATCH is no later change of the amount than the seller's: deferred to the way out, not written over the save.
     */
    @Test
    void theEchoOfOurPatchDatesPartnerCentersValuesFromItsOwnLastChange() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Linked " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 53000));
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        agreed(referralId, id, "{}", "\"v-link\"", saved.plusSeconds(5));
        partnerCenterChanged(referralId, saved.minusSeconds(3));
        Envelope echo = send("contoso", version(command(referralId, customer, saved.plusSeconds(5), "52000",
                "Co-sell Active"), "\"v-link\""));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", echo) == 1);
        assertEquals(53000, opportunity("contoso", referralId).path("Amount").asInt(),
                "the seller's later save stands");
    }

    /**
     * Both sides agreed on 53000; a partner then changed the amount, and the partnercenter-writer, seeing the
     * opportunity still at 53000, kept the partner's value for the way in and closed the referral. The echo of that
     * close carries the partner's amount; the opportunity was saved since (the close), but its amount is still the
     * agreed one: written, not deferred back to a way out that has already decided (found by the chaos suite).
     */
    @Test
    void inOurEchoAValueTheOpportunityStillHoldsAsAgreedTakesPartnerCentersChange() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Agreed " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 53000));
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        agreed(referralId, id, "{\"Opportunity.Amount\": 53000}", "\"v-closed\"", saved.plusSeconds(5));
        partnerCenterChanged(referralId, saved.minusMillis(1));
        Envelope echo = send("contoso", version(command(referralId, customer, saved.plusSeconds(5), "52000",
                "Co-sell Active"), "\"v-closed\""));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", echo) == 1);
        assertEquals(52000, opportunity("contoso", referralId).path("Amount").asInt(), "the partner's amount lands");
    }

    /**
     * Partner Center changes the amount twice within the second of the seller's save (found by {@code NoLoopIT}). The
     * first change is deferred, and the value the writer has seen becomes the seller's. The second change differs
     * from that value and the opportunity still holds it — which read as "Salesforce did not change it since", and
     * Partner Center's value went over the seller's save. It is no later than that save either: deferred too. A
     * change made in a later second is written.
     */
    @Test
    void aSecondPartnerCenterChangeInTheSecondOfADeferredSaveIsDeferredToo() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Twice " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 52000));
        Instant saved = Instant.parse(modstamp(id).replace("+0000", "Z"));
        Envelope first = send("contoso", command(referralId, customer, saved.plusMillis(100), "51000",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", first) == 1);
        assertEquals(52000, opportunity("contoso", referralId).path("Amount").asInt(), "deferred");
        Envelope second = send("contoso", command(referralId, customer, saved.plusMillis(200), "51500",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", second) == 1);
        assertEquals(52000, opportunity("contoso", referralId).path("Amount").asInt(), "deferred too");
        Envelope later = send("contoso", command(referralId, customer, saved.plusSeconds(5), "53000",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", later) == 1);
        assertEquals(53000, opportunity("contoso", referralId).path("Amount").asInt(), "a later change is written");
    }

    private static UpsertOpportunityCommand version(UpsertOpportunityCommand c, String eTag) {
        return new UpsertOpportunityCommand(c.referralId(), c.externalIdField(), c.sourceUpdatedAt(), c.checkMark(),
                c.opportunityFields(), c.createOnlyFields(), c.latestFields(), c.stageMove(), c.account(),
                c.children(), c.opportunityId(), eTag);
    }

    /** The partnercenter-writer's record of what the referral and opportunity last agreed on (its V2, V4 table). */
    private static void agreed(String referralId, String opportunityId, String base, String writtenETag,
            Instant agreedAt) {
        agreed(referralId, opportunityId, base, writtenETag, writtenETag == null ? List.of() : List.of(writtenETag),
                agreedAt);
    }

    /** … with the versions of its recent writes, newest first (its V5 column). */
    private static void agreed(String referralId, String opportunityId, String base, String writtenETag,
            List<String> recentETags, Instant agreedAt) {
        TestDatabase.execute("CREATE SCHEMA IF NOT EXISTS agreements_b");
        TestDatabase.execute("""
                CREATE TABLE IF NOT EXISTS agreements_b.referral_link (
                    tenant_id text NOT NULL, opportunity_id text NOT NULL, referral_id text, engagement_id text,
                    intent_at timestamptz, created_at timestamptz, shared_at timestamptz,
                    base jsonb NOT NULL DEFAULT '{}'::jsonb, updated_at timestamptz NOT NULL DEFAULT now(),
                    written_etag text, agreed_at timestamptz, PRIMARY KEY (tenant_id, opportunity_id))""");
        TestDatabase.execute("ALTER TABLE agreements_b.referral_link ADD COLUMN IF NOT EXISTS written_etags text[]"
                + " NOT NULL DEFAULT '{}'");
        TestDatabase.execute("INSERT INTO agreements_b.referral_link (tenant_id, opportunity_id, referral_id, base,"
                + " written_etag, written_etags, agreed_at) VALUES ('contoso', ?, ?, ?::jsonb, ?, string_to_array(?,"
                + " ','), ?)", opportunityId, referralId, base, writtenETag, String.join(",", recentETags),
                agreedAt == null ? null : java.sql.Timestamp.from(agreedAt));
    }

    /** When Partner Center itself last changed the referral, as of the partnercenter-writer's last PATCH (V6). */
    private static void partnerCenterChanged(String referralId, Instant at) {
        TestDatabase.execute("ALTER TABLE agreements_b.referral_link ADD COLUMN IF NOT EXISTS changed_at timestamptz");
        TestDatabase.execute("UPDATE agreements_b.referral_link SET changed_at = ? WHERE referral_id = ?",
                java.sql.Timestamp.from(at), referralId);
    }

    /**
     * Arms the seller's save of 53000 right after the writer's next read of the opportunity, then sends Partner
     * Center's change (this amount, a new name) and waits until it is applied; the opportunity as it ends.
     */
    private JsonNode raced(String referralId, String customer, String opportunityId, String amount) {
        SalesforceSimulator.sellerSaveAfterNextQuery("contoso", "Opportunity", opportunityId,
                fields("Amount", 53000));
        Envelope change = send("contoso", named(command(referralId, customer, Instant.now(), amount,
                "Co-sell Active"), "Raced " + referralId.substring(0, 8)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", change) == 1);
        return opportunity("contoso", referralId);
    }

    /** The command with another referral name. */
    private static UpsertOpportunityCommand named(UpsertOpportunityCommand c, String name) {
        Map<String, Object> fields = new LinkedHashMap<>(c.opportunityFields());
        fields.put("Name", name);
        return new UpsertOpportunityCommand(c.referralId(), c.externalIdField(), c.sourceUpdatedAt(), c.checkMark(),
                fields, c.createOnlyFields(), c.latestFields(), c.stageMove(), c.account(), c.children(),
                c.opportunityId());
    }

    @Test
    void ourOwnReferralComingBackBeforeItsIdentifierUpdatesTheSellersOpportunityInsteadOfCreatingOne() {
        String accountId = SalesforceSimulator.sellerCreate("contoso", "Account", fields("Name", "Seller Corp "
                + UUID.randomUUID().toString().substring(0, 8), "BillingCountry", "DE"));
        String opportunityId = SalesforceSimulator.sellerCreate("contoso", "Opportunity", fields("Name",
                "Seller's deal", "StageName", "Prospecting", "CloseDate", "2026-12-31", "AccountId", accountId,
                "Sync_with_Partner_Center__c", true));
        String referralId = UUID.randomUUID().toString();
        // the referral changed after the seller's last save (else the seller's values would stand: LatestFieldsTest)
        UpsertOpportunityCommand base = command(referralId, "Customer " + referralId.substring(0, 8),
                Instant.now().plusSeconds(60), "700", "Co-sell Active");
        UpsertOpportunityCommand ours = new UpsertOpportunityCommand(base.referralId(), base.externalIdField(),
                base.sourceUpdatedAt(), base.checkMark(), base.opportunityFields(), base.createOnlyFields(),
                base.latestFields(), base.stageMove(), base.account(), base.children(), opportunityId);
        int before = count("contoso", "SELECT Id FROM Opportunity");
        double updates = updateCalls();
        double upserts = calls("upsert");

        Envelope sent = send("contoso", ours);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", sent) == 1);
        JsonNode opp = opportunity("contoso", referralId);
        assertEquals(opportunityId, opp.path("Id").asText(), "the seller's opportunity is the referral's");
        assertEquals(before, count("contoso", "SELECT Id FROM Opportunity"));
        assertEquals("Prospecting", opp.path("StageName").asText(), "values written only on creation stay");
        assertEquals(accountId, opp.path("AccountId").asText());
        assertEquals(700, opp.path("Amount").asInt());
        assertEquals(updates + 1, updateCalls(), "identifier and values in one write, by record Id");
        assertEquals(upserts, calls("upsert"));
    }

    @Test
    void theSellersOwnContactsAndSolutionsAreNotWrittenAgainWhenTheyAlreadyHoldTheReferralsValues() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Seller's customer " + referralId.substring(0, 8);
        String accountId = SalesforceSimulator.sellerCreate("contoso", "Account", fields("Name", customer,
                "BillingCountry", "DE"));
        String email = "ana@" + customer.toLowerCase().replace(' ', '-') + ".example";
        String contactId = SalesforceSimulator.sellerCreate("contoso", "Contact", fields("FirstName", "Ana",
                "LastName", "Diaz", "Email", email, "AccountId", accountId));
        String opportunityId = SalesforceSimulator.sellerCreate("contoso", "Opportunity", fields("Name",
                "Seller's deal", "StageName", "Prospecting", "CloseDate", "2026-12-31", "AccountId", accountId,
                "Sync_with_Partner_Center__c", true));
        String solutionId = SalesforceSimulator.sellerCreate("contoso", "Microsoft_Solution__c", fields(
                "Opportunity__c", opportunityId, "Solution_Id__c", "SOL-15974-MQF", "Solution_Name__c",
                "Data Platform"));
        UpsertOpportunityCommand base = command(referralId, customer, Instant.now().plusSeconds(60), "700",
                "Co-sell Active");
        UpsertOpportunityCommand ours = new UpsertOpportunityCommand(base.referralId(), base.externalIdField(),
                base.sourceUpdatedAt(), base.checkMark(), base.opportunityFields(), base.createOnlyFields(),
                base.latestFields(), base.stageMove(), base.account(), base.children(), opportunityId);
        String contactStamp = stamp("Contact", contactId);
        String solutionStamp = stamp("Microsoft_Solution__c", solutionId);

        Envelope sent = send("contoso", ours);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", sent) == 1);
        assertEquals(opportunityId, opportunity("contoso", referralId).path("Id").asText());
        assertEquals(contactStamp, stamp("Contact", contactId), "Ana already holds every value: not written");
        assertEquals(solutionStamp, stamp("Microsoft_Solution__c", solutionId), "nor is the solution");
        assertEquals(1, count("contoso", "SELECT Id FROM Microsoft_Solution__c WHERE Opportunity__c = '"
                + opportunityId + "'"), "the seller's solution is the referral's");
        assertEquals(2, count("contoso", "SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '"
                + opportunityId + "'"), "Ana linked as she is, Bo created and linked");
    }

    private static String stamp(String object, String id) {
        return SalesforceSimulator.query("contoso", "SELECT SystemModstamp FROM " + object + " WHERE Id = '" + id
                + "'").get(0).path("SystemModstamp").asText();
    }

    private Envelope update(String tenant, UpdateOpportunityCommand command) {
        Envelope envelope = Envelope.originating(EventType.UPDATE_OPPORTUNITY, URI.create(
                "/cosell-sync/partnercenter-writer"), command.opportunityId(), TenantId.of(tenant), null);
        kafka.send(COMMANDS, envelope, command);
        return envelope;
    }

    private static double updateCalls() {
        return calls("update");
    }

    /** The writer's Salesforce calls of one operation on opportunities of contoso, from its metrics. */
    private static double calls(String operation) {
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith("cosell_salesforce_calls_total{")
                && l.contains("operation=\"" + operation + "\"") && l.contains("object=\"Opportunity\"")
                && l.contains("tenant=\"contoso\"")).mapToDouble(l -> Double.parseDouble(l.substring(
                        l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aCommandWhoseValuesTheOpportunityAlreadyHoldsWritesNoOpportunity() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Held " + referralId.substring(0, 8);
        String id = created(referralId, customer);
        // the seller's edit, on its way to Partner Center and back: the referral's next version holds it
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, fields("Amount", 900));
        String stamp = modstamp(id);

        double upserts = calls("upsert");
        double updates = calls("update");
        Envelope echo = send("contoso", command(referralId, customer, Instant.now().plusSeconds(60), "900.00",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", echo) == 1);
        assertEquals(upserts, calls("upsert"), "every value is already there: no upsert");
        assertEquals(updates, calls("update"), "nor an update");
        assertEquals(stamp, modstamp(id), "so the opportunity was not saved (no change event either)");

        Envelope next = send("contoso", command(referralId, customer, Instant.now().plusSeconds(120), "950",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", next) == 1);
        assertEquals(upserts + 1, calls("upsert") + calls("update") - updates, "one write");
        assertEquals(950, opportunity("contoso", referralId).path("Amount").asInt());
    }

    /** The opportunity the writer made of a new referral (amount 700, active), once it did; its id. */
    private String created(String referralId, String customer) {
        Envelope first = send("contoso", command(referralId, customer, T0, "700", "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", first) == 1);
        return opportunity("contoso", referralId).path("Id").asText();
    }

    private static String modstamp(String opportunityId) {
        return SalesforceSimulator.query("contoso", "SELECT SystemModstamp FROM Opportunity WHERE Id = '"
                + opportunityId + "'").get(0).path("SystemModstamp").asText();
    }

    @Test
    void aRedeliveredOrOlderCommandMakesNoCallAndAnUpdateKeepsTheSellersStage() {
        String referralId = UUID.randomUUID().toString();
        String customer = "Customer " + referralId.substring(0, 8);
        UpsertOpportunityCommand first = command(referralId, customer, T0.plusSeconds(60), "5000", "Co-sell Active");
        Envelope created = send("contoso", first);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", created) == 1);
        String id = opportunity("contoso", referralId).path("Id").asText();
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", id, Map.of("StageName", "Negotiation/Review"));

        long calls = SalesforceSimulator.calls("contoso");
        Envelope again = send("contoso", first);
        Envelope older = send("contoso", command(referralId, customer, T0, "1", "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", again) == 1
                && processed("contoso", older) == 1);
        assertEquals(calls, SalesforceSimulator.calls("contoso"), "a redelivered or older command makes no call");

        Envelope update = send("contoso", command(referralId, customer, T0.plusSeconds(120), "7500",
                "Co-sell Active"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("contoso", update) == 1);
        JsonNode opp = opportunity("contoso", referralId);
        assertEquals(7500, opp.path("Amount").asInt());
        assertEquals("Negotiation/Review", opp.path("StageName").asText(), "an open stage is the seller's");
        assertEquals(2, count("contoso", "SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '" + id + "'"));
    }

    @Test
    void twoReferralsForTheSameNewCustomerShareOneAccountAndItsContacts() {
        String customer = "Shared Customer " + UUID.randomUUID().toString().substring(0, 8);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        Envelope first = send("fabrikam", command(a, customer, T0, "100", "Microsoft Referral - Accepted"));
        Envelope second = send("fabrikam", command(b, customer, T0, "200", "Microsoft Referral - Accepted"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("fabrikam", first) == 1
                && processed("fabrikam", second) == 1);
        assertEquals(1, count("fabrikam", "SELECT Id FROM Account WHERE Name = '" + customer + "'"));
        String account = opportunity("fabrikam", a).path("AccountId").asText();
        assertEquals(account, opportunity("fabrikam", b).path("AccountId").asText());
        // sent together, so mostly written in one batch: the two deals name the same two people
        assertEquals(2, count("fabrikam", "SELECT Id FROM Contact WHERE AccountId = '" + account + "'"));
        for (String referral : List.of(a, b)) {
            assertEquals(2, count("fabrikam", "SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '"
                    + opportunity("fabrikam", referral).path("Id").asText() + "'"));
        }
    }

    @Test
    void aCustomerWhoseAccountAnotherReplicaIsCreatingWaitsForItsLinkAndAnAbandonedClaimIsTakenOver() {
        // another writer replica has claimed this new customer's account and is creating it
        String customer = "Claimed Customer " + UUID.randomUUID().toString().substring(0, 8);
        String key = AccountResolver.matchKey(fields("Name", customer, "BillingCountry", "DE"));
        TestDatabase.execute("INSERT INTO salesforce_writer_b.account_link (tenant_id, match_key, account_id, linked_at,"
                + " claimed_at) VALUES ('fabrikam', ?, NULL, now(), now())", key);
        String referral = UUID.randomUUID().toString();
        Envelope waiting = send("fabrikam", command(referral, customer, T0, "100", "Microsoft Referral - Accepted"));
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> processed("fabrikam", waiting) == 0);
        assertEquals(0, count("fabrikam", "SELECT Id FROM Account WHERE Name = '" + customer + "'"),
                "no second account while the other replica creates it");

        // it finishes: the account exists and is linked; the waiting referral uses it
        String account = SalesforceSimulator.sellerCreate("fabrikam", "Account", Map.of("Name", customer,
                "BillingCountry", "DE"));
        TestDatabase.execute("UPDATE salesforce_writer_b.account_link SET account_id = ? WHERE tenant_id = 'fabrikam'"
                + " AND match_key = ?", account, key);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("fabrikam", waiting) == 1);
        assertEquals(account, opportunity("fabrikam", referral).path("AccountId").asText());
        assertEquals(1, count("fabrikam", "SELECT Id FROM Account WHERE Name = '" + customer + "'"));

        // a claim whose writer died (older than the claim timeout) is taken over
        String orphan = "Orphaned Customer " + UUID.randomUUID().toString().substring(0, 8);
        TestDatabase.execute("INSERT INTO salesforce_writer_b.account_link (tenant_id, match_key, account_id, linked_at,"
                + " claimed_at) VALUES ('fabrikam', ?, NULL, now() - interval '10 minutes', now() - interval"
                + " '10 minutes')", AccountResolver.matchKey(fields("Name", orphan, "BillingCountry", "DE")));
        String other = UUID.randomUUID().toString();
        Envelope takeOver = send("fabrikam", command(other, orphan, T0, "200", "Microsoft Referral - Accepted"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("fabrikam", takeOver) == 1);
        assertOneLinkedAccount(orphan, other);
    }

    @Test
    void aCustomerWhoseAccountCouldNotBeCreatedIsCreatedOnTheNextTryWithoutWaitingForTheClaimTimeout() {
        String customer = "Locked Customer " + UUID.randomUUID().toString().substring(0, 8);
        String referral = UUID.randomUUID().toString();
        // every record write refused with UNABLE_TO_LOCK_ROW: the account is claimed, its creation fails
        SalesforceSimulator.faults("fabrikam", Map.of("ROW_LOCK", 1.0));
        Envelope pending;
        try {
            pending = send("fabrikam", command(referral, customer, T0, "100", "Microsoft Referral - Accepted"));
            // held past the writer's own retries: the batch waits for Salesforce (the paused gauge says so)
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> given().get("/q/metrics").asString()
                            .contains("cosell_salesforce_writes_paused 1.0"));
            assertEquals(0, processed("fabrikam", pending));
        } finally {
            SalesforceSimulator.faults("fabrikam", Map.of());
        }
        // the next try claims it again (far sooner than the two-minute timeout for another writer's claim)
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed("fabrikam", pending) == 1);
        assertOneLinkedAccount(customer, referral);
    }

    /** The customer has one account in fabrikam's org: the referral's, and the one its account link names. */
    private static void assertOneLinkedAccount(String customer, String referralId) {
        assertEquals(1, count("fabrikam", "SELECT Id FROM Account WHERE Name = '" + customer + "'"));
        assertEquals(opportunity("fabrikam", referralId).path("AccountId").asText(), TestDatabase.query(
                "SELECT account_id FROM salesforce_writer_b.account_link WHERE tenant_id = 'fabrikam' AND match_key"
                        + " = ?", AccountResolver.matchKey(fields("Name", customer, "BillingCountry", "DE"))));
    }

    @Test
    void aCommandSalesforceRefusesIsDeadLetteredWithItsErrorAndTheRestOfTheBatchLands() {
        String bad = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        send("contoso", command(bad, "Customer " + bad.substring(0, 8), T0, "10", "No Such Stage"));
        send("contoso", command(good, "Customer " + good.substring(0, 8), T0, "20", "Co-sell Pending"));

        DeadLetter letter = kafka.await(DLQ, e -> bad.equals(e.key()), Duration.ofSeconds(30))
                .payload(DeadLetter.class);
        assertEquals("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", letter.reasonCode());
        assertTrue(letter.reason().contains("StageName"), letter.reason());
        assertEquals(COMMANDS, letter.originalTopic());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals("Co-sell Pending", opportunity("contoso", good).path("StageName").asText()));
        assertEquals(0, count("contoso", "SELECT Id FROM Opportunity WHERE Referral_Identifier__c = '" + bad + "'"));
    }

    @Test
    void whileSalesforceRefusesForLongerThanTheRetriesCommandsWaitAndLandAfterwards() {
        String referralId = UUID.randomUUID().toString();
        // every call refused for 6 s of the simulator's clock: more than the retries (6 attempts from 100 ms)
        SalesforceSimulator.faults("fabrikam", Map.of("REQUEST_LIMIT_EXCEEDED", 6.0));
        try {
            send("fabrikam", command(referralId, "Customer " + referralId.substring(0, 8), T0, "300",
                    "Microsoft Referral - Accepted"));
            // (the test's own queries are refused too while the limit is held)
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().untilAsserted(
                    () -> assertEquals(300, opportunity("fabrikam", referralId).path("Amount").asInt()));
        } finally {
            SalesforceSimulator.faults("fabrikam", Map.of());
        }
        assertTrue(kafka.readAll(DLQ).stream().noneMatch(e -> referralId.equals(e.key())),
                "a retryable refusal is never dead-lettered");
    }

    private record ConsumedWriteBack(UpdateReferralCommand command) {
    }

    private ConsumedWriteBack awaitWriteBack(String referralId) {
        return new ConsumedWriteBack(kafka.await(WRITE_BACKS, e -> e.payload(UpdateReferralCommand.class)
                .referralId().equals(referralId), Duration.ofSeconds(30)).payload(UpdateReferralCommand.class));
    }
}
