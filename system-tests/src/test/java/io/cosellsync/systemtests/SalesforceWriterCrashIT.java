package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.SalesforceImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill -9} of the salesforce-writer at random points while a burst of 400 referrals flows (three runs, in
 * tenant fabrikam of the shared system): afterwards Salesforce holds exactly the expected state — SOQL counts of every
 * object type, and every mapped field of every opportunity, contact, solution and team member, equal what the field
 * map makes of the referrals in Partner Center. No loss, no duplicate.
 */
class SalesforceWriterCrashIT {

    private static final String TENANT = "fabrikam";
    // 1 000 until session 8, 500 then, 400 since session 9 (suite time); the kills land in the same phases
    private static final int REFERRALS = 400;
    private static final int CUSTOMERS = BurstReferrals.CUSTOMERS;
    private static final int CONTACTS_PER_CUSTOMER = BurstReferrals.CONTACTS_PER_CUSTOMER;
    private static final String SELLER = "sam.lee@fabrikam-partners.example";
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    @ParameterizedTest(name = "run {0}")
    @ValueSource(ints = {1, 2, 3})
    void killingTheWriterMidBurstLosesAndDuplicatesNothing(int run) throws Exception {
        try {
            burst(run);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("run " + run + " stalled; unread records per consumer group and topic: "
                    + system.lags() + "; sync metrics: " + system.metrics(TENANT), e);
        }
    }

    private void burst(int run) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String tag = "Crash" + run + "x" + Long.toString(seed & 0xffffff, 36);
        System.out.println("[crash run " + run + "] tag " + tag + ", seed " + seed);

