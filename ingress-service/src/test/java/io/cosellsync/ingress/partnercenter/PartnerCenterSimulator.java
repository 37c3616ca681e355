package io.cosellsync.ingress.partnercenter;

import io.cosellsync.ingress.webhook.WebhookAuthority;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Runs the packaged Partner Center simulator (a separate process, one per test JVM) and points ingress at it by
 * configuration only — Entra authority, Referrals API, registration API, the seeded app registrations — with a
 * fresh credential key and admin key. It signs webhooks with {@link WebhookAuthority}'s root, which ingress trusts.
 */
public class PartnerCenterSimulator implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_KEY = "test-admin-key-" + Long.toHexString(new SecureRandom().nextLong());
    public static final String CONTOSO_CLIENT = "3f9e6c1a-0d4b-4e8f-a2c7-5b1d9e3f7a60";
    public static final String FABRIKAM_CLIENT = "7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d50";

    private static Process process;
    private static int port;
    private static int webhooksPort;

    @Override
    public synchronized Map<String, String> start() {
        if (process == null) {
            launch();
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> config = new HashMap<>();
        config.put("ingress.partner-center.authority", url());
        config.put("ingress.partner-center.api-url", url());
        config.put("ingress.partner-center.registration-url", "http://127.0.0.1:" + webhooksPort);
        config.put("ingress.partner-center.tenants.contoso.directory", "contoso");
        config.put("ingress.partner-center.tenants.contoso.client-id", CONTOSO_CLIENT);
        config.put("ingress.partner-center.tenants.fabrikam.directory", "fabrikam.onmicrosoft.com");
        config.put("ingress.partner-center.tenants.fabrikam.client-id", FABRIKAM_CLIENT);
        config.put("ingress.partner-center.credential-key", Base64.getEncoder().encodeToString(key));
        config.put("ingress.admin.api-key", ADMIN_KEY);
        return config;
    }

    @Override
    public void stop() {
        // one per test JVM; stopped by the shutdown hook
    }

    public static String registrationUrl() {
        return "http://127.0.0.1:" + webhooksPort;
    }

    public static String url() {
        return "http://127.0.0.1:" + port;
    }

    private static void launch() {
        Path jar = Path.of("..", "simulators", "partner-center", "target", "quarkus-app", "quarkus-run.jar")
                .toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the reactor (./mvnw verify) or "
                    + "./mvnw package -DskipTests -pl simulators/partner-center first");
        }
        port = freePort();
        webhooksPort = freePort();
        try {
            Path log = Files.createTempFile("partner-center-simulator", ".log");
            Path[] root = WebhookAuthority.root();
            process = new ProcessBuilder("java", "-Xmx256m", "-Dquarkus.http.port=" + port,
                    "-Dpartner-center-sim.webhooks.ca-certificate-file=" + root[0],
                    "-Dpartner-center-sim.webhooks.ca-key-file=" + root[1],
                    "-Dpartner-center-sim.webhooks.port=" + webhooksPort,
                    "-Dpartner-center-sim.webhooks.retry-base=PT0.05S", "-Dquarkus.log.console.json.enabled=false",
                    "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Awaitility.await("the Partner Center simulator").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || status(url() + "/q/health/ready") == 200);
            if (!process.isAlive()) {
                throw new IllegalStateException("the Partner Center simulator did not start; log: " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Partner Center simulator", e);
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
