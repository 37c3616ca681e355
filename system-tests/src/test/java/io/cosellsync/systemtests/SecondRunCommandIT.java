package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A second run command started while a system runs with the same ports (another terminal, another state directory)
 * is refused before it starts or changes anything, and the running system keeps its database and goes on syncing.
 */
class SecondRunCommandIT {

    @Test
    void aSecondRunCommandIsRefusedAndTheRunningSystemKeepsItsDataAndSyncs() throws Exception {
        LocalSystem system = LocalSystem.shared();
        String id = system.postToPartnerCenter("/_sim/tenants/contoso/shared-referrals",
                PartnerCenterToSalesforceIT.sharedReferral("second-" + UUID.randomUUID().toString().substring(0, 8)))
                .path("id").asText();
        Awaitility.await("the opportunity").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> opportunities(system, id).size() == 1);

        Path state = Files.createTempDirectory("cosell-second");
        Process second = LocalSystem.runCommand(system.offset(), Map.of(), state);
        String output;
        try {
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second run command must stop on its own");
            output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            second.descendants().forEach(ProcessHandle::destroyForcibly);
            second.destroyForcibly();
        }
        assertNotEquals(0, second.exitValue(), output);
        assertTrue(output.contains("ports are already in use: " + (9092 + system.offset()) + " (Kafka broker)"),
                output);
        assertTrue(output.contains(system.port(8080) + " (ingress-service)"), output);
        assertTrue(output.contains("COSELL_PORT_OFFSET="), output);
        assertTrue(notStarted(state), "nothing started: " + output);

        for (int port : new int[] {8080, 8081, 8082, 8083}) {
            assertTrue(system.ready(port), "service on " + system.port(port) + " after the second run command");
        }
        assertEquals(1, opportunities(system, id).size(), "the opportunity synced before is still there");
        // and the referral still syncs: Partner Center's change reaches the same opportunity
        system.postToPartnerCenter("/_sim/tenants/contoso/referrals/" + id + "/microsoft",
                Map.of("action", "update", "dealValue", 131000));
        Awaitility.await("the update").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().untilAsserted(() -> {
                    List<JsonNode> rows = opportunities(system, id);
                    assertEquals(1, rows.size());
                    assertEquals(0, new BigDecimal("131000").compareTo(rows.get(0).path("Amount").decimalValue()));
                });
    }

    private static List<JsonNode> opportunities(LocalSystem system, String referralId) throws IOException {
        ExpectedSalesforce expect = ExpectedSalesforce.of("contoso");
        return system.soql("SELECT Id, Amount FROM Opportunity WHERE "
                + expect.field("Opportunity.Referral_Identifier__c") + " = '" + referralId + "'");
    }

    /** The refused run command wrote no process list and no logs: it stopped before doing anything. */
    private static boolean notStarted(Path state) throws IOException {
        try (var files = Files.list(state)) {
            return files.findAny().isEmpty();
        }
    }
}
