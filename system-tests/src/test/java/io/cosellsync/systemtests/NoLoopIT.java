package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.testing.PartnerCenterSignIn;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No loops, no lost saves: 200 mixed edits on both sides — sellers in Salesforce, the partner's users in Partner
 * Center (through the Referrals API) — of ten synced co-sell opportunities, 20 ms apart, so many fall within one
 * second of each other (Salesforce's stamps cannot order those). Once they settle, neither simulator sees another
 * write for 30 s (our own writes do not come back as changes), and each field holds what its owner rule says: notes
 * and deal value are {@code latest}, so on both sides the value of the last save, whichever side made it, as the
 * test's own ledger of its edits says.
 */
class NoLoopIT {

    private static final String TENANT = "contoso";
    private static final int OPPORTUNITIES = 10;
    private static final int EDITS = 200;
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    @Test
    void afterMixedEditsOnBothSidesSettleNothingMoreIsWritten() throws Exception {
        String tag = "Loop" + Long.toString(System.nanoTime() & 0xffffff, 36);
        LocalSystem.Customer customer = system.customer(TENANT, tag, "Mia", "Wong");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < OPPORTUNITIES; i++) {
            String id = system.coSellOpportunity(TENANT, customer.account(), customer.contact(), Map.of("Name",
                    tag + " " + i, "Description", "start"));
            system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Sync_with_Partner_Center__c", true));
            ids.add(id);
        }
        Awaitility.await("the referrals").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> system.soql(TENANT, "SELECT Id FROM Opportunity WHERE Name LIKE '" + tag + " %' AND"
                        + " Referral_Identifier__c != null").size() == OPPORTUNITIES);
        List<String> referrals = ids.stream().map(id -> system.soql(TENANT, "SELECT Referral_Identifier__c FROM"
                + " Opportunity WHERE Id = '" + id + "'").get(0).path("Referral_Identifier__c").asText()).toList();

        // 200 edits, each on a random side and opportunity: notes/Description and deal value/Amount
        String token = PartnerCenterSignIn.deviceSignIn(system.partnerCenter(), TENANT,
                "integration@contoso.example").get("access_token").asText();
        Random random = new Random();
        List<Long> before = system.simulatorWrites(TENANT);
        // the ledger: each opportunity's last edit (the editors wait for each save, so the last made is the latest)
        Map<Integer, String> lastNotes = new HashMap<>();
        Map<Integer, Integer> lastValue = new HashMap<>();
        for (int i = 0; i < EDITS; i++) {
            int k = random.nextInt(OPPORTUNITIES);
            if (random.nextBoolean()) {
                system.sellerUpdate(TENANT, "Opportunity", ids.get(k), Map.of("Description", "seller edit " + i,
                        "Amount", 2000 + i));
                lastNotes.put(k, "seller edit " + i);
                lastValue.put(k, 2000 + i);
            } else {
                system.partnerEdit(token, referrals.get(k), Map.of("/details/notes", "partner edit " + i,
                        "/details/dealValue", 5000 + i));
                lastNotes.put(k, "partner edit " + i);
                lastValue.put(k, 5000 + i);
            }
            Thread.sleep(20); // pacing the editors, not waiting for a result
        }

        // settled: no write for 10 s; then none for 30 s more
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(system.simulatorWriteCounts(TENANT));
        Awaitility.await("the edits to settle").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(last.getAndSet(system.simulatorWriteCounts(TENANT)), last.get(),
                        "writes in the last 10 s (by endpoint)"));
        List<Long> settled = system.simulatorWrites(TENANT);
        assertTrue(settled.get(0) > before.get(0) && settled.get(1) > before.get(1),
                "both sides wrote the other's edits: " + before + " -> " + settled);
        Awaitility.await("no further write").during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofSeconds(2)).until(() -> system.simulatorWrites(TENANT).equals(settled));

        // and both sides hold the last save of each field, whichever side made it
        Map<String, JsonNode> byId = system.referralsById(TENANT);
        for (int k = 0; k < OPPORTUNITIES; k++) {
            JsonNode opportunity = system.soql(TENANT, "SELECT Description, Amount FROM Opportunity WHERE Id = '"
                    + ids.get(k) + "'").get(0);
            String referralId = referrals.get(k);
            JsonNode referral = byId.get(referralId);
            assertEquals(opportunity.path("Description").asText(), referral.at("/details/notes").asText(),
                    "notes of " + referralId);
            assertEquals(0, new BigDecimal(opportunity.path("Amount").asText()).compareTo(
                    referral.at("/details/dealValue").decimalValue()), "deal value of " + referralId);
            if (lastNotes.containsKey(k)) {
                String id = ids.get(k);
                assertEquals(lastNotes.get(k), opportunity.path("Description").asText(),
                        () -> "the last save of the notes of " + referralId + " (opportunity " + id + "); its saves of"
                                + " them in Salesforce: " + notesSaved(id));
                assertEquals(0, BigDecimal.valueOf(lastValue.get(k)).compareTo(new BigDecimal(opportunity
                        .path("Amount").asText())), "the last save of the deal value of " + referralId);
            }
        }
    }

    /** The opportunity's saves of its Description (the simulator's change log): when, by whom, what. */
    private static String notesSaved(String opportunityId) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : system.salesforceChanges(TENANT, 0)) {
            if (opportunityId.equals(c.path("recordId").asText()) && c.path("values").has("Description")) {
                out.append("\n  ").append(Instant.ofEpochMilli(c.path("commitTimestamp").asLong())).append(' ')
                        .append(c.path("changeOrigin").asText().contains("client=") ? "writer" : "seller ")
                        .append(' ').append(c.path("values").path("Description").asText());
            }
        }
        return out.toString();
    }
}
