package io.cosellsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared test infrastructure is real: a broker that stores records, PostgreSQL servers that run SQL. */
class InfrastructureTest {

    @Test
    void theSharedBrokerHasTheSystemTopicsAndRoundTripsACloudEvent() {
        String topic = Topics.DEFAULT_PREFIX + Topics.SYNC_OUTCOMES;
        Envelope envelope = Envelope.originating(EventType.SYNC_OUTCOME, URI.create("/test"), "006A", TenantId.of("t1"),
                null);
        SyncOutcome outcome = new SyncOutcome(SyncDirection.SALESFORCE_TO_PARTNER_CENTER, SyncOutcome.Status.SUCCEEDED,
                "r-1", "006A", "cmd-1", null, null, Instant.parse("2026-01-01T00:00:00Z"));
        KafkaTestClient kafka = KafkaTestClient.shared();
        kafka.send(topic, envelope, outcome);
        ConsumedEvent read = kafka.await(topic, e -> envelope.id().equals(e.event().getId()), Duration.ofSeconds(20));
        assertEquals("006A", read.key());
        assertEquals("t1", read.tenant());
        assertEquals(outcome, read.payload(SyncOutcome.class));
    }

    @Test
    void theSharedDatabaseRunsSql() throws Exception {
        assertRunsSql(Postgres.shared());
    }

    @Test
    void anEmbeddedServerStartsEvenWhereALocalOneRuns() throws Exception {
        PostgresServer embedded = Postgres.embedded();
        assertEquals(PostgresServer.Mode.EMBEDDED, embedded.mode());
        assertRunsSql(embedded);
    }

    private static void assertRunsSql(PostgresServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS probe (tenant_id text NOT NULL, n int NOT NULL)");
            s.execute("INSERT INTO probe VALUES ('t1', 41), ('t1', 1)");
            try (ResultSet rs = s.executeQuery("SELECT sum(n) FROM probe WHERE tenant_id = 't1'")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        }
    }
}