        // the burst: Microsoft sellers share 400 referrals for 40 customers, from four threads at once
        ExpectedSalesforce expect = ExpectedSalesforce.of(TENANT);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> sending = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            String body = BurstReferrals.referral(tag, i, SELLER);
            sending.add(senders.submit(() -> {
                system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals", body);
                sent.incrementAndGet();
            }));
        }
        senders.shutdown();

        // two kills at random points of the writing: after a random number of opportunities in the first half,
        // then in the second
        List<String> kills = new ArrayList<>();
        for (int kill = 0; kill < 2; kill++) {
            int at = kill * REFERRALS / 2 + 50 + random.nextInt(REFERRALS / 2 - 150);
            Awaitility.await("opportunity " + at).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> system.count(TENANT, "SELECT COUNT() FROM Opportunity WHERE Name LIKE '" + tag
                            + " %'") >= at);
            kills.add(sent.get() + " shared / " + at + "+ opportunities");
            system.killAndRestart("salesforce-writer");
            Awaitility.await("the restarted writer").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).until(() -> system.ready(8082));
        }
        System.out.println("[crash run " + run + "] killed at: " + String.join(", ", kills));
        for (Future<?> f : sending) {
            f.get(2, TimeUnit.MINUTES);
        }
        assertTrue(senders.awaitTermination(1, TimeUnit.MINUTES));

        // everything lands: every object type at its expected count, and then stays there
        Map<String, Integer> want = expectedCounts();
        AtomicReference<Map<String, Integer>> seen = new AtomicReference<>(Map.of());
        Awaitility.await("every record of run " + run).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .failFast("more records than referrals ask for", () -> seen.get().entrySet().stream()
                        .anyMatch(e -> e.getValue() > want.get(e.getKey())))
                .untilAsserted(() -> {
                    seen.set(counts(tag));
                    assertEquals(want, seen.get());
                });
        Awaitility.await("the writer has nothing left to read").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).until(() -> system.lag("salesforce-writer") == 0);
        assertEquals(want, counts(tag), "no duplicate appears once the writer is idle");

        // and every mapped field of every record is what the field map makes of the referral in Partner Center
        Map<String, JsonNode> referrals = new HashMap<>();
        for (JsonNode r : system.getFromPartnerCenter("/_sim/tenants/" + TENANT + "/referrals")) {
            if (r.path("name").asText().startsWith(tag + " ")) {
                referrals.put(r.path("id").asText(), r);
            }
        }
        assertEquals(REFERRALS, referrals.size());
        String referralId = expect.field("Opportunity.Referral_Identifier__c");
        String ofRun = "Name LIKE '" + tag + " %'";
        Map<String, List<JsonNode>> contacts = byOpportunity(system.soql(TENANT, "SELECT OpportunityId, "
                + "Contact.FirstName, Contact.LastName, Contact.Email, Contact.Phone, Contact.Title FROM "
                + "OpportunityContactRole WHERE OpportunityId IN (SELECT Id FROM Opportunity WHERE " + ofRun + ")"),
                "OpportunityId", "Contact");
        Map<String, List<JsonNode>> solutions = byOpportunity(system.soql(TENANT, "SELECT Opportunity__c, "
                + "Solution_Id__c, Solution_Name__c FROM Microsoft_Solution__c WHERE Opportunity__c IN (SELECT Id "
                + "FROM Opportunity WHERE " + ofRun + ")"), "Opportunity__c", null);
        Map<String, List<JsonNode>> sellers = byOpportunity(system.soql(TENANT, "SELECT OpportunityId, User.Email "
                + "FROM OpportunityTeamMember WHERE OpportunityId IN (SELECT Id FROM Opportunity WHERE " + ofRun
                + ")"), "OpportunityId", "User");
        List<JsonNode> opportunities = system.soql(TENANT, "SELECT " + expect.opportunityColumns()
                + " FROM Opportunity WHERE " + ofRun);
        assertEquals(REFERRALS, opportunities.size());
        for (JsonNode opportunity : opportunities) {
            String id = opportunity.path(referralId).asText();
            JsonNode referral = referrals.get(id);
            assertTrue(referral != null, "an opportunity for an unknown referral " + id);
            SalesforceImage image = expect.image(referral);
            String label = "referral " + id;
            expect.assertOpportunity(label, image, opportunity);
            assertEquals(expect.mapper().tenant().pendingStage(), opportunity.path("StageName").asText(), label);
            String opp = opportunity.path("Id").asText();
            for (CollectionRow c : expect.mapper().map().collections()) {
                List<JsonNode> got = switch (c.salesforce()) {
                    case "Contact" -> contacts.getOrDefault(opp, List.of());
                    case "Microsoft_Solution__c" -> solutions.getOrDefault(opp, List.of());
                    default -> sellers.getOrDefault(opp, List.of());
                };
                expect.assertCollection(label, c, image.collection(c.salesforce()), got);
            }
        }
    }

    private static Map<String, Integer> expectedCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("Account", CUSTOMERS);
        counts.put("Contact", CUSTOMERS * CONTACTS_PER_CUSTOMER);
        counts.put("Opportunity", REFERRALS);
        counts.put("OpportunityContactRole", REFERRALS * CONTACTS_PER_CUSTOMER);
        counts.put("Microsoft_Solution__c", REFERRALS);
        counts.put("OpportunityTeamMember", REFERRALS);
        return counts;
    }

    private static Map<String, Integer> counts(String tag) {
        String ofRun = "(SELECT Id FROM Opportunity WHERE Name LIKE '" + tag + " %')";
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("Account", system.count(TENANT, "SELECT COUNT() FROM Account WHERE Name LIKE '" + tag + " %'"));
        counts.put("Contact", system.count(TENANT, "SELECT COUNT() FROM Contact WHERE Email LIKE '%@"
                + tag.toLowerCase() + ".example'"));
        counts.put("Opportunity", system.count(TENANT, "SELECT COUNT() FROM Opportunity WHERE Name LIKE '" + tag
                + " %'"));
        counts.put("OpportunityContactRole", system.count(TENANT, "SELECT COUNT() FROM OpportunityContactRole "
                + "WHERE OpportunityId IN " + ofRun));
        counts.put("Microsoft_Solution__c", system.count(TENANT, "SELECT COUNT() FROM Microsoft_Solution__c WHERE "
                + "Opportunity__c IN " + ofRun));
        counts.put("OpportunityTeamMember", system.count(TENANT, "SELECT COUNT() FROM OpportunityTeamMember WHERE "
                + "OpportunityId IN " + ofRun));
        return counts;
    }

    private static Map<String, List<JsonNode>> byOpportunity(List<JsonNode> rows, String key, String inner) {
        Map<String, List<JsonNode>> by = new HashMap<>();
        for (JsonNode row : rows) {
            by.computeIfAbsent(row.path(key).asText(), k -> new ArrayList<>())
                    .add(inner == null ? row : row.path(inner));
        }
        return by;
    }
}
