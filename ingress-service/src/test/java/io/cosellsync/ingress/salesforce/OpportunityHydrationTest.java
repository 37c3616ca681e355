package io.cosellsync.ingress.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.ingress.salesforce.cdc.ChangeEventSubscriber;
import io.cosellsync.ingress.salesforce.hydration.OpportunityHydrator;
import io.cosellsync.ingress.salesforce.hydration.Reconciler;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Change notifications into opportunity snapshots against the packaged simulator's REST API (SOQL), the real broker
 * and PostgreSQL: a seller's edit to each of the five objects produces a snapshot showing it; removed children
 * disappear; an unchanged opportunity publishes nothing; many changes share few queries; a change the stream lost
 * is read by the reconciliation it owes; team members (no change events) are polled.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = SalesforceSimulator.class, initArgs = {
        @ResourceArg(name = "config-prefix", value = "ingress.salesforce"),
        @ResourceArg(name = "pubsub", value = "true"),
        @ResourceArg(name = "polling", value = "fabrikam"),
        @ResourceArg(name = "mappings", value = "contoso,fabrikam")})
class OpportunityHydrationTest {

    private static final String TOPIC = Topics.DEFAULT_PREFIX + Topics.OPPORTUNITY_SNAPSHOTS;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * The replication API lists a deletion once its minute is over, and polling mode sees removed children only
     * through it: within a minute or so.
     */
    private static final Duration DELETIONS = Duration.ofSeconds(100);
    private static final String TENANT = "contoso";

    @Inject
    OpportunityHydrator hydrator;

    @Inject
    ChangeEventSubscriber subscriber;

    @Inject
    Reconciler reconciler;

    @Inject
    MeterRegistry registry;

    /** The stream starts at the newest event: records are made once it is open. */
    @BeforeEach
    void subscribed() {
        Awaitility.await("the stream").atMost(WAIT).until(() -> subscriber.subscribed(TENANT)
                && SalesforceSimulator.pubsubStreams(TENANT) == 1);
    }

    private static List<ConsumedEvent> snapshotsOf(String opportunity) {
        return snapshotsOf(TENANT, opportunity);
    }

    private static List<ConsumedEvent> snapshotsOf(String tenant, String opportunity) {
        return KafkaTestClient.shared().readAll(TOPIC).stream().filter(e -> opportunity.equals(e.key())
                && tenant.equals(e.tenant())).toList();
    }

    /** Waits for the newest snapshot of the opportunity to show what the test expects, and returns it. */
    private static OpportunitySnapshot awaitSnapshot(String opportunity, String what,
            Predicate<OpportunitySnapshot> shows) {
        return awaitSnapshot(TENANT, opportunity, what, WAIT, shows);
    }

