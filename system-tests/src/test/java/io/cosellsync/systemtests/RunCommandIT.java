package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * README's first command, as a user runs it: everything comes up healthy with demo data flowing, and Ctrl-C
 * stops every process it started. Uses the jars this build packaged and a port offset so it does not collide
 * with a copy a developer has running.
 */
@Order(Integer.MAX_VALUE) // last: it stops the shared system the others use
class RunCommandIT {

    private static final int OFFSET = 20000;

    @Test
    void theRunCommandBringsEverythingUpAndCtrlCStopsEverything() throws Exception {
        // the other scenarios' system, once they are done: its logs hold none of its secrets
        LocalSystem shared = LocalSystem.sharedIfRunning();
        SecretsInLogs sharedSecrets = shared == null ? null : SecretsInLogs.of(shared);
        LocalSystem.stopShared();
        if (shared != null) {
            sharedSecrets.assertNoneIn(shared.state().resolve("logs"), shared.output());
        }
        LocalSystem system = LocalSystem.start(OFFSET); // fails unless it prints "all healthy"
        try {
            List<String> output = system.output();
            assertTrue(output.stream().anyMatch(l -> l.startsWith("demo data: referrals flowed")),
                    String.join("\n", output));
            assertTrue(output.stream().anyMatch(l -> l.startsWith("demo data: opportunities flowed")),
                    String.join("\n", output));
            // each tenant's preflight passes, checked by the CLI as an operator would before going live
            for (String tenant : List.of("contoso", "fabrikam")) {
                assertTrue(output.stream().anyMatch(l -> l.startsWith("preflight: tenant " + tenant + ": PASSED")),
                        String.join("\n", output));
            }
            // the demo's dead letter, and the printed command an operator runs to see it
            assertTrue(output.stream().anyMatch(l -> l.startsWith("demo dead letter: Partner Center refused"
                    + " opportunity 006")), String.join("\n", output));
            String list = output.stream().filter(l -> l.contains("dead-letters list")).findFirst().orElseThrow()
                    .strip();
            Process cli = new ProcessBuilder(list.split(" ")).redirectErrorStream(true).start();
            String listed = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, cli.waitFor(), listed);
            assertTrue(listed.contains("PARTNER_CENTER_REJECTED_400") && listed.contains("partnercenter-writer"),
                    listed);
            for (int port : new int[] {8080, 8081, 8082, 8083, 8090, 8091}) {
                assertEquals(200, Processes.status("http://127.0.0.1:" + (port + OFFSET) + "/q/health/ready"),
                        "port " + (port + OFFSET));
            }
            // the demo's opportunities come back as change events over the simulator's Pub/Sub API (TLS)
            Awaitility.await("change notifications").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> system.topicValues(Topics.DEFAULT_PREFIX + Topics.CHANGE_NOTIFICATIONS).stream()
                            .anyMatch(v -> v.contains("\"entity\":\"Opportunity\"")));
            // and are hydrated into opportunity snapshots (read back whole by SOQL), with their contacts
            Awaitility.await("opportunity snapshots").atMost(Duration.ofSeconds(60)).pollInterval(Duration
                    .ofSeconds(1)).until(() -> system.topicValues(Topics.DEFAULT_PREFIX + Topics.OPPORTUNITY_SNAPSHOTS)
                            .stream().anyMatch(v -> v.contains("\"contactRoles\":[{")));
            List<Long> pids = Files.readAllLines(system.state().resolve("pids")).stream().map(Long::parseLong)
                    .toList();
            assertTrue(pids.size() >= 7, "broker and six applications at least: " + pids);

            // the secrets of this run, collected before it stops: none of them in its logs afterwards
            SecretsInLogs secrets = SecretsInLogs.of(system);
            assertTrue(secrets.size() >= 8, "keys, apps' secrets and issued tokens: " + secrets.size());

            // Ctrl-C
            assertTrue(system.interrupt(), "the run command must stop after Ctrl-C:\n" + String.join("\n", output));
            secrets.assertNoneIn(system.state().resolve("logs"), output);
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "process " + pid + " outlived the run command");
            }
            assertEquals(0, Processes.status("http://127.0.0.1:" + (8080 + OFFSET) + "/q/health/live"));
        } finally {
            system.stop();
        }
    }
}
