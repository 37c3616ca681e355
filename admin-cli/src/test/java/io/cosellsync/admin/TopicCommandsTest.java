package io.cosellsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.Topics;
import io.cosellsync.testing.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cosell-admin topics create} on a real broker: every topic under the prefix, once. */
class TopicCommandsTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new CosellAdmin());
        command.setOut(new PrintWriter(out));
        assertEquals(0, command.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void createsTheReleasesTopicsOnceUnderItsPrefix() throws Exception {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        String prefix = "cli-" + Long.toString(System.nanoTime(), 36) + ".";
        String first = run("topics", "create", "--bootstrap-servers", bootstrap, "--prefix", prefix);
        assertTrue(first.contains("topics created: " + prefix + "partnercenter.referral.notifications"), first);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // the broker's metadata catches up with the creation a moment later
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names()
                    .get(30, TimeUnit.SECONDS).containsAll(Topics.all(prefix).stream().map(t -> t.name()).toList()));
            assertEquals(6, admin.describeTopics(Set.of(prefix + Topics.SALESFORCE_COMMANDS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(prefix + Topics.SALESFORCE_COMMANDS).partitions().size());
        }
        String again = run("topics", "create", "--bootstrap-servers", bootstrap, "--prefix", prefix);
        assertTrue(again.contains("topics created: none (all existed)"), again);
    }

    @Test
    void kafkaSecurityComesFromTheServicesEnvironment() {
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                TopicCommands.Create.security(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM",
                        "SCRAM-SHA-512", "KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;", "PATH", "/usr/bin")));
    }
}
