package io.cosellsync.salesforcewriter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.cosellsync.testing.Samples;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The whole wiring on a real broker and database: topic in, envelope read, row written, dead letters out. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(SalesforceSimulator.class)
class SalesforceWriterWiringTest {

    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final String DLQ = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_WRITER_DLQ;
    private static final URI MAPPER = URI.create("/cosell-sync/mapper-service");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void theServiceIsReadyWithBrokerDatabaseAndSchemaAndExposesMetrics() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")));
        given().get("/q/health/ready").then().body(containsString("database-schema"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void aCommandIsRecordedOnceEvenWhenDeliveredTwice() {
        UpsertOpportunityCommand command = Samples.sample(EventType.UPSERT_OPPORTUNITY, UpsertOpportunityCommand.class);
        Envelope envelope = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, command.referralId(),
                TenantId.of("contoso"), "\"etag-1\"");

        kafka.send(COMMANDS, envelope, command);
        kafka.send(COMMANDS, envelope, command);

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> rows("contoso", envelope.id()) == 1);
        // a later command on the same partition proves the duplicate was processed too, and ignored
        Envelope later = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, command.referralId(),
                TenantId.of("contoso"), "\"etag-2\"");
        kafka.send(COMMANDS, later, command);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rows("contoso", later.id()) == 1);
        assertEquals(1L, rows("contoso", envelope.id()));
        assertEquals("io.cosellsync.salesforce.opportunity.upsert.v1", column("contoso", envelope.id(), "event_type"));
        assertEquals("\"etag-1\"", column("contoso", envelope.id(), "source_version"));
    }

    @Test
    void aCommandOfATenantNotServedHereIsSkipped() {
        UpsertOpportunityCommand command = Samples.sample(EventType.UPSERT_OPPORTUNITY, UpsertOpportunityCommand.class);
        Envelope foreign = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, "ref-foreign",
                TenantId.of("northwind"), null);
        Envelope served = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, "ref-foreign",
                TenantId.of("fabrikam"), null);
        kafka.send(COMMANDS, foreign, command);
        kafka.send(COMMANDS, served, command);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rows("fabrikam", served.id()) == 1);
        assertEquals(0L, rows("northwind", foreign.id()));
    }

    @Test
    void aMalformedCommandGoesToTheDeadLetterTopicWithTheReasonAndIsNotRecorded() {
        Envelope envelope = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, "ref-bad",
                TenantId.of("contoso"), null);
        kafka.sendRaw(COMMANDS, "ref-bad", "{\"opportunityFields\":{}}".getBytes(), Map.of(
                "ce_specversion", "1.0", "ce_id", envelope.id(), "ce_type", envelope.type().ceType(),
                "ce_source", MAPPER.toString(), "ce_subject", "ref-bad", "ce_time", envelope.time().toString(),
                "ce_tenant", "contoso", "content-type", "application/json"));

        ConsumedEvent dead = kafka.await(DLQ, e -> "ref-bad".equals(e.key()), Duration.ofSeconds(30));
        DeadLetter letter = dead.payload(DeadLetter.class);
        assertEquals("MALFORMED_EVENT", letter.reasonCode());
        assertTrue(letter.reason().contains("'referralId'"), letter.reason());
        assertEquals(COMMANDS, letter.originalTopic());
        assertEquals(envelope.id(), letter.originalEventId());
        assertEquals("{\"opportunityFields\":{}}", letter.originalPayload());
        assertEquals("contoso", dead.tenant());
        assertEquals(EventType.DEAD_LETTER.ceType(), dead.type());
        assertEquals(0L, rows("contoso", envelope.id()));
    }

    private static long rows(String tenant, String eventId) {
        return TestDatabase.count("SELECT count(*) FROM salesforce_writer_b.processed_event"
                + " WHERE tenant_id = ? AND event_id = ?", tenant, eventId);
    }

    private static String column(String tenant, String eventId, String column) {
        return TestDatabase.query("SELECT " + column + " FROM salesforce_writer_b.processed_event"
                + " WHERE tenant_id = ? AND event_id = ?", tenant, eventId);
    }
}
