package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.testing.JsonHttp;
import io.cosellsync.testing.TokenIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Partner Center → Salesforce, refused by the partner's own org: a validation rule of contoso's Salesforce admin
 * ("co-sell deals start at 1,000") refuses the opportunity of a small referral. The salesforce-writer dead-letters
 * the upsert; no opportunity exists, so the operators' listing is where the reason shows. Operators sign in with
 * tokens of the release's identity provider: contoso's operator sees the letter, fabrikam's can neither list nor
 * replay it, and nobody gets in without a token. The admin deactivates the rule; the operator replays with the CLI
 * (a dry run first, which changes nothing), unattended as a Job would, with a client-credentials token: the
 * opportunity is written once, the letter is resolved with a ✔ line on it, and a second replay sends nothing.
 */
class SalesforceRefusalReplayIT {

    private static final String TENANT = "contoso";
    private static final String RULE = "/_sim/orgs/" + TENANT + "/validation-rules/Co_sell_minimum";
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    private static void rule(boolean active) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(system.salesforce() + RULE))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JsonHttp.json(
                        Map.of("object", "Opportunity", "field", "Amount", "condition", "lessThan", "value", "1000",
                                "errorMessage", "Co-sell deals start at 1,000: ask your Salesforce admin",
                                "errorField", "Amount", "active", active)))));
    }

    private static List<JsonNode> opportunities(String referralId) {
        return system.soql(TENANT, "SELECT Id, Amount, Partner_Center_Audit__c FROM Opportunity WHERE"
                + " Referral_Identifier__c = '" + referralId + "'");
    }

    private static AdminCli.Result cli(String token, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "dead-letters";
        System.arraycopy(args, 0, command, 1, args.length);
        command[args.length + 1] = "--token";
        command[args.length + 2] = token;
        return AdminCli.run(system, command);
    }

    @Test
    void aReferralTheOrgRefusesIsListedForItsOperatorsAndReplayedOnceTheRuleIsFixed() throws Exception {
        TokenIssuer issuer = TokenIssuer.shared();
        String contosoOps = issuer.token("carla@contoso.example", "ops:" + TENANT);
        String fabrikamOps = issuer.token("finn@fabrikam.example", "ops:fabrikam");
        rule(true);
        String referralId;
        try {
            ObjectNode referral = PartnerCenterToSalesforceIT.sharedReferral(UUID.randomUUID().toString()
                    .substring(0, 8));
            ((ObjectNode) referral.path("details")).put("dealValue", 500);
            referralId = system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals", referral)
                    .path("id").asText();
            String id = referralId;
            Awaitility.await("the refusal indexed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE"
                            + " tenant_id = ? AND original_key = ? AND reason_code ="
                            + " 'FIELD_CUSTOM_VALIDATION_EXCEPTION' AND state = 'open'", TENANT, id) >= 1
                            && system.lag("salesforce-writer-dead-letters") == 0
                            && system.lag("salesforce-writer") == 0);
            assertEquals(List.of(), opportunities(id));

            // contoso's operator sees why; nobody else does
            AdminCli.Result listed = cli(contosoOps, "list", "--tenant", TENANT, "--record", id);
            assertEquals(0, listed.exit(), listed.err());
            assertTrue(listed.out().contains("FIELD_CUSTOM_VALIDATION_EXCEPTION") && listed.out().contains("open")
                    && listed.out().contains("salesforce-writer"), listed.out());
            AdminCli.Result shown = cli(contosoOps, "show", TENANT, letter(id));
            assertEquals(0, shown.exit(), shown.err());
            assertTrue(shown.out().contains("Co-sell deals start at 1,000"), shown.out());
            AdminCli.Result foreign = cli(fabrikamOps, "list", "--tenant", TENANT);
            assertEquals(1, foreign.exit(), foreign.out());
            assertTrue(foreign.err().contains("refused: 403"), foreign.err());
            AdminCli.Result foreignReplay = cli(fabrikamOps, "replay", TENANT, "--record", id);
            assertEquals(1, foreignReplay.exit(), foreignReplay.out());
            AdminCli.Result ownList = cli(fabrikamOps, "list");
            assertEquals(0, ownList.exit(), ownList.err());
            assertTrue(!ownList.out().contains(id), ownList.out());
            AdminCli.Result anonymous = AdminCli.run(system, "dead-letters", "list", "--token", "none");
            assertEquals(1, anonymous.exit());
            assertTrue(anonymous.err().contains("refused: 401"), anonymous.err());
        } finally {
            // the admin fixes the cause
            rule(false);
        }
        String id = referralId;
        long letters = system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id = ?"
                + " AND original_key = ?", TENANT, id);

        AdminCli.Result dry = cli(contosoOps, "replay", TENANT, "--record", id, "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("would replay " + letters + " letter(s)"), dry.out());
        assertEquals(0, system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id = ?"
                + " AND original_key = ? AND replays > 0", TENANT, id));
        assertEquals(List.of(), opportunities(id));

        // the replay runs unattended, as a Kubernetes Job would: its own app, a client-credentials token
        String tokenUrl = TokenIssuer.shared().client("cosell-replay-job", "job-secret", "ops:" + TENANT);
        Path secret = Files.createTempFile("job", ".secret");
        Files.writeString(secret, "not-the-secret");
        AdminCli.Result wrongSecret = AdminCli.run(system, "dead-letters", "replay", TENANT, "--record", id,
                "--token-url", tokenUrl, "--client-id", "cosell-replay-job", "--client-secret-file", secret.toString());
        assertEquals(1, wrongSecret.exit(), wrongSecret.out());
        assertTrue(wrongSecret.err().contains("invalid_client"), wrongSecret.err());
        Files.writeString(secret, "job-secret");
        AdminCli.Result replayed = AdminCli.run(system, "dead-letters", "replay", TENANT, "--record", id,
                "--token-url", tokenUrl, "--client-id", "cosell-replay-job", "--client-secret-file", secret.toString());
        assertEquals(0, replayed.exit(), replayed.err());
        assertTrue(replayed.err().contains("replayed " + letters + "/" + letters), replayed.err());
        Awaitility.await("the opportunity, its letters resolved").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).until(() -> opportunities(id).size() == 1
                        && system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id"
                                + " = ? AND original_key = ? AND state <> 'resolved'", TENANT, id) == 0);
        Awaitility.await("the ✔ line").atMost(Duration.ofSeconds(30)).until(() -> opportunities(id).get(0)
                .path("Partner_Center_Audit__c").asText().contains("✔ Partner Center → Salesforce: synced again;"));
        assertEquals(500, opportunities(id).get(0).path("Amount").asInt());
        assertEquals("cosell-replay-job", system.databaseQuery("SELECT actor FROM"
                + " salesforce_writer.dead_letter_history WHERE tenant_id = ? AND action = 'replayed' AND letter_id"
                + " = ?", TENANT, letter(id)));

        // a second replay sends nothing; the opportunity stays one
        AdminCli.Result again = cli(contosoOps, "replay", TENANT, "--record", id);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("replayed 0 letter(s)"), again.out());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> system.lag("salesforce-writer") == 0);
        assertEquals(1, opportunities(id).size());
    }

    private static String letter(String referralId) throws Exception {
        return system.databaseQuery("SELECT letter_id FROM salesforce_writer.dead_letter WHERE tenant_id = ? AND"
                + " original_key = ? ORDER BY first_failed_at LIMIT 1", TENANT, referralId);
    }
}