    private static OpportunitySnapshot awaitSnapshot(String tenant, String opportunity, String what,
            Duration within, Predicate<OpportunitySnapshot> shows) {
        OpportunitySnapshot[] newest = {null};
        Awaitility.await(what).atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<ConsumedEvent> all = snapshotsOf(tenant, opportunity);
            newest[0] = all.isEmpty() ? null : all.get(all.size() - 1).payload(OpportunitySnapshot.class);
            return newest[0] != null && shows.test(newest[0]);
        });
        return newest[0];
    }

    private static String create(String object, Map<String, Object> fields) {
        return create(TENANT, object, fields);
    }

    private static String create(String tenant, String object, Map<String, Object> fields) {
        return SalesforceSimulator.sellerCreate(tenant, object, fields);
    }

    private static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private record Deal(String account, String contact, String opportunity, String role, String solution) {
    }

    private static Deal deal() {
        return deal(TENANT);
    }

    private static Deal deal(String tenant) {
        String account = create(tenant, "Account", Map.of("Name", unique("Hydrated Co"), "BillingCountry", "DE",
                "BillingCity", "Berlin"));
        String contact = create(tenant, "Contact", Map.of("LastName", "Weber", "FirstName", "Lena", "Email",
                unique("lena").replace(' ', '.') + "@hydrated.example", "AccountId", account));
        String opportunity = create(tenant, "Opportunity", Map.of("Name", unique("Hydrated deal"), "StageName",
                "Prospecting", "CloseDate", "2027-03-31", "AccountId", account, "Amount", 5000,
                "Sync_with_Partner_Center__c", true));
        String role = create(tenant, "OpportunityContactRole", Map.of("OpportunityId", opportunity, "ContactId",
                contact, "Role", "Decision Maker", "IsPrimary", true));
        String solution = create(tenant, "Microsoft_Solution__c", Map.of("Opportunity__c", opportunity,
                "Solution_Id__c", "SOL-1", "Solution_Name__c", "Data Platform"));
        return new Deal(account, contact, opportunity, role, solution);
    }

    /** contoso's org has change events; fabrikam's runs in polling mode (no Change Data Capture). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"contoso", "fabrikam"})
    void aSellersEditToEachOfTheFiveObjectsProducesASnapshotShowingIt(String tenant) {
        Deal deal = deal(tenant);
        OpportunitySnapshot first = awaitSnapshot(tenant, deal.opportunity(), "the whole deal", WAIT, s ->
                s.contactRoles().size() == 1 && s.solutions().size() == 1);
        assertEquals("DE", first.account().field("BillingCountry"));
        assertEquals(0, new BigDecimal("5000").compareTo((BigDecimal) first.opportunity().field("Amount")));
        assertEquals(Boolean.TRUE, first.opportunity().field("Sync_with_Partner_Center__c"));
        assertEquals("Decision Maker", first.contactRoles().get(0).role());
        assertEquals("Weber", first.contactRoles().get(0).contact().field("LastName"));
        assertEquals("SOL-1", first.solutions().get(0).solutionId());
        assertTrue(first.contactRoles().get(0).primary());

        SalesforceSimulator.sellerUpdate(tenant, "Opportunity", deal.opportunity(), Map.of("Amount", 7500));
        OpportunitySnapshot edited = awaitSnapshot(tenant, deal.opportunity(), "the opportunity's edit", WAIT, s ->
                new BigDecimal("7500").compareTo((BigDecimal) s.opportunity().field("Amount")) == 0);
        if (tenant.equals("contoso")) {
            // Salesforce's stamp has whole seconds; the change event says when to the millisecond, and that is the
            // snapshot's clock (polling mode has no change events: fabrikam's stays the stamp)
            JsonNode commit = SalesforceSimulator.changes(tenant).stream().filter(c -> deal.opportunity().equals(
                    c.path("recordId").asText()) && c.path("changedFields").toString().contains("Amount"))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(Instant.ofEpochMilli(commit.path("commitTimestamp").asLong()), edited.systemModstamp());
        }

        SalesforceSimulator.sellerUpdate(tenant, "Account", deal.account(), Map.of("BillingCity", "Hamburg"));
        awaitSnapshot(tenant, deal.opportunity(), "the account's edit", WAIT, s -> "Hamburg".equals(
                s.account().field("BillingCity")));

        SalesforceSimulator.sellerUpdate(tenant, "Contact", deal.contact(), Map.of("Title", "CTO"));
        awaitSnapshot(tenant, deal.opportunity(), "the contact's edit", WAIT, s -> "CTO".equals(
                s.contactRoles().get(0).contact().field("Title")));

        SalesforceSimulator.sellerUpdate(tenant, "OpportunityContactRole", deal.role(), Map.of("Role",
                "Economic Buyer"));
        awaitSnapshot(tenant, deal.opportunity(), "the contact role's edit", WAIT, s -> "Economic Buyer".equals(
                s.contactRoles().get(0).role()));

        SalesforceSimulator.sellerUpdate(tenant, "Microsoft_Solution__c", deal.solution(), Map.of("Solution_Name__c",
                "Data Platform 2"));
        OpportunitySnapshot last = awaitSnapshot(tenant, deal.opportunity(), "the solution's edit", WAIT, s ->
                "Data Platform 2".equals(s.solutions().get(0).solutionName()));

        // every snapshot a new version: no content was published twice
        List<String> versions = snapshotsOf(tenant, deal.opportunity()).stream()
                .map(e -> (String) e.event().getExtension("sourceversion")).toList();
        assertEquals(versions.size(), versions.stream().distinct().count(), versions.toString());
        assertEquals("Economic Buyer", last.contactRoles().get(0).role(), "earlier edits stay");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"contoso", "fabrikam"})
    void removedChildrenDisappearFromTheSnapshot(String tenant) {
        Deal deal = deal(tenant);
        awaitSnapshot(tenant, deal.opportunity(), "the whole deal", WAIT, s -> s.contactRoles().size() == 1
                && s.solutions().size() == 1);
        // delete events name only the child: its opportunity is found through the links of the last snapshot
        SalesforceSimulator.sellerDelete(tenant, "OpportunityContactRole", deal.role());
        SalesforceSimulator.sellerDelete(tenant, "Microsoft_Solution__c", deal.solution());
        awaitSnapshot(tenant, deal.opportunity(), "the role and the solution removed", DELETIONS, s ->
                s.contactRoles().isEmpty() && s.solutions().isEmpty());
    }

    @Test
    void manyChangesShareFewQueriesAndUnchangedOpportunitiesPublishNothing() {
        // 210 synced opportunities of one account, each with a contact role and a solution
        String account = create("Account", Map.of("Name", unique("Batch Co"), "BillingCountry", "US"));
        String contact = create("Contact", Map.of("LastName", "Batch", "AccountId", account));
        List<String> opportunities = new ArrayList<>();
        List<ChangeNotification> changes = new ArrayList<>();
        for (int i = 0; i < 210; i++) {
            String opportunity = create("Opportunity", Map.of("Name", "Batch deal " + i, "StageName",
                    "Prospecting", "CloseDate", "2027-03-31", "AccountId", account,
                    "Sync_with_Partner_Center__c", true));
            opportunities.add(opportunity);
            String role = create("OpportunityContactRole", Map.of("OpportunityId", opportunity, "ContactId",
                    contact, "Role", "Decision Maker"));
            String solution = create("Microsoft_Solution__c", Map.of("Opportunity__c", opportunity,
                    "Solution_Id__c", "SOL-" + i));
            changes.add(change("Opportunity", opportunity));
            changes.add(change("OpportunityContactRole", role));
            changes.add(change("Microsoft_Solution__c", solution));
        }
        changes.add(change("Contact", contact));
        changes.add(change("Account", account));
        // once the stream's own hydration has caught up, nothing but polls (team members) queries the org
        String lastOne = opportunities.get(opportunities.size() - 1);
        awaitSnapshot(lastOne, "the stream's hydration", s -> s.solutions().size() == 1);
        awaitHydrationIdle();

        double before = hydrationQueries();
        OpportunityHydrator.Result result = hydrator.hydrate(new TenantId(TENANT), changes, Map.of()).await()
                .atMost(WAIT);
        // 632 changes of 5 objects: the roles' opportunities in 2 queries (200 ids each), the solutions' in 2, the
        // contact's in 1, the account's in 1, then the 210 opportunities read whole in 2
        assertEquals(8, result.queries(), result.toString());
        assertEquals(8, hydrationQueries() - before, "SOQL calls sent");
        assertEquals(0, result.published(), "nothing changed since the stream's own snapshots");
        assertEquals(210, result.unchanged());
    }

    /** Until the hydrator has sent no query for a second (the stream's hydration of earlier changes is done). */
    private void awaitHydrationIdle() {
        double[] seen = {-1};
        Awaitility.await("no hydration going on").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            double now = hydrationQueries();
            boolean idle = now == seen[0];
            seen[0] = now;
            return idle;
        });
    }

    /** contoso's SOQL calls so far, but for the team-member polls. */
    private double hydrationQueries() {
        return registry.find("cosell.salesforce.calls").tag("tenant", TENANT).tag("operation", "query").counters()
                .stream().filter(c -> !"OpportunityTeamMember".equals(c.getId().getTag("object")))
                .mapToDouble(Counter::count).sum();
    }

    private static ChangeNotification change(String entity, String id) {
        return new ChangeNotification(entity, id, "UPDATE", UUID.randomUUID().toString(), 1, Instant.now(), null,
                null, List.of(), List.of(), false, "AAAA", Instant.now());
    }

    @Test
    void aSnapshotAheadOfItsEventsIsHeldAndThenDatesEachFieldFromItsOwnSave() {
        Deal deal = deal();
        awaitSnapshot(deal.opportunity(), "the whole deal", s -> s.solutions().size() == 1);
        awaitHydrationIdle();
        SalesforceSimulator.sellerUpdate(TENANT, "Opportunity", deal.opportunity(), Map.of("Amount", 7001));
        Instant amountSaved = awaitSnapshot(deal.opportunity(), "the Amount edit", s -> new BigDecimal("7001")
                .compareTo((BigDecimal) s.opportunity().field("Amount")) == 0).fieldClocks().get("Amount");
        assertNotNull(amountSaved, "the edit's own event dates the Amount");
        Awaitility.await("a later second").atMost(WAIT).until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .isAfter(amountSaved.truncatedTo(ChronoUnit.SECONDS)));
        try {
            // the seller's next save, whose event Salesforce holds back (ingress lagging behind the org)
            SalesforceSimulator.pubsubFault(TENANT, "DELAY_DELIVERY", Map.of("milliseconds", 600_000));
            SalesforceSimulator.sellerUpdate(TENANT, "Opportunity", deal.opportunity(), Map.of("Description",
                    "closing"));
            // the Amount edit's event hydrated (again): the read shows the later save, which no event dates yet
            ChangeNotification amountEdit = new ChangeNotification("Opportunity", deal.opportunity(), "UPDATE",
                    UUID.randomUUID().toString(), 1, amountSaved, "005seller", null, List.of("Amount"), List.of(),
                    false, "AAAA", Instant.now());
            OpportunityHydrator.Result result = hydrator.hydrate(new TenantId(TENANT), List.of(amountEdit), Map.of())
                    .await().atMost(WAIT);
            assertEquals(1, result.held(), result.toString());
            assertEquals(0, result.published());
        } finally {
            SalesforceSimulator.pubsubFaultsEnded(TENANT);
        }
        OpportunitySnapshot closing = awaitSnapshot(deal.opportunity(), "the later save, once its event came",
                s -> "closing".equals(s.opportunity().field("Description")));
        assertEquals(amountSaved, closing.fieldClocks().get("Amount"), "the Amount dates from its own save, hydrated"
                + " a batch before: " + closing.fieldClocks());
        assertTrue(closing.fieldClocks().get("Description").isAfter(amountSaved), closing.fieldClocks().toString());
    }

    @Test
    void aDeletedOpportunityPublishesNothing() {
        Deal deal = deal();
        awaitSnapshot(deal.opportunity(), "the whole deal", s -> s.solutions().size() == 1);
        int before = snapshotsOf(deal.opportunity()).size();
        OpportunityHydrator.Result result = hydrator.hydrate(new TenantId(TENANT), List.of(change("Opportunity",
                "006000000000000AAA")), Map.of()).await().atMost(WAIT);
        assertEquals(1, result.notFound());
        assertEquals(0, result.published());
        assertEquals(before, snapshotsOf(deal.opportunity()).size());
    }

    @Test
    void aChangeTheStreamLostIsReadByTheReconciliationItOwes() {
        Deal deal = deal();
        awaitSnapshot(deal.opportunity(), "the whole deal", s -> s.solutions().size() == 1);
        // a hydration still running for the deal's creation would read the change below too
        awaitHydrationIdle();
        int reconciled = reconciler.completed(TENANT, "owed");
        // the seller's save is held back by Salesforce and then forgotten with every position: the stream can never
        // deliver it, only the reconciliation it owes can
        SalesforceSimulator.pubsubFault(TENANT, "DELAY_DELIVERY", Map.of("milliseconds", 600_000));
        SalesforceSimulator.sellerUpdate(TENANT, "Opportunity", deal.opportunity(), Map.of("Amount", 999));
        SalesforceSimulator.pubsubFault(TENANT, "EXPIRE_REPLAY_IDS", Map.of());
        SalesforceSimulator.pubsubFault(TENANT, "DROP_STREAMS", Map.of());
        SalesforceSimulator.pubsubFaultsEnded(TENANT);
        awaitSnapshot(deal.opportunity(), "the lost change", s ->
                new BigDecimal("999").compareTo((BigDecimal) s.opportunity().field("Amount")) == 0);
        assertTrue(reconciler.completed(TENANT, "owed") > reconciled);
        assertTrue(KafkaTestClient.shared().readAll(Topics.DEFAULT_PREFIX + Topics.CHANGE_NOTIFICATIONS).stream()
                .filter(e -> deal.opportunity().equals(e.key()) && TENANT.equals(e.tenant()))
                .map(e -> e.payload(ChangeNotification.class).changedFields()).noneMatch(f -> f.contains("Amount")),
                "the change did not come as an event");
    }

    @Test
    void anOverflowEventOwesAReconciliationWhichRuns() {
        Awaitility.await("the first start's reconciliation").atMost(WAIT).until(() ->
                reconciler.completed(TENANT, "owed") >= 1);
        int reconciled = reconciler.completed(TENANT, "owed");
        SalesforceSimulator.pubsubFault(TENANT, "OVERFLOW", Map.of("entity", "OpportunityContactRole"));
        Awaitility.await("the reconciliation").atMost(WAIT).until(() -> reconciler.completed(TENANT, "owed")
                > reconciled);
    }

    @Test
    void teamMembersHaveNoChangeEventsAndArePolled() {
        Deal deal = deal();
        awaitSnapshot(deal.opportunity(), "the whole deal", s -> s.solutions().size() == 1);
        String seller = SalesforceSimulator.query(TENANT, "SELECT Id FROM User WHERE Title = 'Account Executive'")
                .get(0).path("Id").asText();
        String member = create("OpportunityTeamMember", Map.of("OpportunityId", deal.opportunity(), "UserId", seller,
                "TeamMemberRole", "Sales Rep"));
        OpportunitySnapshot withTeam = awaitSnapshot(deal.opportunity(), "the team member", s -> s.team().size()
                == 1);
        assertEquals("Sales Rep", withTeam.team().get(0).role());
        assertEquals(seller, withTeam.team().get(0).userId());
        assertTrue(withTeam.team().get(0).email() != null, "the user's email");
        SalesforceSimulator.sellerDelete(TENANT, "OpportunityTeamMember", member);
        awaitSnapshot(TENANT, deal.opportunity(), "the team member removed", DELETIONS, s -> s.team().isEmpty());
    }

    @Test
    void salesforceRefusingEveryQueryForAWhilePausesHydrationAndLosesNothing() {
        Deal deal = deal();
        awaitSnapshot(deal.opportunity(), "the whole deal", s -> s.solutions().size() == 1);
        awaitHydrationIdle();
        // longer than the client's retries (6 attempts from 0.5 s): the hydrator pauses (3 s in tests) and reads again
        SalesforceSimulator.faults(TENANT, Map.of("REQUEST_LIMIT_EXCEEDED", 20.0));
        try {
            SalesforceSimulator.sellerUpdate(TENANT, "Opportunity", deal.opportunity(), Map.of("Amount", 4242));
            awaitSnapshot(TENANT, deal.opportunity(), "the change once Salesforce answers", Duration.ofSeconds(90),
                    s -> new BigDecimal("4242").compareTo((BigDecimal) s.opportunity().field("Amount")) == 0);
        } finally {
            SalesforceSimulator.faults(TENANT, Map.of());
        }
        assertTrue(KafkaTestClient.shared().readAll(Topics.DEFAULT_PREFIX + Topics.INGRESS_DLQ).stream()
                .noneMatch(e -> deal.opportunity().equals(e.key())), "a retryable refusal was dead-lettered");
    }
}
