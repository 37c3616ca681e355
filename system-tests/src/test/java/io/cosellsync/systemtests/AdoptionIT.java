package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.testing.JsonHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moving off Microsoft's connector (docs/migrate-from-microsoft-connector.md): an org and a Partner Center account it
 * kept in sync — a referral Microsoft shared and the opportunity the connector made for it, carrying its Referral
 * Identifier; a referral the connector made from a seller's opportunity, the opportunity carrying that referral's
 * id — are adopted when co-sell sync first reads them: each pair stays a pair, nothing is created twice.
 */
class AdoptionIT {

    private static final String TENANT = "contoso";
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    @Test
    void pairsTheOldConnectorSyncedAreAdoptedAndNothingIsCreatedTwice() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // what the connector left behind, made while co-sell sync hears no webhook (as if it was not running yet)
        system.partnerCenterFaults(TENANT, Map.of("WEBHOOK_DROP", 1.0));
        String shared;
        String legacyOpportunity;
        String ownReferral;
        String ownOpportunity;
        String ownCustomer;
        int ownCustomerAccounts;
        try {
            shared = system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals",
                    PartnerCenterToSalesforceIT.sharedReferral(tag)).path("id").asText();
            Set<String> before = system.referralsById(TENANT).keySet();
            system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/seed?count=1", Map.of());
            Set<String> seeded = new HashSet<>(system.referralsById(TENANT).keySet());
            seeded.removeAll(before);
            assertEquals(1, seeded.size(), seeded.toString());
            ownReferral = seeded.iterator().next();

            // the connector made each pair's account from the referral's customer
            String northwind = account("Northwind " + tag, "DE");
            legacyOpportunity = system.coSellOpportunity(TENANT, northwind, contact(northwind, "Ida", tag), Map.of(
                    "Name", "Connector made " + tag, "StageName", "Co-sell Active", "Referral_Identifier__c", shared,
                    "Sync_with_Partner_Center__c", true));
            JsonNode customer = system.referralsById(TENANT).get(ownReferral).path("customerProfile");
            ownCustomer = customer.path("name").asText();
            String ownAccount = account(ownCustomer, customer.path("address").path("country").asText());
            ownOpportunity = system.coSellOpportunity(TENANT, ownAccount, contact(ownAccount, "Ole", tag), Map.of(
                    "Name", "Seller made " + tag, "Referral_Identifier__c", ownReferral));
            // seeded customers' names repeat ("Customer 1"): other tests may have accounts of the same name
            ownCustomerAccounts = accounts(ownCustomer);
        } finally {
            system.partnerCenterFaults(TENANT, Map.of());
        }
        // the first read of Partner Center (a reconciliation run, as on a first start): both referrals land on
        // the opportunities that carry them
        poll();
        String adopted = legacyOpportunity;
        String own = ownOpportunity;
        Awaitility.await("the referrals update the connector's opportunities").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> "Please help with a PoC."
                        .equals(opportunity(adopted).path("Microsoft_Invitation_Notes__c").asText())
                        && !opportunity(own).path("Referral_Link__c").isNull());
        // then the seller's next edit of the opportunity the connector had made a referral of
        system.sellerUpdate(TENANT, "Opportunity", ownOpportunity, Map.of("Amount", 4321,
                "Sync_with_Partner_Center__c", true));
        String referral = ownReferral;
        Awaitility.await("the seller's edit reaches the connector's referral").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> system.referralsById(TENANT).get(referral)
                        .path("details").path("dealValue").asDouble() == 4321);
        Awaitility.await("and nothing twice").during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertEquals(List.of(adopted), opportunitiesOf(shared), "opportunities of Microsoft's referral");
                    assertEquals(List.of(own), opportunitiesOf(referral), "opportunities of the connector's referral");
                    assertFalse(referralMadeFor(adopted, shared), "a referral made for the connector's opportunity");
                    assertFalse(referralMadeFor(own, referral), "a referral made for the seller's opportunity");
                    assertEquals(1, accounts("Northwind " + tag), "accounts of Microsoft's customer");
                    assertEquals(ownCustomerAccounts, accounts(ownCustomer), "accounts named " + ownCustomer);
                });
    }

    private static String account(String name, String country) {
        return system.sellerCreate(TENANT, "Account", Map.of("Name", name, "BillingCountry", country));
    }

    private static String contact(String account, String firstName, String tag) {
        return system.sellerCreate(TENANT, "Contact", Map.of("FirstName", firstName, "LastName", "Berg", "Email",
                firstName.toLowerCase() + "@" + tag + ".example", "AccountId", account));
    }

    private static int accounts(String name) {
        return system.count(TENANT, "SELECT COUNT() FROM Account WHERE Name = '" + name.replace("'", "\\'") + "'");
    }

    private static void poll() throws Exception {
        String key = Files.readString(system.state().resolve("admin.key")).trim();
        JsonHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.port(8080) + "/admin/tenants/"
                + TENANT + "/partner-center/poll")).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonNode opportunity(String id) {
        return system.soql(TENANT, "SELECT Id, Microsoft_Invitation_Notes__c, Referral_Link__c FROM Opportunity WHERE Id = '" + id
                + "'").get(0);
    }

    private static List<String> opportunitiesOf(String referralId) {
        return system.soql(TENANT, "SELECT Id FROM Opportunity WHERE Referral_Identifier__c = '" + referralId + "'")
                .stream().map(r -> r.path("Id").asText()).toList();
    }

    private static boolean partners(JsonNode referral) {
        return !"msft".equals(referral.path("organizationId").asText());
    }

    /** Whether a referral other than the pair's own names the opportunity (one co-sell sync created). */
    private static boolean referralMadeFor(String opportunityId, String pairedReferral) {
        return system.referralsById(TENANT).values().stream().anyMatch(r -> partners(r) && opportunityId.equals(r
                .path("externalReferenceId").asText()) && !pairedReferral.equals(r.path("id").asText()));
    }
}
