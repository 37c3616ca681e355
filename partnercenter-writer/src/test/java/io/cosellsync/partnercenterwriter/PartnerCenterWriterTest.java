package io.cosellsync.partnercenterwriter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.Samples;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class PartnerCenterWriterWiringTest {

    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS;
    private static final String DLQ = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_WRITER_DLQ;
    private static final URI MAPPER = URI.create("/cosell-sync/mapper-service");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void readyOnceBrokerAndMigratedSchemaAreThere() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"), "checks.name", org.hamcrest.Matchers
                        .hasItem("database-schema")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
    }

    @Test
    void createAndUpdateCommandsOfOneOpportunityAreRecordedPerTenant() {
        CreateReferralCommand create = Samples.sample(EventType.CREATE_REFERRAL, CreateReferralCommand.class);
        UpdateReferralCommand update = Samples.sample(EventType.UPDATE_REFERRAL, UpdateReferralCommand.class);
        Envelope created = Envelope.originating(EventType.CREATE_REFERRAL, MAPPER, create.opportunityId(),
                TenantId.of("fabrikam"), "v1");
        Envelope updated = created.follow(EventType.UPDATE_REFERRAL, MAPPER, update.opportunityId(), "v2");

        kafka.send(COMMANDS, created, create);
        kafka.send(COMMANDS, updated, update);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(updated) == 1);
        assertEquals(1L, count(created));
        assertEquals(created.correlationId(), TestDatabase.query("SELECT correlation_id FROM"
                + " partnercenter_writer.processed_event WHERE tenant_id = ? AND event_id = ?", "fabrikam",
                updated.id()));
    }

    @Test
    void aCommandOfTheWrongTypeIsDeadLettered() {
        // an opportunity command on the Partner Center topic: valid JSON, wrong place
        Envelope misrouted = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, "misrouted-1",
                TenantId.of("contoso"), null);
        kafka.send(COMMANDS, misrouted, Samples.sample(EventType.UPSERT_OPPORTUNITY,
                io.cosellsync.events.command.UpsertOpportunityCommand.class));

        ConsumedEvent dead = kafka.await(DLQ, e -> "misrouted-1".equals(e.key()), Duration.ofSeconds(30));
        DeadLetter letter = dead.payload(DeadLetter.class);
        assertEquals("partnercenter-writer", letter.service());
        assertTrue(letter.reason().contains("not accepted here"), letter.reason());
        assertEquals(misrouted.correlationId(), dead.correlationId());
        assertEquals(0L, count(misrouted));
    }

    private static long count(Envelope envelope) {
        return TestDatabase.count("SELECT count(*) FROM partnercenter_writer.processed_event"
                + " WHERE tenant_id = ? AND event_id = ?", envelope.tenant().value(), envelope.id());
    }
}
