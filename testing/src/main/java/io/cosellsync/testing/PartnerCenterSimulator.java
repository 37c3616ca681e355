package io.cosellsync.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Runs the packaged Partner Center simulator (a separate process, one per test JVM) and points the service under test
 * at it by configuration only: Entra authority, Referrals API, the seeded app registrations of contoso and fabrikam
 * and a fresh credential key, under {@code <prefix>.*} (init arg {@code config-prefix}, default
 * {@code partner-center}). Subclasses add what their service needs ({@link #launchArguments()} for the simulator
 * process, {@link #start()} for the service).
 */
public class PartnerCenterSimulator implements QuarkusTestResourceLifecycleManager {

    public static final String CONTOSO_CLIENT = PartnerCenterSignIn.CONTOSO_CLIENT;
    public static final String FABRIKAM_CLIENT = PartnerCenterSignIn.FABRIKAM_CLIENT;
    public static final Map<String, String> DIRECTORIES = PartnerCenterSignIn.DIRECTORIES;
    public static final Map<String, String> CLIENTS = PartnerCenterSignIn.CLIENTS;

    private static Process process;
    private static int port;
    private static int webhooksPort;
    private static String credentialKey;
    private String prefix = "partner-center";

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("config-prefix", prefix);
    }

    @Override
    public synchronized Map<String, String> start() {
        synchronized (PartnerCenterSimulator.class) {
            if (process == null) {
                launch(launchArguments());
            }
        }
        Map<String, String> config = new HashMap<>();
        config.put(prefix + ".authority", url());
        config.put(prefix + ".api-url", url());
        DIRECTORIES.forEach((tenant, directory) -> {
            config.put(prefix + ".tenants." + tenant + ".directory", directory);
            config.put(prefix + ".tenants." + tenant + ".client-id", CLIENTS.get(tenant));
        });
        config.put(prefix + ".credential-key", credentialKey());
        return config;
    }

    @Override
    public void stop() {
        // one per test JVM; stopped by the shutdown hook
    }

    /** System properties of the simulator process beyond its ports (e.g. the webhook signing CA). */
    protected List<String> launchArguments() {
        return List.of();
    }

    /** The key stored credentials are encrypted with in this test JVM (base64 of 256 bits). */
    public static synchronized String credentialKey() {
        if (credentialKey == null) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            credentialKey = Base64.getEncoder().encodeToString(key);
        }
        return credentialKey;
    }

    public static String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The simulator's webhook registration API (its own port, as Partner Center has its own host). */
    public static String registrationUrl() {
        return "http://127.0.0.1:" + webhooksPort;
    }

    private static void launch(List<String> extra) {
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
            List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.http.port=" + port,
                    "-Dpartner-center-sim.webhooks.port=" + webhooksPort,
                    "-Dpartner-center-sim.webhooks.retry-base=PT0.05S", "-Dquarkus.log.console.json.enabled=false"));
            command.addAll(extra);
            command.addAll(List.of("-jar", jar.toString()));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
