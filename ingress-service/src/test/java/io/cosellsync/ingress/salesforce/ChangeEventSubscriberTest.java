package io.cosellsync.ingress.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Topics;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.ingress.salesforce.cdc.ChangeEventSubscriber;
import io.cosellsync.ingress.salesforce.hydration.Reconciler;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Salesforce change events into Kafka through the real Pub/Sub API of the packaged simulator (gRPC over TLS to its
 * CA), the real broker and PostgreSQL: one notification per record, the position stored only after Kafka has them,
 * resumed after a dropped stream without loss or repeat, and a forgotten replay id and a gap each owing a
 * reconciliation, which then runs.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = SalesforceSimulator.class, initArgs = {
        @ResourceArg(name = "config-prefix", value = "ingress.salesforce"),
        @ResourceArg(name = "pubsub", value = "true"),
        @ResourceArg(name = "polling", value = "fabrikam")})
class ChangeEventSubscriberTest {

    private static final String TOPIC = Topics.DEFAULT_PREFIX + Topics.CHANGE_NOTIFICATIONS;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ChangeEventSubscriber subscriber;

    @Inject
    Reconciler reconciler;

    @BeforeEach
    void subscribed() {
        awaitStream("contoso");
    }

    /** Until the subscriber has a stream and Salesforce serves it (its starting point is set). */
    private void awaitStream(String tenant) {
        Awaitility.await("the " + tenant + " stream").atMost(WAIT).until(() -> subscriber.subscribed(tenant)
                && SalesforceSimulator.pubsubStreams(tenant) == 1);
    }

    /** contoso's notifications about a record. */
    private static List<ChangeNotification> about(String recordId) {
        return about("contoso", recordId);
    }

    /** The simulator numbers each org's records from the same start: a record is a tenant's and an id. */
    private static List<ChangeNotification> about(String tenant, String recordId) {
        return KafkaTestClient.shared().readAll(TOPIC).stream().filter(e -> recordId.equals(e.key())
                && tenant.equals(e.tenant())).map(e -> e.payload(ChangeNotification.class)).toList();
    }

    private static String storedReplayId(String tenant) {
        return TestDatabase.query("SELECT encode(replay_id, 'base64') FROM ingress.salesforce_replay"
                + " WHERE tenant_id = ? AND topic = '/data/ChangeEvents'", tenant);
    }

    private static String account(String name) {
        return account("contoso", name);
    }

    private static String account(String tenant, String name) {
        return SalesforceSimulator.sellerCreate(tenant, "Account", Map.of("Name", name, "BillingCountry", "US"));
    }

    @Test
    void aSellersChangesArriveOnePerRecordAndThePositionFollowsKafka() {
        String account = account("Seller Co " + UUID.randomUUID().toString().substring(0, 8));
        String opportunity = SalesforceSimulator.sellerCreate("contoso", "Opportunity", Map.of("Name", "Seller deal",
                "StageName", "Prospecting", "CloseDate", "2027-01-31", "AccountId", account, "Amount", 1000));
        SalesforceSimulator.sellerUpdate("contoso", "Opportunity", opportunity, Map.of("StageName", "Qualification"));

        Awaitility.await("three notifications").atMost(WAIT).untilAsserted(() -> {
            assertEquals(1, about(account).size(), "the account");
            assertEquals(2, about(opportunity).size(), "the opportunity: " + about(opportunity));
        });
        List<ChangeNotification> changes = about(opportunity);
        assertEquals(List.of("CREATE", "UPDATE"), changes.stream().map(ChangeNotification::changeType).toList());
        ChangeNotification update = changes.get(1);
        assertTrue(update.changedFields().contains("StageName"), update.changedFields().toString());
        assertFalse(update.probablyOurs(), "a seller's change is not ours");
        ConsumedEvent raw = KafkaTestClient.shared().readAll(TOPIC).stream()
                .filter(e -> opportunity.equals(e.key()) && "contoso".equals(e.tenant())).toList().get(1);
        assertEquals("contoso", raw.tenant());
        // the stored position is where the last notification stands (the subscriber stores it after the acks)
        Awaitility.await("the stored position").atMost(WAIT).untilAsserted(() ->
                assertEquals(update.replayId(), storedReplayId("contoso").replace("\n", "")));
    }

