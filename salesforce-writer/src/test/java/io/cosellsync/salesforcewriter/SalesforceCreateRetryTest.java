package io.cosellsync.salesforcewriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cosellsync.events.TenantId;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's rule for creates, on Salesforce: a read or an update is sent again after a 503 (up to the attempts), a
 * create (POST) is not — Salesforce may have applied it — and the writer's batch starts again from its reads.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(SalesforceSimulator.class)
class SalesforceCreateRetryTest {

    private static final TenantId TENANT = TenantId.of("fabrikam");

    @Inject
    SalesforceClient salesforce;

    @Inject
    SalesforceConfig config;

    @Test
    void aCreateIsSentOnceAfterA503WhileAReadIsSentAgain() {
        // a session first, so that only REST calls meet the fault
        salesforce.query(TENANT, "Account", "SELECT Id FROM Account LIMIT 1").await().atMost(Duration.ofSeconds(30));
        SalesforceSimulator.faults(TENANT.value(), Map.of("SERVER_UNAVAILABLE", 1.0));
        try {
            long before = SalesforceSimulator.calls(TENANT.value());
            assertThrows(SalesforceUnavailable.class, () -> salesforce.create(TENANT, "Account", List.of(Map.of(
                    "attributes", Map.of("type", "Account"), "Name", "Maybe created"))).await()
                    .atMost(Duration.ofSeconds(30)));
            long afterCreate = SalesforceSimulator.calls(TENANT.value());
            assertEquals(1, afterCreate - before, "a create is not sent again after a 503");

            assertThrows(SalesforceUnavailable.class, () -> salesforce.query(TENANT, "Account",
                    "SELECT Id FROM Account LIMIT 1").await().atMost(Duration.ofSeconds(30)));
            assertEquals(config.attempts(), SalesforceSimulator.calls(TENANT.value()) - afterCreate,
                    "a read is sent again up to the attempts");
        } finally {
            SalesforceSimulator.faults(TENANT.value(), Map.of());
        }
    }
}
