package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.testing.KafkaBroker;
import io.cosellsync.testing.Postgres;
import io.cosellsync.testing.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two ingress replicas of one tenant: exactly one leads (polls Partner Center, checks the webhook registration), and
 * when it dies the other takes over both.
 */
class IngressReplicasIT {

    private static final Pattern LEADER = Pattern.compile("cosell_ingress_leader\\{tenant=\"contoso\",?} (\\d)");
    private static final Pattern REGISTRATIONS = Pattern.compile(
            "cosell_webhooks_registration_checks_total\\{state=\"[a-z_]+\",tenant=\"contoso\",?} (\\d+)");

    private static Process start(int port, PostgresServer db) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar",
                Processes.serviceJar("ingress-service").toString()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("ingress-replica", ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("COSELL_") || k.startsWith("KAFKA_")
                || k.startsWith("QUARKUS_") || k.startsWith("INGRESS_"));
        builder.environment().put("COSELL_TENANTS", "contoso");
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // two replicas on one host: each its own public webhook port (any free one)
        builder.environment().put("INGRESS_WEBHOOKS_PUBLIC_PORT", "0");
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", db.username());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        builder.environment().put("INGRESS_POLLER_LEADER_CHECK", "1s");
        return builder.start();
    }

    /** 1 when the replica on this port leads contoso, 0 when not, -1 when it does not answer. */
    private static int leads(int port) {
        Matcher m = LEADER.matcher(metrics(port));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** How often the replica checked contoso's webhook registration (counted only where it happened). */
    private static int registrationChecks(int port) {
        Matcher m = REGISTRATIONS.matcher(metrics(port));
        int total = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    private static String metrics(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/metrics").toURL()
                    .openConnection();
            c.setRequestProperty("Accept", "text/plain");
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void exactlyOneReplicaLeadsAndTheOtherTakesOverWhenItDies() throws Exception {
        PostgresServer db = Postgres.shared();
        int[] ports = {Processes.freePort(), Processes.freePort()};
        List<Process> replicas = new ArrayList<>();
        try {
            for (int port : ports) {
                replicas.add(start(port, db));
            }
            for (int port : ports) {
                Awaitility.await().atMost(Duration.ofSeconds(90))
                        .until(() -> Processes.status("http://127.0.0.1:" + port + "/q/health/ready") == 200);
            }
            Awaitility.await("one leader").atMost(Duration.ofSeconds(30))
                    .until(() -> leads(ports[0]) + leads(ports[1]) == 1);
            // and it stays that way
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> leads(ports[0]) + leads(ports[1]) == 1);
            int leader = leads(ports[0]) == 1 ? 0 : 1;
            int follower = 1 - leader;
            // only the leader deals with the webhook registration (poller-only here: no public URL)
            Awaitility.await("the leader checks the registration").atMost(Duration.ofSeconds(10))
                    .until(() -> registrationChecks(ports[leader]) >= 1);
            assertEquals(0, registrationChecks(ports[follower]));

            replicas.get(leader).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Awaitility.await("the other replica takes over").atMost(Duration.ofSeconds(30))
                    .until(() -> leads(ports[follower]) == 1 && registrationChecks(ports[follower]) >= 1);
            assertEquals(-1, leads(ports[leader]));
        } finally {
            for (Process p : replicas) {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
