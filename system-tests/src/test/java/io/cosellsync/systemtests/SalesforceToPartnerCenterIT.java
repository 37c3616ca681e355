package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.TenantMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Salesforce → Partner Center through the whole system (the run command's broker, database, simulators and
 * services): a seller's co-sell opportunity becomes a referral with Microsoft's side of the engagement, every row of
 * the field map bound for Partner Center checked, and the opportunity shows the Referral Identifier, Link and ✔;
 * edits patch the referral and stage moves accept, decline and win it.
 */
class SalesforceToPartnerCenterIT {

    private static final String TENANT = "contoso";
    private static final String SELLER = "0055g00000SelleAAB";
    private static LocalSystem system;
    private static ExpectedSalesforce expect;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
        expect = ExpectedSalesforce.of(TENANT);
    }

    /** A seller's co-sell opportunity, complete (account, contact role, solution, team member) before Sync goes on. */
    private static String syncedOpportunity(String tag) {
        String account = system.sellerCreate(TENANT, "Account", Map.of("Name", "Tailspin " + tag, "BillingCountry",
                "US", "BillingCity", "Seattle", "BillingStreet", "1 Main St", "BillingPostalCode", "98101",
                "BillingState", "WA"));
        String contact = system.sellerCreate(TENANT, "Contact", Map.of("FirstName", "Mia", "LastName", "Wong",
                "Email", "mia.wong@tailspin-" + tag + ".example", "Phone", "+1 206 555 0199", "AccountId", account));
        String id = system.coSellOpportunity(TENANT, account, contact, Map.of("Name", "Tailspin analytics " + tag,
                "Amount", 45000, "CurrencyIsoCode", "USD", "Microsoft_Visibility__c", true, "Description",
                "Wants a dashboard pilot."));
        system.sellerCreate(TENANT, "OpportunityTeamMember", Map.of("OpportunityId", id, "UserId", SELLER,
                "TeamMemberRole", "Account Manager"));
        system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Sync_with_Partner_Center__c", true));
        return id;
    }

    private static JsonNode opportunity(String id) {
        // the columns name the Referral Identifier and Link already (rows of the map)
        return system.soql(TENANT, "SELECT " + expect.opportunityColumns() + ", Partner_Center_Audit__c FROM"
                + " Opportunity WHERE Id = '" + id + "'").get(0);
    }

    private static List<JsonNode> referrals() {
        List<JsonNode> all = new ArrayList<>();
        system.getFromPartnerCenter("/_sim/tenants/" + TENANT + "/referrals").forEach(all::add);
        return all;
    }

    private static Optional<JsonNode> referral(Predicate<JsonNode> match) {
        return referrals().stream().filter(match).findFirst();
    }

    private static JsonNode referral(String id) {
        return referral(r -> id.equals(r.path("id").asText())).orElseThrow();
    }

    /**
     * The referral once the opportunity shows its identifier and the partnercenter-writer's write-back (✔, the Audit
     * line) is there: the identifier can come first, with the referral's change adopting the opportunity, while the
     * write-back waits for the second of the seller's save to end (ADR 0004).
     */
    private static JsonNode created(String opportunityId) {
        Awaitility.await("the referral of " + opportunityId).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode o = opportunity(opportunityId);
                    return !o.path("Referral_Identifier__c").isNull()
                            && o.path("Partner_Center_Audit__c").asText().contains("created");
                });
        return referral(opportunity(opportunityId).path("Referral_Identifier__c").asText());
    }

    private static List<JsonNode> children(String soql, String relationship) {
        return system.soql(TENANT, soql).stream().map(r -> relationship == null ? r : r.path(relationship)).toList();
    }

    @Test
    void aSellersCoSellOpportunityBecomesAReferralWithEveryMappedFieldAndIsWrittenBack() {
        String id = syncedOpportunity(UUID.randomUUID().toString().substring(0, 8));
        JsonNode referral = created(id);
        JsonNode opportunity = opportunity(id);

        assertEquals(1, referrals().stream().filter(r -> id.equals(r.path("externalReferenceId").asText())
                && !"msft".equals(r.path("organizationId").asText())).count(), "one referral per opportunity");
        assertEquals("Shared", referral.path("type").asText());
        String engagement = referral.path("engagementId").asText();
        assertTrue(referral(r -> engagement.equals(r.path("engagementId").asText())
                && "msft".equals(r.path("organizationId").asText())).isPresent(), "Microsoft's side");
        assertTrue(opportunity.path(expect.field("Opportunity.Name")).asText().endsWith(" ✔"));
        assertEquals(TenantMapping.DEFAULT_REFERRAL_LINK, opportunity.path("Referral_Link__c").asText());
        assertTrue(opportunity.path("Partner_Center_Audit__c").asText().contains("created"));

        expect.assertReferral("referral of " + id, referral, opportunity);
        assertCollections("referral of " + id, id, referral);
    }

    /** Each collection of the map (contacts, solutions, sellers) as the referral has it and as the opportunity does. */
    private static void assertCollections(String what, String id, JsonNode referral) {
        for (CollectionRow c : expect.mapper().map().collections()) {
            List<JsonNode> records = switch (c.salesforce()) {
                case "Contact" -> children("SELECT Contact.FirstName, Contact.LastName, Contact.Email, Contact.Phone,"
                        + " Contact.Title FROM OpportunityContactRole WHERE OpportunityId = '" + id + "'", "Contact");
                case "User" -> children("SELECT User.Email FROM OpportunityTeamMember WHERE OpportunityId = '" + id
                        + "'", "User");
                default -> children("SELECT Solution_Id__c, Solution_Name__c FROM Microsoft_Solution__c WHERE"
                        + " Opportunity__c = '" + id + "'", null);
            };
            assertTrue(!records.isEmpty(), c.salesforce());
            expect.assertCollection(what, c, expect.referralItems(referral, c), records);
        }
    }

    @Test
    void editsPatchTheReferralAndWinningClosesIt() {
        String id = syncedOpportunity(UUID.randomUUID().toString().substring(0, 8));
        String referralId = created(id).path("id").asText();

        // every two-way field a seller may change once the referral exists (visibility cannot be withdrawn:
        // PartnerCenterWriterTest), and two collections: a second contact role and a second solution
        String account = opportunity(id).path("AccountId").asText();
        String contact = system.sellerCreate(TENANT, "Contact", Map.of("FirstName", "Noah", "LastName", "Berg",
                "Email", "noah.berg@tailspin-" + referralId.substring(0, 8) + ".example", "AccountId", account));
        system.sellerCreate(TENANT, "OpportunityContactRole", Map.of("OpportunityId", id, "ContactId", contact,
                "Role", "Technical Buyer"));
        system.sellerCreate(TENANT, "Microsoft_Solution__c", Map.of("Opportunity__c", id, "Solution_Id__c",
                "SOL-20321-AZR", "Solution_Name__c", "Azure Analytics"));
        system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Amount", 61000, "Description", "Two dashboards now",
                "CloseDate", "2027-05-15", "Customer_Marketplace_Intent__c", "Yes",
                expect.field("Opportunity.Name"), "Tailspin analytics, phase 2", "CurrencyIsoCode", "EUR",
                "How_can_Microsoft_help__c", "Customer technical architecture"));
        Awaitility.await("the edits in Partner Center").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode r = referral(referralId);
                    assertEquals(61000, r.at("/details/dealValue").asInt());
                    assertEquals("Two dashboards now", r.at("/details/notes").asText());
                    assertTrue(r.at("/details/closingDateTime").asText().startsWith("2027-05-15"));
                    assertEquals("Yes", r.path("customerMarketplaceIntent").asText());
                    assertEquals("Tailspin analytics, phase 2", r.path("name").asText());
                    assertEquals("EUR", r.at("/details/currency").asText());
                    assertEquals("CustomerTechnicalArchitecture", r.at("/inviteContext/assistanceRequestCode")
                            .asText());
                    assertEquals(2, r.at("/customerProfile/team").size(), "contacts");
                    assertEquals(2, r.at("/details/requirements/solutions").size(), "solutions");
                });
        expect.assertReferral("edited referral", referral(referralId), opportunity(id));
        assertCollections("edited referral", id, referral(referralId));

        system.sellerUpdate(TENANT, "Opportunity", id, Map.of("StageName", expect.mapper().tenant().closedStage(
                ReferralSubstatus.WON)));
        Awaitility.await("won in Partner Center").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "Won".equals(referral(referralId).path("substatus").asText()));
        assertEquals("Closed", referral(referralId).path("status").asText());
    }

    @Test
    void sharedReferralsAreAcceptedOrDeclinedByMovingTheirOpportunityOutOfThePendingStage() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String accepted = system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals",
                PartnerCenterToSalesforceIT.sharedReferral("accept-" + tag)).path("id").asText();
        String declined = system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals",
                PartnerCenterToSalesforceIT.sharedReferral("decline-" + tag)).path("id").asText();
        String pending = expect.mapper().tenant().pendingStage();
        Map<String, String> opportunities = new java.util.HashMap<>();
        Awaitility.await("the pending opportunities").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (String referralId : List.of(accepted, declined)) {
                        system.soql(TENANT, "SELECT Id, StageName FROM Opportunity WHERE Referral_Identifier__c = '"
                                + referralId + "'").stream().filter(r -> pending.equals(r.path("StageName").asText()))
                                .forEach(r -> opportunities.put(referralId, r.path("Id").asText()));
                    }
                    return opportunities.size() == 2;
                });

        system.sellerUpdate(TENANT, "Opportunity", opportunities.get(accepted), Map.of("StageName",
                expect.mapper().tenant().activeStage()));
        system.sellerUpdate(TENANT, "Opportunity", opportunities.get(declined), Map.of("StageName",
                expect.mapper().tenant().closedStage(ReferralSubstatus.LOST)));
        Awaitility.await("accepted and declined").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertEquals("Active/Accepted", referral(accepted).path("status").asText() + "/"
                            + referral(accepted).path("substatus").asText());
                    JsonNode no = referral(declined);
                    assertEquals("Closed/Declined", no.path("status").asText() + "/" + no.path("substatus").asText());
                    assertTrue(no.path("statusReason").asText().contains("Salesforce"), no.toString());
                });
    }
}
