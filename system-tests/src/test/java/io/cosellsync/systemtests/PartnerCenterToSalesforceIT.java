package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.Topics;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.SalesforceImage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Partner Center → Salesforce through the whole system (the run command's broker, database, simulators and
 * services): a referral a Microsoft seller shares arrives as a signed webhook and becomes an opportunity in the
 * pending stage, every row of the field map checked on both sides; Partner Center's updates and the close follow.
 * And while Salesforce refuses every call for longer than the writer retries, nothing is dead-lettered: the
 * writes wait and land once it answers again.
 */
class PartnerCenterToSalesforceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    static ObjectNode sharedReferral(String tag) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"name": "Northwind data platform %1$s", "type": "Shared",
                 "customerProfile": {"name": "Northwind %1$s", "size": "51to250employees",
                   "address": {"addressLine1": "Unter den Linden 1", "addressLine2": "3. OG", "city": "Berlin",
                               "state": "BE", "postalCode": "10117", "country": "DE"},
                   "team": [{"firstName": "Ana", "lastName": "Díaz", "email": "ana.diaz@northwind-%1$s.example",
                             "phoneNumber": "+49 30 1234567", "title": "CTO"},
                            {"firstName": "Bo", "lastName": "Lund", "email": "bo.lund@northwind-%1$s.example",
                             "phoneNumber": "+49 30 7654321", "title": "CFO"}]},
                 "consent": {"consentToToShareInfoWithOthers": true, "consentToContact": true,
                             "consentToShareReferralWithMicrosoftSellers": true},
                 "details": {"notes": "Wants a proof of concept in March.", "dealValue": 98000.50, "currency": "EUR",
                             "closingDateTime": "2027-03-31T00:00:00Z",
                             "requirements": {"solutions": [{"id": "SOL-15974-MQF", "name": "Data Platform",
                                                             "type": "Name"}]}},
                 "customerMarketplaceIntent": "Yes",
                 "team": [{"firstName": "Sam", "lastName": "Lee", "email": "sam.lee@contoso.example",
                           "phoneNumber": "+1 206 555 0111"}],
                 "inviteContext": {"assistanceRequestCode": "ProofOfConceptOrDemo",
                                   "notes": "Please help with a PoC."}}
                """.formatted(tag));
    }

    private JsonNode referral(String id) {
        for (JsonNode r : system.getFromPartnerCenter("/_sim/tenants/contoso/referrals")) {
            if (id.equals(r.path("id").asText())) {
                return r;
            }
        }
        throw new AssertionError("no referral " + id + " in the Partner Center simulator");
    }

    private JsonNode opportunity(String referralId, ExpectedSalesforce expect) {
        List<JsonNode> rows = system.soql("SELECT " + expect.opportunityColumns() + " FROM Opportunity WHERE "
                + expect.field("Opportunity.Referral_Identifier__c") + " = '" + referralId + "'");
        assertEquals(1, rows.size(), "opportunities of referral " + referralId);
        return rows.get(0);
    }

    @Test
    void aReferralMicrosoftSharesBecomesAPendingOpportunityAndFollowsUpdatesAndTheClose() throws Exception {
        ExpectedSalesforce expect = ExpectedSalesforce.of("contoso");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String id = system.postToPartnerCenter("/_sim/tenants/contoso/shared-referrals", sharedReferral(tag))
                .path("id").asText();

        Awaitility.await("the opportunity").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> opportunity(id, expect) != null);
        SalesforceImage expected = expect.image(referral(id));
        JsonNode opportunity = opportunity(id, expect);

        // every row of the field map bound for Salesforce, both sides
        assertEquals(List.of("Opportunity.Microsoft_CRM_Identifier__c", "Opportunity.Microsoft_Status_Reason__c"),
                expect.assertOpportunity("referral " + id, expected, opportunity),
                "the test referral fills every row but Microsoft's CRM id (set once Microsoft engages) and the"
                        + " status reason (set when it closes)");
        assertEquals("Please help with a PoC.", opportunity.path(expect.field(
                "Opportunity.Microsoft_Invitation_Notes__c")).asText(), "Microsoft's message, on the opportunity");
        assertEquals("Co-sell Pending", opportunity.path("StageName").asText(), "not accepted yet: pending");

        // the collections: contacts through contact roles, solutions, sellers
        String opp = opportunity.path("Id").asText();
        for (CollectionRow c : expect.mapper().map().collections()) {
            List<Map<String, Object>> want = expected.collection(c.salesforce());
            assertTrue(!want.isEmpty(), c.partnerCenter() + " must be covered by the test data");
            List<JsonNode> got = switch (c.salesforce()) {
                case "Contact" -> system.soql("SELECT Contact.FirstName, Contact.LastName, Contact.Email, "
                        + "Contact.Phone, Contact.Title, IsPrimary FROM OpportunityContactRole WHERE OpportunityId = '"
                        + opp + "'").stream().map(r -> r.path("Contact")).toList();
                case "Microsoft_Solution__c" -> system.soql("SELECT Solution_Id__c, Solution_Name__c FROM "
                        + "Microsoft_Solution__c WHERE Opportunity__c = '" + opp + "'");
                default -> system.soql("SELECT User.Email FROM OpportunityTeamMember WHERE OpportunityId = '" + opp
                        + "'").stream().map(r -> r.path("User")).toList();
            };
            expect.assertCollection("referral " + id, c, want, got);
        }

        // Partner Center changes the deal: the opportunity follows
        system.postToPartnerCenter("/_sim/tenants/contoso/referrals/" + id + "/microsoft",
                Map.of("action", "update", "dealValue", 125000, "notes", "Scope grew to two workloads.",
                        "microsoftMsxId", "7-3FZ1QK9LM2"));
        Awaitility.await("the update").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().untilAsserted(() -> {
                    JsonNode now = opportunity(id, expect);
                    assertEquals(0, new BigDecimal("125000").compareTo(now.path("Amount").decimalValue()));
                    assertEquals("Scope grew to two workloads.", now.path("Description").asText());
                    // Microsoft engaged: its CRM id arrives in the row the map gives it
                    assertEquals("7-3FZ1QK9LM2", now.path(expect.field("Opportunity.Microsoft_CRM_Identifier__c"))
                            .asText());
                });

        // and the close: a declined referral closes the opportunity as the stage map says
        system.postToPartnerCenter("/_sim/tenants/contoso/referrals/" + id + "/microsoft",
                Map.of("action", "decline", "statusReason", "Customer chose another partner"));
        Awaitility.await("the close").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().untilAsserted(() -> {
                    JsonNode closed = opportunity(id, expect);
                    assertEquals("Closed Lost", closed.path("StageName").asText());
                    assertEquals("Customer chose another partner", closed.path(expect.field(
                            "Opportunity.Microsoft_Status_Reason__c")).asText(), "why, for the seller to read");
                });
    }

    @Test
    void whileSalesforceRefusesLongerThanTheWritersRetriesNothingIsDeadLetteredAndAllLandsAfterwards()
            throws Exception {
        ExpectedSalesforce expect = ExpectedSalesforce.of("contoso");
        // every call refused for 45 s: longer than the writer's retries (6 attempts from 0.5 s, about 16 s)
        system.salesforceFaults("contoso", Map.of("REQUEST_LIMIT_EXCEEDED", 45));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(system.postToPartnerCenter("/_sim/tenants/contoso/shared-referrals",
                    sharedReferral("limit-" + UUID.randomUUID().toString().substring(0, 8))).path("id").asText());
        }
        Awaitility.await("the writer pausing contoso's writes").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(system::writerPaused);
        // the limit lifts by itself once held 45 s (simulator clock); the paused writes must then land
        Awaitility.await("every opportunity after the limit lifts").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
                    for (String id : ids) {
                        opportunity(id, expect);
                    }
                });
        system.salesforceFaults("contoso", Map.of());
        String dlq = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_WRITER_DLQ;
        for (String value : system.topicValues(dlq)) {
            for (String id : ids) {
                assertTrue(!value.contains(id), "a retryable refusal was dead-lettered: " + value);
            }
        }
    }
}
