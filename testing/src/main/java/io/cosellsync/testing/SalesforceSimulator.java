package io.cosellsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Runs the packaged Salesforce simulator (one process per test JVM, plain HTTP and TLS with its own CA) and points
 * the service under test at its two orgs by configuration only: My Domain URL and connected-app credentials under
 * {@code <prefix>.tenants.<tenant>.*} (init arg {@code config-prefix}, default {@code salesforce}). Also the tests'
 * view of an org: SOQL through the real REST API, the simulator's call counters, faults and seller actions.
 */
public class SalesforceSimulator implements QuarkusTestResourceLifecycleManager {

    public static final Map<String, String[]> APPS = Map.of(
            "contoso", new String[] {"3MVG9contosoSimConsumerKey0000000000000000000000000000000000000000000000000000001",
                "contoso-consumer-secret"},
            "fabrikam", new String[] {"3MVG9fabrikamSimConsumerKey000000000000000000000000000000000000000000000000000001",
                "fabrikam-consumer-secret"});
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process process;
    private static int port;
    private static int tlsPort;
    private static Path tlsDirectory;
    private String prefix = "salesforce";
    private boolean pubsub;
    private List<String> polling = List.of();
    private List<String> mappings = List.of();

    /**
     * {@code config-prefix}: where the service reads its orgs; {@code pubsub=true}: also each org's Pub/Sub endpoint
     * (the TLS port) and trust anchor (the simulator's CA); {@code polling}: tenants (comma-separated) whose org
     * ingress reads in polling mode, as one without change events; {@code mappings}: tenants (comma-separated) whose
     * mapping file is the run command's ({@code deploy/local/mappings/<tenant>.yaml}: stage names and all).
     */
    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("config-prefix", prefix);
        pubsub = Boolean.parseBoolean(initArgs.getOrDefault("pubsub", "false"));
        polling = List.of(initArgs.getOrDefault("polling", "").split(",")).stream().map(String::trim)
                .filter(t -> !t.isEmpty()).toList();
        mappings = List.of(initArgs.getOrDefault("mappings", "").split(",")).stream().map(String::trim)
                .filter(t -> !t.isEmpty()).toList();
    }

    /** The run command's mapping file of a tenant, beside the module under test (as the simulator jars are). */
    private static String mappingFile(String tenant) {
        Path file = Path.of("..", "deploy", "local", "mappings", tenant + ".yaml").toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no mapping file " + file);
        }
        return file.toString();
    }

    @Override
    public synchronized Map<String, String> start() {
        if (process == null) {
            launch();
        }
        Map<String, String> config = new HashMap<>();
        APPS.forEach((tenant, app) -> {
            config.put(prefix + ".tenants." + tenant + ".my-domain-url", instance());
            config.put(prefix + ".tenants." + tenant + ".consumer-key", app[0]);
            config.put(prefix + ".tenants." + tenant + ".consumer-secret", app[1]);
            if (pubsub) {
                config.put(prefix + ".tenants." + tenant + ".pubsub-endpoint", "localhost:" + tlsPort);
                config.put(prefix + ".tenants." + tenant + ".pubsub-trust-anchor", caFile().toString());
            }
            if (polling.contains(tenant)) {
                config.put(prefix + ".tenants." + tenant + ".mode", "polling");
            }
            if (mappings.contains(tenant)) {
                config.put(prefix + ".tenants." + tenant + ".mapping", mappingFile(tenant));
            }
        });
        return config;
    }

    @Override
    public void stop() {
        // one per test JVM; stopped by the shutdown hook
    }

    /** The orgs' My Domain (the simulator tells login and instance apart by host name). */
    public static String instance() {
        return "http://localhost:" + port;
    }

    /** The TLS port (REST and the Pub/Sub API). */
    public static int tlsPort() {
        return tlsPort;
    }

    /** The CA the simulator's TLS certificate chains to. */
    public static Path caFile() {
        return tlsDirectory.resolve("ca.pem");
    }

    /** The plain HTTP port (REST, and the Pub/Sub API over h2c). */
    public static int port() {
        return port;
    }

    private static String control() {
        return "http://127.0.0.1:" + port + "/_sim";
    }

    /** Every row of a SOQL query, as the integration user sees them. */
    public static List<JsonNode> query(String tenant, String soql) {
        JsonNode answer = JsonHttp.send(HttpRequest.newBuilder(URI.create(instance() + "/services/data/v62.0/query?q="
                + URLEncoder.encode(soql, StandardCharsets.UTF_8))).header("Authorization", "Bearer "
                + token(tenant)).GET());
        List<JsonNode> rows = new ArrayList<>();
        answer.path("records").forEach(rows::add);
        return rows;
    }

    /** The org's committed changes (what change data capture publishes), oldest first, as the simulator lists them. */
    public static List<JsonNode> changes(String tenant) {
        List<JsonNode> changes = new ArrayList<>();
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/changes?after=0")).GET())
                .forEach(changes::add);
        return changes;
    }

    /** How many REST calls the org answered since its last reset. */
    public static long calls(String tenant) {
        JsonNode calls = JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/counters"))
                .GET())
                .path("calls");
        long total = 0;
        for (var it = calls.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().startsWith("POST OAuth")) {
                total += e.getValue().asLong();
            }
        }
        return total;
    }

    public static void faults(String tenant, Map<String, Double> faults) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/faults"))
                .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JsonHttp.json(faults))));
    }

    /** How many Pub/Sub streams of the org the simulator is serving (their first request taken). */
    public static int pubsubStreams(String tenant) {
        return pubsub(tenant).path("openStreams").asInt();
    }

    /** The org's event bus as the simulator reports it: newest position, deliveries, open streams, faults. */
    public static JsonNode pubsub(String tenant) {
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/pubsub/orgs/" + tenant)).GET());
    }

    /** Injects a Pub/Sub fault ({@code GAP}, {@code DROP_STREAMS}, {@code EXPIRE_REPLAY_IDS}, …). */
    public static void pubsubFault(String tenant, String fault, Map<String, Object> parameters) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/pubsub/orgs/" + tenant + "/faults/" + fault))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(parameters))));
    }

    /** Ends the org's standing Pub/Sub faults (a delay, an exhausted allocation, an unused merge). */
    public static void pubsubFaultsEnded(String tenant) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/pubsub/orgs/" + tenant + "/faults")).DELETE());
    }

    /** Changes a record as a seller would in the Salesforce UI. */
    public static void sellerUpdate(String tenant, String object, String id, Map<String, Object> fields) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/seller/records/" + object
                + "/" + id))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JsonHttp.json(fields))));
    }

    /**
     * Arms a seller's save of this record, made right after the next API query that reads it (before that answer
     * leaves): the integration reads the record as it was and writes after the seller saved.
     */
    public static void sellerSaveAfterNextQuery(String tenant, String object, String id, Map<String, Object> fields) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/seller/after-next-query/"
                + object + "/" + id))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(fields))));
    }

    /** Deletes a record as a seller would in the Salesforce UI. */
    public static void sellerDelete(String tenant, String object, String id) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/seller/records/" + object
                + "/" + id)).DELETE());
    }

    /** Creates a record as a seller would in the Salesforce UI; returns its id. */
    public static String sellerCreate(String tenant, String object, Map<String, Object> fields) {
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(control() + "/orgs/" + tenant + "/seller/records/"
                + object))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(fields)))).path("id").asText();
    }

    private static String token(String tenant) {
        String[] app = APPS.get(tenant);
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(app[0], StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(app[1], StandardCharsets.UTF_8);
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(instance() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))).path("access_token").asText();
    }

    private static void launch() {
        Path jar = Path.of("..", "simulators", "salesforce", "target", "quarkus-app", "quarkus-run.jar")
                .toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the reactor (./mvnw verify) or "
                    + "./mvnw package -DskipTests -pl simulators/salesforce first");
        }
        try (ServerSocket s = new ServerSocket(0); ServerSocket t = new ServerSocket(0)) {
            port = s.getLocalPort();
            tlsPort = t.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Path log = Files.createTempFile("salesforce-simulator", ".log");
            tlsDirectory = Files.createTempDirectory("salesforce-simulator-tls");
            process = new ProcessBuilder("java", "-Xmx384m", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.http.ssl-port=" + tlsPort, "-Dsalesforce-sim.tls.directory=" + tlsDirectory,
                    "-Dquarkus.log.console.json.enabled=false", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Awaitility.await("the Salesforce simulator").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive() || ready());
            if (!process.isAlive()) {
                throw new IllegalStateException("the Salesforce simulator did not start; log: " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Salesforce simulator", e);
        }
    }

    private static boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
