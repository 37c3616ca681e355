package io.cosellsync.salesforcewriter.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The operators' dead-letter API on the real wiring: a command the writer cannot read is dead-lettered by it, indexed,
 * replayed through the API to its topic, fails again and comes back as the same letter; dry runs change nothing;
 * discarded letters are left alone; nothing without the admin key.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(SalesforceSimulator.class)
class DeadLetterAdminTest {

    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final URI MAPPER = URI.create("/cosell-sync/mapper-service");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-key");
    }

    private static String column(String letterId, String column) {
        return TestDatabase.query("SELECT " + column + "::text FROM salesforce_writer_b.dead_letter WHERE tenant_id"
                + " = 'contoso' AND letter_id = ?", letterId);
    }

    /** A command the writer cannot read: it dead-letters it; emits the letter's id (the command's event id). */
    private String deadLetteredCommand(String key) {
        return deadLetteredCommand(key, "{\"opportunityFields\":{}}".getBytes(StandardCharsets.UTF_8));
    }

    private String deadLetteredCommand(String key, byte[] body) {
        Envelope envelope = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, key, TenantId.of("contoso"),
                "\"v1\"");
        kafka.sendRaw(COMMANDS, key, body, Map.of(
                "ce_specversion", "1.0", "ce_id", envelope.id(), "ce_type", envelope.type().ceType(),
                "ce_source", MAPPER.toString(), "ce_subject", key, "ce_time", envelope.time().toString(),
                "ce_tenant", "contoso", "ce_sourceversion", "\"v1\"", "content-type", "application/json"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "open".equals(column(envelope.id(), "state")));
        return envelope.id();
    }

    @Test
    void withoutTheAdminKeyNothingIsShown() {
        given().get("/admin/dead-letters").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer not-the-key").get("/admin/dead-letters").then().statusCode(401);
        admin().get("/admin/dead-letters?tenant=northwind").then().statusCode(404)
                .body("title", equalTo("Unknown tenant"));
        admin().contentType(ContentType.JSON).body(Map.of()).post("/admin/dead-letters/contoso/replay").then()
                .statusCode(400).body("detail", equalTo("name the letters: exactly one of 'ids', 'filter' or 'all':"
                        + " true"));
    }

    @Test
    void aReplayedRecordThatFailsAgainIsTheSameLetterOpenAgain() {
        String key = "ref-replay-" + UUID.randomUUID();
        String id = deadLetteredCommand(key);
        admin().get("/admin/dead-letters?tenant=contoso&record=" + key).then().statusCode(200)
                .body("id", contains(id)).body("[0].service", equalTo("salesforce-writer"))
                .body("[0].reasonCode", equalTo("MALFORMED_EVENT"));
        admin().get("/admin/dead-letters/contoso/" + id).then().statusCode(200)
                .body("original.opportunityFields", equalTo(Map.of())).body("originalHeaders.ce_id", equalTo(id))
                .body("originalKey", equalTo(key));

        // a dry run says what would be replayed and changes nothing
        admin().contentType(ContentType.JSON).body(Map.of("ids", List.of(id), "dryRun", true))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200).body("dryRun", equalTo(true))
                .body("replayed", contains(id));
        assertEquals("0", column(id, "replays"));

        admin().contentType(ContentType.JSON).body(Map.of("ids", List.of(id), "perSecond", 10))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200).body("replayed", contains(id));
        // the writer reads the replayed record, refuses it again: the same letter, a second failure, open again
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(column(id, "failures"))
                && "open".equals(column(id, "state")));
        assertEquals("1", column(id, "replays"));
        assertEquals(1L, TestDatabase.count("SELECT count(*) FROM salesforce_writer_b.dead_letter WHERE"
                + " original_key = ?", key));
        admin().get("/admin/dead-letters/contoso/" + id).then().body("history.action", contains("replayed"))
                .body("history[0].actor", equalTo("admin-key"));
    }

    @Test
    void aReplayAtAHighRateKeepsGoingWhenSendingIsSlowerThanTheRate() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(deadLetteredCommand("ref-fast-" + i + "-" + UUID.randomUUID()));
        }
        // 1 000 a second leaves a millisecond per letter: sending and recording take longer, and the replay waits
        admin().contentType(ContentType.JSON).body(Map.of("ids", ids, "perSecond", 1000))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200).body("replayed.size()",
                        equalTo(40));
        assertEquals(40L, TestDatabase.count("SELECT count(*) FROM salesforce_writer_b.dead_letter WHERE tenant_id ="
                + " 'contoso' AND letter_id = ANY(?::text[]) AND replays = 1", "{" + String.join(",", ids) + "}"));
    }

    @Test
    void aLetterWhoseRecordCannotBeDecodedIsListedShownAndDiscarded() {
        String key = "ref-binary-" + UUID.randomUUID();
        byte[] garbage = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF, 0x7B};
        String id = deadLetteredCommand(key, garbage);
        admin().get("/admin/dead-letters?tenant=contoso&record=" + key).then().statusCode(200).body("id", contains(id))
                .body("[0].reasonCode", equalTo("MALFORMED_EVENT"));
        admin().get("/admin/dead-letters/contoso/" + id).then().statusCode(200)
                .body("original", equalTo(Base64.getEncoder().encodeToString(garbage)));
        admin().contentType(ContentType.JSON).body(Map.of("reason", "binary garbage, nothing to replay"))
                .post("/admin/dead-letters/contoso/" + id + "/discard").then().statusCode(204);
        assertEquals("discarded", column(id, "state"));
        // the consumer went on: a later letter is indexed too
        deadLetteredCommand("ref-after-binary-" + UUID.randomUUID());
    }

    @Test
    void aDiscardedLetterIsLeftAloneUnlessForced() {
        String key = "ref-discard-" + UUID.randomUUID();
        String id = deadLetteredCommand(key);
        admin().contentType(ContentType.JSON).body(Map.of()).post("/admin/dead-letters/contoso/" + id + "/discard")
                .then().statusCode(400);
        admin().contentType(ContentType.JSON).body(Map.of("reason", "a test record, never valid"))
                .post("/admin/dead-letters/contoso/" + id + "/discard").then().statusCode(204);
        assertEquals("discarded", column(id, "state"));

        // every open letter of the tenant: not this one
        admin().contentType(ContentType.JSON).body(Map.of("all", true, "dryRun", true))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200)
                .body("replayed", not(hasItem(id)));
        admin().contentType(ContentType.JSON).body(Map.of("ids", List.of(id)))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200)
                .body("replayed", not(hasItem(id))).body("skipped[0].why", equalTo("discarded (force to replay)"));
        admin().get("/admin/dead-letters?tenant=contoso&state=discarded&record=" + key).then()
                .body("[0].discardReason", equalTo("a test record, never valid"));
        assertEquals("0", column(id, "replays"));
    }

    @Test
    void aChangeEventIngressCouldNotReadIsIndexedButNotReplayedToATopic() {
        String eventId = UUID.randomUUID().toString();
        String replayId = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(
                StandardCharsets.UTF_8)).substring(0, 12);
        DeadLetter letter = new DeadLetter("ingress-service", "MALFORMED_CHANGE_EVENT",
                "change event of schema s1 not readable: EOFException", Instant.now(), 1,
                DeadLetter.PUBSUB_TOPIC_PREFIX + "/data/ChangeEvents", -1, -1, replayId, eventId,
                "salesforce.change-event", Base64.getEncoder().encodeToString(new byte[] {2, 0, 7}), "base64",
                Map.of("schemaId", "s1"));
        kafka.send(Topics.DEFAULT_PREFIX + Topics.INGRESS_DLQ, Envelope.originating(EventType.DEAD_LETTER,
                URI.create("/cosell-sync/ingress-service"), replayId, TenantId.of("contoso"), null), letter);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "open".equals(column(eventId, "state")));
        admin().contentType(ContentType.JSON).body(Map.of("ids", List.of(eventId)))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200)
                .body("replayed", not(hasItem(eventId)))
                .body("skipped[0].why", containsString("not a Kafka record"));
        assertEquals("0", column(eventId, "replays"));
    }
}
