package io.cosellsync.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.testing.JsonHttp;
import io.cosellsync.testing.TokenIssuer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * The whole system as README's run command starts it (broker, database, both simulators, all services), on its own
 * port offset, and the tests' handles on it: the two simulators' APIs, and killing and restarting one service.
 * {@link #shared} is started once per test JVM (scenarios keep apart by tenant); {@link #stop} is Ctrl-C.
 */
final class LocalSystem {

    /** Each seeded org's connected app (the run command configures the writer with the same). */
    private static final Map<String, String> CONSUMER_KEYS = Map.of(
            "contoso", "3MVG9contosoSimConsumerKey0000000000000000000000000000000000000000000000000000001",
            "fabrikam", "3MVG9fabrikamSimConsumerKey000000000000000000000000000000000000000000000000000001");
    private static final int SHARED_OFFSET = 21000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static LocalSystem shared;

    private final int offset;
    /** The broker it uses: its own, or one given by COSELL_KAFKA_BOOTSTRAP. */
    private final String bootstrap;
    private final Process run;
    private final List<String> output;
    private final Path state;
    private final List<Process> restarted = new CopyOnWriteArrayList<>();
    /** The extra environment the run command was started with (and so every service). */
    private final Map<String, String> env;

    private LocalSystem(int offset, Process run, List<String> output, Path state, String bootstrap,
            Map<String, String> env) {
        this.offset = offset;
        this.env = Map.copyOf(env);
        this.bootstrap = bootstrap;
        this.run = run;
        this.output = output;
        this.state = state;
    }

    /**
     * The system all scenario tests of this JVM share, started by the first that asks; stopped when the JVM ends.
     * contoso's Salesforce org sends change events; fabrikam's is read in polling mode. The admin surfaces accept
     * operators' tokens of the test JVM's {@link TokenIssuer} besides the local run's key.
     */
    static synchronized LocalSystem shared() throws IOException {
        if (shared == null) {
            Map<String, String> env = new HashMap<>(TokenIssuer.shared().environment());
            // fabrikam's org is read in polling mode, as one without Change Data Capture
            env.put("COSELL_SALESFORCE_POLLING", "fabrikam");
            shared = start(SHARED_OFFSET, env);
        }
        return shared;
    }

    /** The shared system when one was started (and not stopped), else null. */
    static synchronized LocalSystem sharedIfRunning() {
        return shared;
    }

    /** Stops the shared system, if one runs: two whole systems at once are too much for a two-core machine. */
    static synchronized void stopShared() {
        if (shared != null) {
            shared.stop();
            shared = null;
        }
    }

    static LocalSystem start(int offset) throws IOException {
        return start(offset, Map.of());
    }

    /** @param env extra environment of the run command and so of every service (e.g. a setting of one) */
    static LocalSystem start(int offset, Map<String, String> env) throws IOException {
        Path state = Files.createTempDirectory("cosell-system");
        Process run = runCommand(offset, env, state);
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("reader failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        LocalSystem system = new LocalSystem(offset, run, output, state,
                env.getOrDefault("COSELL_KAFKA_BOOTSTRAP", "127.0.0.1:" + (9092 + offset)), env);
        Awaitility.await("the local system").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1))
                .until(() -> output.contains("all healthy") || !run.isAlive());
        if (!output.contains("all healthy")) {
            system.stop();
            throw new IllegalStateException("the run command did not come up:\n" + String.join("\n", output));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(system::stop));
        return system;
    }

    /** Starts README's run command (the jars this build packaged) with its own state directory; does not wait. */
    static Process runCommand(int offset, Map<String, String> env, Path state) throws IOException {
        // as from a terminal: a build started in the background (nohup, '&') ignores SIGINT, and a shell cannot
        // trap a signal ignored when it starts, so the default disposition is restored for the run command
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT", "bash",
                Processes.ROOT.resolve("deploy/local/run.sh").toString()).redirectErrorStream(true);
        builder.environment().put("COSELL_STATE_DIR", state.toString());
        builder.environment().put("COSELL_SKIP_BUILD", "1");
        builder.environment().put("COSELL_PORT_OFFSET", Integer.toString(offset));
        builder.environment().put("COSELL_TOOLS_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The port offset this system runs with. */
    int offset() {
        return offset;
    }

    void stop() {
        restarted.forEach(p -> p.toHandle().destroy()); // the run command only knows the processes it started
        if (!run.isAlive()) {
            return;
        }
        if (!interrupt()) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    /** Ctrl-C to the run command; whether it ended on its own within two minutes. */
    boolean interrupt() {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
            return run.waitFor(2, TimeUnit.MINUTES);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What the run command has printed so far, line by line. */
    List<String> output() {
        return output;
    }

    /** The run command's state directory (logs, process ids, launch commands). */
    Path state() {
        return state;
    }

    /** {@code kill -9} of one service (as the run command names it), then starting it again as it was started. */
    void killAndRestart(String service) throws Exception {
        restartWith(service, Map.of());
    }

    /**
     * {@code kill -9} of one service, then starting it again as it was started — with the run command's extra
     * environment (e.g. the operators' token issuer), which its launch file does not hold — plus {@code extra}
     * (which the run command's own settings of the service override).
     */
    void restartWith(String service, Map<String, String> extra) throws Exception {
        Path pidFile = state.resolve("launch/" + service + ".pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                service + " (pid " + pid + ") is not running"));
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        process.onExit().get(30, TimeUnit.SECONDS);
        ProcessBuilder launch = new ProcessBuilder("bash", state.resolve("launch/" + service + ".sh").toString());
        launch.environment().putAll(env);
        launch.environment().putAll(extra);
        Process again = launch.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("logs/" + service + ".log").toFile()))
                .start();
        restarted.add(again);
        Files.writeString(pidFile, again.pid() + "\n");
    }

    /** Whether a service (8080 ingress … 8083 partnercenter-writer, before the offset) answers ready. */
    boolean ready(int basePort) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (basePort + offset)
                    + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records on a consumer group's topics (e.g. {@code "salesforce-writer"}'s) that it has not committed yet. */
    long lag(String group) throws Exception {
        return lags().getOrDefault(group, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Per consumer group and topic, the records not committed yet (every partition the group has an offset for,
     * against the partition's end): where a pipeline stands.
     */
    Map<String, Map<String, Long>> lags() throws Exception {
        try (Admin admin = admin()) {
            Map<String, Map<String, Long>> lags = new TreeMap<>();
            for (var group : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                committed.keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest()));
                var latest = admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
                Map<String, Long> byTopic = new TreeMap<>();
                committed.forEach((tp, at) -> byTopic.merge(tp.topic(), latest.get(tp).offset()
                        - (at == null ? 0 : at.offset()), Long::sum));
                lags.put(group.groupId(), byTopic);
            }
            return lags;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Every topic's records so far (the sum of its partitions' end offsets). */
    Map<String, Long> topicEnds() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(admin.listTopics().names().get(30, TimeUnit.SECONDS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).forEach((topic, d) -> d.partitions().forEach(p -> ends.put(
                            new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<String, Long> byTopic = new TreeMap<>();
            admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> byTopic.merge(tp.topic(),
                    info.offset(), Long::sum));
            return byTopic;
        }
    }

    /**
     * The salesforce-writer's Salesforce calls so far for one tenant ({@code cosell_salesforce_calls_total}), by
     * {@code "<object> <operation>"}.
     */
    Map<String, Double> writerCalls(String tenant) {
        Map<String, Double> calls = new HashMap<>();
        String metrics;
        try {
            metrics = metricsText(8082);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("cosell_salesforce_calls_total{")) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher m = label.matcher(line.substring(0, line.indexOf('}')));
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
            if (tenant.equals(labels.get("tenant"))) {
                calls.merge(labels.get("object") + " " + labels.get("operation"),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return calls;
    }

    /** The services' own {@code cosell_*} metrics for one tenant, by service port: where a flow stands. */
    Map<Integer, List<String>> metrics(String tenant) {
        Map<Integer, List<String>> metrics = new TreeMap<>();
        for (int port : new int[] {8080, 8081, 8082, 8083}) {
            try {
                metrics.put(port, metricsText(port).lines().filter(l -> l.startsWith("cosell_")
                        && l.contains("\"" + tenant + "\"") && !l.contains("_bucket")).toList());
            } catch (IOException e) {
                metrics.put(port, List.of("not answering: " + e));
            }
        }
        return metrics;
    }

    /** Whether the salesforce-writer has paused a tenant's writes (its budget of retries ran out). */
    boolean writerPaused() throws IOException {
        return metricsText(8082).lines().anyMatch(l -> l.startsWith("cosell_salesforce_writes_paused ")
                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
    }

    /** A service's Prometheus metrics (8080 ingress … 8083 partnercenter-writer, before the offset). */
    private String metricsText(int basePort) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (basePort + offset)
                    + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The port a service listens on (8080 ingress … before the offset). */
    int port(int basePort) {
        return basePort + offset;
    }

    /** Sets the faults of a tenant's simulated Salesforce org (an empty map clears them). */
    void salesforceFaults(String tenant, Map<String, ?> faults) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/_sim/orgs/" + tenant + "/faults"))
                .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JsonHttp.json(faults))));
    }

    /** A record read back: its tenant ({@code ce_tenant}), Kafka timestamp (when the producer sent it) and value. */
    record TopicRecord(String tenant, Instant timestamp, String value) {
    }

    /** The values of every record on a topic (its full name, prefix included) so far, as text. */
    List<String> topicValues(String topic) {
        return topicRecords(topic).stream().map(TopicRecord::value).toList();
    }

    /** Every record on a topic so far, with its timestamp. */
    List<TopicRecord> topicRecords(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<TopicRecord> records = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    var tenant = r.headers().lastHeader("ce_tenant");
                    records.add(new TopicRecord(tenant == null ? null : new String(tenant.value(),
                            StandardCharsets.UTF_8), Instant.ofEpochMilli(r.timestamp()), r.value()));
                });
            }
            return records;
        }
    }

    /** One service's log so far. */
    String log(String service) throws IOException {
        return Files.readString(state.resolve("logs/" + service + ".log"));
    }

    String partnerCenter() {
        return "http://127.0.0.1:" + (8090 + offset);
    }

    /** The orgs' My Domain host of the Salesforce simulator. */
    String salesforce() {
        return "http://localhost:" + (8091 + offset);
    }

    JsonNode postToPartnerCenter(String path, Object body) {
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(partnerCenter() + path))
                .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(body))));
    }

    JsonNode getFromPartnerCenter(String path) {
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(partnerCenter() + path)).GET());
    }

    /** Every referral of a tenant in the Partner Center simulator (Microsoft's sides too), by referral id. */
    Map<String, JsonNode> referralsById(String tenant) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        getFromPartnerCenter("/_sim/tenants/" + tenant + "/referrals").forEach(r -> byId.put(r.path("id").asText(),
                r));
        return byId;
    }

    /** The first column of the first row of a query in the services' database (as the run command started it). */
    long databaseCount(String sql, Object... params) throws Exception {
        String count = databaseQuery(sql, params);
        return count == null ? 0 : Long.parseLong(count);
    }

    /** The first column of the first row of a query on the local system's database, as text (null: no row). */
    String databaseQuery(String sql, Object... params) throws Exception {
        List<List<String>> rows = databaseRows(sql, params);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Every row of a query on the local system's database, each column as text. */
    List<List<String>> databaseRows(String sql, Object... params) throws Exception {
        String[] ready = Files.readString(state.resolve("postgres.ready")).trim().split("\\s+");
        String password = "-".equals(ready[5]) ? "" : ready[5];
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + ready[1] + ":"
                + ready[2] + "/" + ready[3], ready[4], password);
                java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (java.sql.ResultSet result = s.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Every row of a SOQL query in contoso's org. */
    List<JsonNode> soql(String query) {
        return soql("contoso", query);
    }

    /** Every row of a SOQL query in a tenant's org, through the REST API, following {@code nextRecordsUrl}. */
    List<JsonNode> soql(String tenant, String query) {
        String token = token(tenant);
        List<JsonNode> rows = new ArrayList<>();
        String next = "/services/data/v62.0/query?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        while (next != null) {
            JsonNode answer = JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + next))
                    .header("Authorization", "Bearer " + token).GET());
            answer.path("records").forEach(rows::add);
            next = answer.path("done").asBoolean(true) ? null : answer.path("nextRecordsUrl").asText();
        }
        return rows;
    }

    private String token(String tenant) {
        String form = "grant_type=client_credentials&client_id=" + CONSUMER_KEYS.get(tenant) + "&client_secret="
                + tenant + "-consumer-secret";
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))).path("access_token").asText();
    }

    /** The {@code totalSize} of a SOQL {@code COUNT()} query in a tenant's org. */
    int count(String tenant, String query) {
        String token = token(tenant);
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/services/data/v62.0/query?q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token)
                .GET()).path("totalSize").asInt();
    }

    /**
     * The changes committed in a tenant's org after a change sequence number, oldest first (the simulator's change
     * log, what change data capture publishes): entity, record, commit user and changed fields of each.
     */
    List<JsonNode> salesforceChanges(String tenant, long after) {
        List<JsonNode> changes = new ArrayList<>();
        JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/_sim/orgs/" + tenant + "/changes?after="
                + after)).GET()).forEach(changes::add);
        return changes;
    }

    /** Creates a record as a seller would in the Salesforce UI (the simulator's seller API); returns its id. */
    String sellerCreate(String tenant, String object, Map<String, Object> fields) {
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/_sim/orgs/" + tenant
                + "/seller/records/" + object)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(fields)))).path("id").asText();
    }

    /** A customer's account and one contact of it, as a seller makes them. */
    record Customer(String account, String contact) {
    }

    /** A seller's new customer: an account named {@code name} (US) and a contact with an address of its own. */
    Customer customer(String tenant, String name, String firstName, String lastName) {
        String account = sellerCreate(tenant, "Account", Map.of("Name", name, "BillingCountry", "US"));
        String contact = sellerCreate(tenant, "Contact", Map.of("FirstName", firstName, "LastName", lastName,
                "Email", firstName.toLowerCase() + "@" + name.toLowerCase() + ".example", "AccountId", account));
        return new Customer(account, contact);
    }

    /**
     * A seller's co-sell opportunity for an account and its contact, complete but not yet synced: help requested,
     * marketplace intent, the contact as primary contact role, one solution; {@code fields} add to or replace the
     * opportunity's defaults. Returns its id.
     */
    String coSellOpportunity(String tenant, String account, String contact, Map<String, Object> fields) {
        Map<String, Object> opportunity = new java.util.HashMap<>(Map.of("StageName", "Prospecting", "CloseDate",
                "2027-06-30", "AccountId", account, "Amount", 1000, "How_can_Microsoft_help__c",
                "Proof of concept or demo", "Customer_Marketplace_Intent__c", "Have not decided"));
        opportunity.putAll(fields);
        String id = sellerCreate(tenant, "Opportunity", opportunity);
        sellerCreate(tenant, "OpportunityContactRole", Map.of("OpportunityId", id, "ContactId", contact, "Role",
                "Decision Maker", "IsPrimary", true));
        sellerCreate(tenant, "Microsoft_Solution__c", Map.of("Opportunity__c", id, "Solution_Id__c",
                "SOL-15974-MQF", "Solution_Name__c", "Data Platform"));
        return id;
    }

    /** Changes a record as a seller would. */
    void sellerUpdate(String tenant, String object, String id, Map<String, Object> fields) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/_sim/orgs/" + tenant + "/seller/records/"
                + object + "/" + id)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JsonHttp.json(fields))));
    }

    /**
     * Writes each simulator has taken so far: the tenant's Salesforce REST writes, and Referrals API creates and
     * patches (the Partner Center simulator counts them for all tenants).
     */
    List<Long> simulatorWrites(String tenant) {
        long salesforce = 0;
        long partnerCenter = 0;
        for (Map.Entry<String, Long> e : simulatorWriteCounts(tenant).entrySet()) {
            if (e.getKey().startsWith("Salesforce ")) {
                salesforce += e.getValue();
            } else {
                partnerCenter += e.getValue();
            }
        }
        return List.of(salesforce, partnerCenter);
    }

    /** Each simulator's write calls by endpoint ("Salesforce POST …", "Partner Center PATCH …"): what moved. */
    Map<String, Long> simulatorWriteCounts(String tenant) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        JsonNode calls = JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/_sim/orgs/" + tenant
                + "/counters")).GET()).path("calls");
        for (var it = calls.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().matches("(POST|PATCH|PUT|DELETE) .*") && !e.getKey().contains("OAuth")) {
                counts.put("Salesforce " + e.getKey(), e.getValue().asLong());
            }
        }
        for (var it = getFromPartnerCenter("/_sim/counters").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().matches("(POST|PATCH|PUT) Referrals.*")) {
                counts.put("Partner Center " + e.getKey(), e.getValue().asLong());
            }
        }
        return counts;
    }

    /**
     * An edit by one of the partner's users in Partner Center (the Referrals API, no If-Match): each path replaced
     * by its value.
     */
    void partnerEdit(String token, String referralId, Map<String, Object> values) {
        List<Map<String, Object>> operations = new ArrayList<>();
        values.forEach((path, value) -> operations.add(Map.of("op", "replace", "path", path, "value", value)));
        JsonHttp.send(HttpRequest.newBuilder(URI.create(partnerCenter() + "/v1.0/engagements/referrals/"
                + referralId)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JsonHttp.json(operations))));
    }

    /**
     * CPU seconds used so far (user and system): each service and simulator the run command launched (its
     * {@code /proc/<pid>/stat}), and the whole machine's busy time ({@code machine}, {@code /proc/stat}: the broker,
     * the database and the tests too). Linux only; 100 clock ticks a second.
     */
    Map<String, Double> cpuSeconds() throws IOException {
        Map<String, Double> seconds = new TreeMap<>();
        try (var pids = Files.newDirectoryStream(state.resolve("launch"), "*.pid")) {
            for (Path pid : pids) {
                Path stat = Path.of("/proc", Files.readString(pid).trim(), "stat");
                if (Files.exists(stat)) {
                    // fields after the command's closing parenthesis: utime and stime are the 12th and 13th
                    String line = Files.readString(stat);
                    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                    seconds.put(pid.getFileName().toString().replace(".pid", ""),
                            (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
                }
            }
        }
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8 && i < cpu.length; i++) { // user … steal (guest time is inside user already)
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]); // all but idle and iowait
        }
        seconds.put("machine", busy / 100.0);
        return seconds;
    }

    /** Sets the faults of a tenant's Partner Center (an empty map clears them). */
    void partnerCenterFaults(String tenant, Map<String, ?> faults) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(partnerCenter() + "/_sim/tenants/" + tenant + "/faults"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JsonHttp.json(faults))));
    }

    /** Injects a fault into an org's Pub/Sub API ({@code EXPIRE_REPLAY_IDS}, {@code DROP_STREAMS}, …). */
    void pubsubFault(String tenant, String fault) {
        pubsubFault(tenant, fault, Map.of());
    }

    /** … with the fault's parameters (a gap event's {@code recordIds}, say). */
    void pubsubFault(String tenant, String fault, Map<String, Object> parameters) {
        JsonHttp.send(HttpRequest.newBuilder(URI.create(salesforce() + "/_sim/pubsub/orgs/" + tenant + "/faults/"
                + fault)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(parameters))));
    }

    /**
     * Starts another ingress replica exactly as the run command started the first, on another HTTP port (and any free
     * public webhook port: on one host two replicas cannot share one, and the registered webhook names the first's);
     * its log is {@code logs/ingress-service-<port>.log}. Stopped with the system.
     */
    Process startIngressReplica(int port) throws IOException {
        Path settings = state.resolve("ingress.properties");
        Path replicaSettings = state.resolve("ingress-" + port + ".properties");
        Files.writeString(replicaSettings, Files.readString(settings).replaceAll(
                "(?m)^ingress\\.webhooks\\.public-port=.*$", "ingress.webhooks.public-port=0"));
        String launch = Files.readString(state.resolve("launch/ingress-service.sh"))
                .replaceFirst("QUARKUS_HTTP_PORT=\\d+", "QUARKUS_HTTP_PORT=" + port)
                .replace(settings.toString(), replicaSettings.toString());
        Path script = state.resolve("launch/ingress-service-" + port + ".sh");
        Files.writeString(script, launch);
        Process replica = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("logs/ingress-service-" + port
                        + ".log").toFile())).start();
        restarted.add(replica);
        return replica;
    }

    /** A service's metrics at a port of its own (a second replica); empty when it does not answer. */
    String metricsAt(int port) {
        try {
            return metricsText(port - offset);
        } catch (IOException e) {
            return "";
        }
    }
}
