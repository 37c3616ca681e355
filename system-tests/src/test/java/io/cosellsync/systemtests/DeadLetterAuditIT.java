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
 * with ✖ on the opportunity, in words, with what to do. An operator sees the letters with the CLI ({@code
 * cosell-admin}, only with the admin key, only the tenant's). The seller fixes the country and saves the opportunity
 * again: the referral is created, the letters are resolved, and a ✔ line and mark replace ✖. Replaying resolved
 * letters does nothing unless forced; the forced replay (a dry run first) makes no second referral.
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

    /** Runs {@code cosell-admin dead-letters <args>} with the local run's admin key. */
    private static AdminCli.Result cli(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "dead-letters";
        System.arraycopy(args, 0, command, 1, args.length);
        return AdminCli.run(system, command);
    }

    private static long ourReferrals(String opportunityId) {
        long n = 0;
        for (JsonNode r : system.getFromPartnerCenter("/_sim/tenants/" + TENANT + "/referrals")) {
            if (opportunityId.equals(r.path("externalReferenceId").asText())
                    && !"msft".equals(r.path("organizationId").asText())) {
                n++;
            }
        }
        return n;
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

        // the operator's view: the tenant's letters of this opportunity, with the admin key only
        AdminCli.Result listed = cli("list", "--tenant", TENANT, "--record", id);
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().contains("partnercenter-writer") && listed.out().contains("open")
                && listed.out().contains("PARTNER_CENTER_REJECTED_400") && listed.out().contains(id), listed.out());
        AdminCli.Result stranger = cli("list", "--tenant", TENANT, "--key", "not-the-key");
        assertEquals(1, stranger.exit());
        assertTrue(stranger.err().contains("refused: 401"), stranger.err());
        // fabrikam's listing shows none of contoso's letters (the simulated orgs number their records alike, so
        // fabrikam may have letters of its own about an opportunity with the same Id)
        String contosoLetter = system.databaseQuery("SELECT letter_id FROM salesforce_writer.dead_letter WHERE"
                + " tenant_id = ? AND opportunity_id = ? LIMIT 1", TENANT, id);
        AdminCli.Result otherTenant = cli("list", "--tenant", "fabrikam", "--record", id);
        assertEquals(0, otherTenant.exit(), otherTenant.err());
        assertTrue(!otherTenant.out().contains(contosoLetter) && otherTenant.out().lines().skip(1)
                .filter(l -> !l.endsWith("letter(s)")).allMatch(l -> l.startsWith("fabrikam ")), otherTenant.out());

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
        assertEquals(1, ourReferrals(id));

        // the fix resolved the letters, and the trail says so with ✔
        Awaitility.await("the letters resolved").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE"
                        + " tenant_id = ? AND opportunity_id = ? AND state <> 'resolved'", TENANT, id) == 0);
        Awaitility.await("the ✔ line").atMost(Duration.ofSeconds(30)).until(() -> opportunity(id)
                .path("Partner_Center_Audit__c").asText().contains("✔ Salesforce → Partner Center: synced again;"));
        long letters = system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id = ?"
                + " AND opportunity_id = ?", TENANT, id);

        // replaying resolved letters does nothing unless forced; forced (a dry run first), no second referral
        AdminCli.Result unforced = cli("replay", TENANT, "--record", id, "--dry-run");
        assertEquals(0, unforced.exit(), unforced.err());
        assertTrue(unforced.out().contains("would replay 0 letter(s)"), unforced.out());
        AdminCli.Result dry = cli("replay", TENANT, "--record", id, "--state", "resolved", "--force", "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("would replay " + letters + " letter(s)"), dry.out());
        assertEquals(0, system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id = ?"
                + " AND opportunity_id = ? AND replays > 0", TENANT, id));
        AdminCli.Result replayed = cli("replay", TENANT, "--record", id, "--state", "resolved", "--force", "--rate",
                "20");
        assertEquals(0, replayed.exit(), replayed.err());
        assertTrue(replayed.err().contains("replayed " + letters + "/" + letters), replayed.err());
        Awaitility.await("the replays read").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> system.lag("partnercenter-writer") == 0);
        assertEquals(1, ourReferrals(id));
        // nothing open is left to replay; a letter named again is left alone, which the exit code says
        AdminCli.Result again = cli("replay", TENANT, "--record", id);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("replayed 0 letter(s)"), again.out());
        String letter = system.databaseQuery("SELECT letter_id FROM salesforce_writer.dead_letter WHERE tenant_id = ?"
                + " AND opportunity_id = ? LIMIT 1", TENANT, id);
        AdminCli.Result named = cli("replay", TENANT, "--id", letter);
        assertEquals(4, named.exit(), named.out() + named.err());
        assertTrue(named.err().contains("already "), named.err());
    }
}
