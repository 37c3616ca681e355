package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failure only Partner Center sees reaches the seller through the dead-letter path: an account whose country passes
 * the mapper's check (two letters) but is no ISO 3166 code. Partner Center refuses the referral (400), the
 * partnercenter-writer dead-letters the command, and the salesforce-writer's dead-letter index puts one Audit line
 * with ✖ on the opportunity, in words, with what to do. The seller fixes the country and saves the opportunity
 * again: the referral is created and ✔ replaces ✖.
 */
class DeadLetterAuditIT {

    private static final String TENANT = "contoso";
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    private static JsonNode opportunity(String id) {
        return system.soql(TENANT, "SELECT Name, Referral_Identifier__c, Partner_Center_Audit__c FROM Opportunity"
                + " WHERE Id = '" + id + "'").get(0);
    }

    @Test
    void aRefusalOnlyPartnerCenterSeesIsOnTheAuditTrailOnceAndTheFixSyncs() throws Exception {
        String tag = "Dlq" + Long.toString(System.nanoTime() & 0xffffff, 36);
        LocalSystem.Customer customer = system.customer(TENANT, tag, "Lea", "Roth");
        system.sellerUpdate(TENANT, "Account", customer.account(), Map.of("BillingCountry", "XX"));
        String id = system.coSellOpportunity(TENANT, customer.account(), customer.contact(), Map.of("Name",
                tag + " deal"));
        system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Sync_with_Partner_Center__c", true));

        Awaitility.await("the refusal on the Audit trail").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).until(() -> opportunity(id).path("Name").asText().endsWith("✖"));
        String trail = opportunity(id).path("Partner_Center_Audit__c").asText();
        assertTrue(trail.contains("✖ Salesforce → Partner Center: Partner Center refused the referral (400):"
                + " 'customerProfile.address.country' must be a two-letter ISO 3166 code, not 'XX'. Not retried by"
                + " itself: fix the account's Billing Country (a two-letter code such as DE) in Salesforce and save"
                + " the opportunity again, or ask an operator to replay its dead letter."), trail);
        assertTrue(!trail.contains("{"), "no JSON on the trail: " + trail);
        // each create command of the opportunity (one per snapshot while Sync is on) is refused and dead-lettered;
        // the same failure again is the same line, which the trail does not repeat
        Awaitility.await("the letters indexed with their opportunity").atMost(Duration.ofSeconds(30))
                .until(() -> system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter"
                        + " WHERE tenant_id = ? AND opportunity_id = ? AND service = 'partnercenter-writer'"
                        + " AND state = 'open'", TENANT, id) >= 1 && system.lag("salesforce-writer-dead-letters")
                        == 0);
        trail = opportunity(id).path("Partner_Center_Audit__c").asText();
        assertEquals(1, trail.lines().filter(l -> l.contains("refused")).count(), trail);

        // the seller fixes the country and saves the opportunity again
        system.sellerUpdate(TENANT, "Account", customer.account(), Map.of("BillingCountry", "DE"));
        system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Amount", 1100));
        Awaitility.await("the referral after the fix").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode now = opportunity(id);
                    return !now.path("Referral_Identifier__c").asText().isEmpty()
                            && now.path("Name").asText().endsWith("✔");
                });
        assertEquals(tag + " deal ✔", opportunity(id).path("Name").asText());
    }
}
