package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dry run, both ways (issue 27 §3): with contoso in dry run ({@code COSELL_DRY_RUN}) both writers say what they would
 * write — a referral Microsoft shares would become an opportunity, a seller's synced opportunity would become a
 * referral — listed by {@code cosell-admin dry-run} and counted, and write nothing to either side. Switched off
 * (the writers started again without it), what they held syncs: one opportunity, one referral, nothing twice.
 */
class DryRunIT {

    private static final String TENANT = "contoso";
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    @Test
    void aTenantInDryRunWritesNothingSaysWhatItWouldAndSyncsOnceSwitchedOff() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        restartWriters(Map.of("COSELL_DRY_RUN", TENANT));
        String opportunityId = null;
        try {
            String referralId = system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals",
                    PartnerCenterToSalesforceIT.sharedReferral(tag)).path("id").asText();
            LocalSystem.Customer customer = system.customer(TENANT, "Dryrun" + tag, "Lea", "Ng");
            String opportunity = system.coSellOpportunity(TENANT, customer.account(), customer.contact(),
                    Map.of("Name", "Dry run deal " + tag, "Amount", 1200));
            opportunityId = opportunity;
            system.sellerUpdate(TENANT, "Opportunity", opportunity, Map.of("Sync_with_Partner_Center__c", true));

            Awaitility.await("both writers' lines").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        String out = AdminCli.run(system, "dry-run", TENANT).out();
                        return out.contains("would create Opportunity for referral " + referralId)
                                && out.contains("would create referral for " + opportunity);
                    });
            AdminCli.Result listing = AdminCli.run(system, "dry-run", TENANT);
            assertEquals(0, listing.exit(), listing.err());
            assertTrue(listing.out().contains("in dry run"), listing.out());
            assertTrue(listing.out().contains("Name 'Northwind data platform " + tag + "'"), listing.out());
            assertTrue(listing.out().contains("details.dealValue 1200"), listing.out());
            // the lines came after the writers had what they would write: nothing reached either side
            assertEquals(0, opportunities(tag));
            assertEquals(0, referralsOf(opportunity));
            assertTrue(system.metricsAt(system.port(8082)).contains("cosell_dry_run_writes_total"),
                    "salesforce-writer counts its lines");
        } finally {
            restartWriters(Map.of());
        }
        String synced = opportunityId;
        Awaitility.await("what was held syncs once the tenant is live").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(() -> opportunities(tag) == 1 && referralsOf(synced) == 1);
        Awaitility.await("and nothing twice").during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).until(() -> opportunities(tag) == 1 && referralsOf(synced) == 1);
        AdminCli.Result live = AdminCli.run(system, "dry-run", TENANT);
        assertTrue(live.out().contains("live (not in dry run), 0 lines"), live.out());
    }

    private static void restartWriters(Map<String, String> env) throws Exception {
        for (String writer : new String[] {"salesforce-writer", "partnercenter-writer"}) {
            system.restartWith(writer, env);
        }
        Awaitility.await("the writers ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> system.ready(8082) && system.ready(8083));
    }

    private static int opportunities(String tag) {
        return system.count(TENANT, "SELECT COUNT() FROM Opportunity WHERE Name LIKE 'Northwind data platform "
                + tag + "%'");
    }

    private static long referralsOf(String opportunityId) {
        int n = 0;
        for (JsonNode r : system.getFromPartnerCenter("/_sim/tenants/" + TENANT + "/referrals")) {
            // the partner's referral; Microsoft's side of it (organization msft) names the opportunity too
            if (opportunityId.equals(r.path("externalReferenceId").asText())
                    && !"msft".equals(r.path("organizationId").asText())) {
                n++;
            }
        }
        return n;
    }
}