    @Test
    void aDroppedStreamResumesAfterTheStoredPositionWithoutLossOrRepeat() {
        String before = account("Before drop " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await().atMost(WAIT).until(() -> about(before).size() == 1);
        SalesforceSimulator.pubsubFault("contoso", "DROP_STREAMS", Map.of());
        String during = account("During drop " + UUID.randomUUID().toString().substring(0, 8));
        awaitStream("contoso");
        String after = account("After drop " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await().atMost(WAIT).until(() -> about(during).size() == 1 && about(after).size() == 1);
        assertEquals(1, about(before).size(), "nothing is published twice");
    }

    @Test
    void aReplayIdSalesforceForgotRestartsFromTheOldestEventAndOwesAReconciliation() {
        String first = account("Forgotten " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await().atMost(WAIT).until(() -> about(first).size() == 1);
        int reconciled = reconciler.completed("contoso", "owed");
        SalesforceSimulator.pubsubFault("contoso", "EXPIRE_REPLAY_IDS", Map.of());
        SalesforceSimulator.pubsubFault("contoso", "DROP_STREAMS", Map.of());
        // the reconciliation owed from the last saved position runs once the stream is open again
        Awaitility.await("the reconciliation owed").atMost(WAIT).until(() -> reconciler.completed("contoso",
                "owed") > reconciled);
        String next = account("Remembered " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await("events flow again").atMost(WAIT).until(() -> about(next).size() == 1);
    }

    @Test
    void aGapEventIsPassedOnToBeReadAgainAndOwesAReconciliation() {
        String account = account("Gapped " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertEquals(1, about(account).size(),
                "Salesforce's side: " + SalesforceSimulator.pubsub("contoso")));
        // the first start's reconciliation is done before the gap
        Awaitility.await().atMost(WAIT).until(() -> reconciler.completed("contoso", "owed") >= 1
                && TestDatabase.query("SELECT count(*) FROM ingress.salesforce_replay WHERE tenant_id = 'contoso'"
                        + " AND reconcile_since IS NOT NULL").equals("0"));
        int reconciled = reconciler.completed("contoso", "owed");
        SalesforceSimulator.pubsubFault("contoso", "GAP", Map.of("entity", "Account", "recordIds",
                List.of(account), "changeType", "GAP_UPDATE"));
        Awaitility.await().atMost(WAIT).until(() -> about(account).size() == 2);
        ChangeNotification gap = about(account).get(1);
        assertEquals("GAP_UPDATE", gap.changeType());
        assertTrue(gap.isGap());
        assertEquals(8, Base64.getDecoder().decode(gap.replayId()).length);
        Awaitility.await("the reconciliation the gap owes").atMost(WAIT).until(() -> reconciler.completed(
                "contoso", "owed") > reconciled);
    }

    /**
     * A change event the subscriber cannot read (its payload is not its schema's Avro): dead-lettered once with its
     * reason, the stream going on past it (a later change still arrives, and the position moves beyond it), and a
     * reconciliation owed — never a stream that stops or reads the same bad event again and again.
     */
    @Test
    void anEventThatCannotBeReadIsDeadLetteredOnceAndTheStreamGoesOn() {
        String before = account("Before " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await().atMost(WAIT).until(() -> about(before).size() == 1);
        Awaitility.await().atMost(WAIT).until(() -> reconciler.completed("contoso", "owed") >= 1
                && TestDatabase.query("SELECT count(*) FROM ingress.salesforce_replay WHERE tenant_id = 'contoso'"
                        + " AND reconcile_since IS NOT NULL").equals("0"));
        int reconciled = reconciler.completed("contoso", "owed");
        String garbage = Base64.getEncoder().encodeToString("\u0002not avro at all".getBytes());
        SalesforceSimulator.pubsubFault("contoso", "CORRUPT", Map.of("entity", "Account", "payloadBase64",
                garbage));
        String after = account("After " + UUID.randomUUID().toString().substring(0, 8));
        Awaitility.await("the change after the bad event").atMost(WAIT).until(() -> about(after).size() == 1);

        List<DeadLetter> letters = KafkaTestClient.shared().readAll(Topics.DEFAULT_PREFIX
                + Topics.INGRESS_DLQ).stream().map(e -> e.payload(DeadLetter.class))
                .filter(l -> l.reasonCode().equals("MALFORMED_CHANGE_EVENT") && garbage.equals(l.originalPayload()))
                .toList();
        assertEquals(1, letters.size(), "dead-lettered once: " + letters);
        DeadLetter letter = letters.get(0);
        assertTrue(letter.reason().contains("not readable"), letter.reason());
        assertEquals(DeadLetter.PUBSUB_TOPIC_PREFIX + "/data/ChangeEvents", letter.originalTopic());
        assertEquals("base64", letter.payloadEncoding());
        Awaitility.await("the reconciliation the bad event owes").atMost(WAIT).until(() -> reconciler.completed(
                "contoso", "owed") > reconciled);
        Awaitility.await("the stored position beyond it").atMost(WAIT).untilAsserted(() -> assertEquals(
                about(after).get(0).replayId(), storedReplayId("contoso").replace("\n", "")));
    }
}
