package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The benchmark (not part of {@code verify}; {@code -Pbenchmark}, see system-tests/README.md): the whole system as
 * the run command starts it; Microsoft sellers share N referrals at a set rate (each a signed webhook to ingress);
 * prints webhook → opportunity latency (the share request's start to the opportunity's {@code CreatedDate} in the
 * Salesforce simulator, both on this machine's clock), throughput, and the writer's Salesforce calls per object type
 * during the run.
 */
class SyncLatencyBenchmark {

    private static final String TENANT = "contoso";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SALESFORCE_TIME = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss.SSSxx");

    @Test
    void webhookToOpportunity() throws Exception {
        int n = Integer.getInteger("benchmark.referrals", 1000);
        double rate = Double.parseDouble(System.getProperty("benchmark.rate", "50"));
        String linger = System.getProperty("benchmark.linger-ms", "");
        Map<String, String> env = linger.isBlank() ? Map.of() : Map.of("SALESFORCE_LINGER_MS", linger);
        LocalSystem system = LocalSystem.start(23000, env);
        try {
            run(system, n, rate, linger.isBlank() ? "default" : linger + " ms");
        } finally {
            system.stop();
        }
    }

    private static void run(LocalSystem system, int n, double rate, String linger) throws Exception {
        String tag = "Bench" + Long.toString(System.nanoTime() & 0xffffff, 36);
        Map<String, Double> callsBefore = system.writerCalls(TENANT);
        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<?>> sending = new ArrayList<>();
        long start = System.nanoTime();
        Instant firstSent = Instant.now();
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * 1_000_000_000L / rate);
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait); // pacing the senders, not waiting for a result
            }
            String body = BurstReferrals.referral(tag, i, "sam.lee@contoso.example");
            sending.add(senders.submit(() -> {
                Instant at = Instant.now();
                String id = system.postToPartnerCenter("/_sim/tenants/" + TENANT + "/shared-referrals", body)
                        .path("id").asText();
                sentAt.put(id, at);
            }));
        }
        for (Future<?> f : sending) {
            f.get(2, TimeUnit.MINUTES);
        }
        senders.shutdown();
        double sendSeconds = (System.nanoTime() - start) / 1e9;

        String referralId = "Referral_Identifier__c";
        Map<String, Instant> createdAt = new HashMap<>();
        Awaitility.await("all " + n + " opportunities").atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                    createdAt.clear();
                    for (JsonNode row : system.soql(TENANT, "SELECT " + referralId + ", CreatedDate FROM Opportunity"
                            + " WHERE Name LIKE '" + tag + " %'")) {
                        createdAt.put(row.path(referralId).asText(), OffsetDateTime.parse(
                                row.path("CreatedDate").asText(), SALESFORCE_TIME).toInstant());
                    }
                    return createdAt.size() >= n;
                });
        Awaitility.await("the writer idle").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> system.lag("salesforce-writer") == 0);
        Map<String, Double> callsAfter = system.writerCalls(TENANT);
        assertEquals(n, createdAt.size(), "one opportunity per referral");

        List<Long> latencies = new ArrayList<>();
        Instant last = firstSent;
        for (Map.Entry<String, Instant> e : createdAt.entrySet()) {
            Instant sent = sentAt.get(e.getKey());
            latencies.add(Duration.between(sent, e.getValue()).toMillis());
            last = e.getValue().isAfter(last) ? e.getValue() : last;
        }
        latencies.sort(Long::compare);
        Map<String, Long> calls = new TreeMap<>();
        callsAfter.forEach((key, value) -> calls.merge(key.substring(0, key.indexOf(' ')),
                Math.round(value - callsBefore.getOrDefault(key, 0.0)), Long::sum));
        calls.values().removeIf(v -> v == 0);
        Map<String, Long> byOperation = new TreeMap<>();
        callsAfter.forEach((key, value) -> byOperation.put(key,
                Math.round(value - callsBefore.getOrDefault(key, 0.0))));
        byOperation.values().removeIf(v -> v == 0);
        long bar = (long) Math.ceil(n / 200.0) + 2;

        StringBuilder report = new StringBuilder();
        report.append(String.format("co-sell sync benchmark: %d referral webhooks at %.0f/s (sent in %.1f s), "
                + "tenant %s, writer linger %s, %d cores%n", n, rate, sendSeconds, TENANT, linger,
                Runtime.getRuntime().availableProcessors()));
        report.append(String.format("webhook -> opportunity latency: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                latencies.get(latencies.size() - 1)));
        double seconds = Duration.between(firstSent, last).toMillis() / 1000.0;
        report.append(String.format("throughput: %d opportunities in %.1f s = %.1f/s%n", n, seconds, n / seconds));
        report.append("Salesforce calls per object type (bar: <= ").append(bar).append(" each): ").append(calls)
                .append(System.lineSeparator());
        report.append("  by operation: ").append(byOperation).append(System.lineSeparator());
        report.append(String.format("bar (p95 <= 1500 ms, calls <= %d per type): latency %s, calls %s%n", bar,
                percentile(latencies, 95) <= 1500 ? "met" : "MISSED",
                calls.values().stream().allMatch(c -> c <= bar) ? "met" : "MISSED"));
        System.out.print(report);
        Path out = Path.of("target", "benchmark.txt");
        try {
            Files.writeString(out, report + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("could not write " + out + ": " + e);
        }
    }

    /**
     * Salesforce → snapshot: sellers edit synced opportunities at a set rate; prints seller edit → opportunity
     * snapshot latency (the edit request's start to the snapshot's Kafka timestamp, both on this machine's clock) for
     * every edit whose amount a snapshot shows (edits that land in the same read are coalesced by design), and
     * ingress's SOQL calls per edit.
     */
    @Test
    void sellerEditToSnapshot() throws Exception {
        int n = Integer.getInteger("benchmark.edits", 1000);
        double rate = Double.parseDouble(System.getProperty("benchmark.rate", "50"));
        int opportunities = 200;
        LocalSystem system = LocalSystem.start(23000);
        try {
            String tag = "EditBench" + Long.toString(System.nanoTime() & 0xffffff, 36);
            String account = system.sellerCreate(TENANT, "Account", Map.of("Name", tag, "BillingCountry", "US"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < opportunities; i++) {
                // not synced: ingress alone is measured here (a synced one would also go on to Partner Center)
                ids.add(system.sellerCreate(TENANT, "Opportunity", Map.of("Name", tag + " " + i, "StageName",
                        "Prospecting", "CloseDate", "2027-06-30", "AccountId", account, "Amount", 0,
                        "Sync_with_Partner_Center__c", false)));
            }
            String topic = Topics.DEFAULT_PREFIX + Topics.OPPORTUNITY_SNAPSHOTS;
            Awaitility.await("the first snapshots").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> amounts(system, topic, ids).size() >= opportunities);
            double queriesBefore = ingressQueries(system);

            Map<String, Instant> editedAt = new ConcurrentHashMap<>();
            ExecutorService editors = Executors.newFixedThreadPool(8);
            List<Future<?>> editing = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1_000_000_000L / rate);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait); // pacing the editors, not waiting for a result
                }
                String id = ids.get(i % opportunities);
                long amount = i + 1L;
                editing.add(editors.submit(() -> {
                    editedAt.put(id + " " + amount, Instant.now());
                    system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Amount", amount));
                }));
            }
            for (Future<?> f : editing) {
                f.get(2, TimeUnit.MINUTES);
            }
            editors.shutdown();
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long lastAmount = n;
            Awaitility.await("the last edit's snapshot").atMost(Duration.ofMinutes(5)).pollInterval(
                    Duration.ofSeconds(2)).until(() -> amounts(system, topic, ids).containsKey(
                            ids.get((n - 1) % opportunities) + " " + lastAmount));
            Map<String, Instant> shownAt = amounts(system, topic, ids);
            List<Long> latencies = new ArrayList<>();
            editedAt.forEach((edit, at) -> {
                Instant shown = shownAt.get(edit);
                if (shown != null) {
                    latencies.add(Duration.between(at, shown).toMillis());
                }
            });
            latencies.sort(Long::compare);
            double queries = ingressQueries(system) - queriesBefore;
            String report = String.format("co-sell sync benchmark: %d seller edits of %d synced opportunities at"
                    + " %.0f/s (sent in %.1f s), tenant %s, %d cores%n"
                    + "seller edit -> opportunity snapshot latency (%d edits shown, the rest coalesced): p50 %d ms,"
                    + " p95 %d ms, p99 %d ms, max %d ms%n"
                    + "ingress SOQL calls: %.0f (%.2f per edit)%n", n, opportunities, rate, sendSeconds, TENANT,
                    Runtime.getRuntime().availableProcessors(), latencies.size(), percentile(latencies, 50),
                    percentile(latencies, 95), percentile(latencies, 99), latencies.get(latencies.size() - 1),
                    queries, queries / n);
            System.out.print(report);
            Files.writeString(Path.of("target", "benchmark.txt"), report + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } finally {
            system.stop();
        }
    }

    /**
     * Salesforce → Partner Center: N synced co-sell opportunities (one account and contact, each with its contact
     * role and solution); sellers switch Sync on at a set rate, then edit each one's amount at that rate. Prints
     * seller change → Partner Center latency for both (the seller request's start to the Kafka timestamp of the
     * partnercenter-writer's outcome, published once Partner Center answered, both on this machine's clock) and
     * the Referrals API calls per change.
     */
    @Test
    void sellerChangeToReferral() throws Exception {
        int n = Integer.getInteger("benchmark.changes", 1000);
        double rate = Double.parseDouble(System.getProperty("benchmark.rate", "50"));
        // creates may be paced apart: a create is several times an edit's work
        double createRate = Double.parseDouble(System.getProperty("benchmark.create-rate", String.valueOf(rate)));
        LocalSystem system = LocalSystem.start(23000);
        try {
            String tag = "PcBench" + Long.toString(System.nanoTime() & 0xffffff, 36);
            LocalSystem.Customer customer = system.customer(TENANT, tag, "Mia", "Wong");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = system.coSellOpportunity(TENANT, customer.account(), customer.contact(), Map.of("Name",
                        tag + " " + i));
                ids.add(id);
            }
            // the setup's own change events are read before anything is measured
            settled(system);
            String report = String.format("co-sell sync benchmark: %d synced co-sell opportunities, creates at"
                    + " %.0f/s, edits at %.0f/s, tenant %s, %d cores%n", n, createRate, rate, TENANT,
                    Runtime.getRuntime().availableProcessors());
            report += phase(system, "Sync switched on -> referral created", ids, createRate,
                    id -> Map.of("Sync_with_Partner_Center__c", true), "created");
            report += phase(system, "amount edited -> referral patched", ids, rate,
                    id -> Map.of("Amount", 2000 + ids.indexOf(id)), "updated:");
            System.out.print(report);
            Files.writeString(Path.of("target", "benchmark.txt"), report + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } finally {
            system.stop();
        }
    }

    /** Every consumer group has read everything: what a change set off (echoes included) is done. */
    private static void settled(LocalSystem system) {
        Awaitility.await("the system to settle").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> system.lags().values().stream().flatMap(m -> m.values().stream())
                        .allMatch(lag -> lag == 0));
    }

    /** One seller change per opportunity at the rate; the latency to the writer's matching outcome. */
    private static String phase(LocalSystem system, String label, List<String> ids, double rate,
            java.util.function.Function<String, Map<String, Object>> change, String outcome) throws Exception {
        Map<String, Double> callsBefore = partnerCenterCalls(system);
        Map<String, Double> cpuBefore = system.cpuSeconds();
        Map<String, Long> recordsBefore = system.topicEnds();
        List<JsonNode> earlier = system.salesforceChanges(TENANT, 0);
        long sequenceBefore = earlier.isEmpty() ? 0 : earlier.get(earlier.size() - 1).path("sequence").asLong();
        Map<String, Instant> changedAt = new ConcurrentHashMap<>();
        ExecutorService sellers = Executors.newFixedThreadPool(8);
        List<Future<?>> changing = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            long due = start + (long) (i * 1_000_000_000L / rate);
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait); // pacing the sellers, not waiting for a result
            }
            String id = ids.get(i);
            changing.add(sellers.submit(() -> {
                changedAt.put(id, Instant.now());
                system.sellerUpdate(TENANT, "Opportunity", id, change.apply(id));
            }));
        }
        for (Future<?> f : changing) {
            f.get(2, TimeUnit.MINUTES);
        }
        sellers.shutdown();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        String topic = Topics.DEFAULT_PREFIX + Topics.SYNC_OUTCOMES;
        Awaitility.await(label).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> outcomes(system, topic, changedAt, outcome).size() == ids.size());
        Map<String, Instant> doneAt = outcomes(system, topic, changedAt, outcome);
        List<Long> latencies = new ArrayList<>();
        changedAt.forEach((id, at) -> latencies.add(Duration.between(at, doneAt.get(id)).toMillis()));
        latencies.sort(Long::compare);
        Map<String, Double> calls = partnerCenterCalls(system);
        StringBuilder perMethod = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : new TreeMap<>(calls).entrySet()) {
            double made = e.getValue() - callsBefore.getOrDefault(e.getKey(), 0.0);
            total += made;
            perMethod.append(String.format(" %s %.0f", e.getKey(), made));
        }
        // CPU per change, echoes included (everything the changes set off is read)
        settled(system);
        Map<String, Double> cpu = system.cpuSeconds();
        StringBuilder perProcess = new StringBuilder();
        for (Map.Entry<String, Double> e : new TreeMap<>(cpu).entrySet()) {
            perProcess.append(String.format(" %s %.0f", e.getKey(), (e.getValue() - cpuBefore.getOrDefault(
                    e.getKey(), 0.0)) * 1000 / ids.size()));
        }
        // what each change set going: records per change on each topic that got any
        StringBuilder perTopic = new StringBuilder();
        system.topicEnds().forEach((name, end) -> {
            long added = end - recordsBefore.getOrDefault(name, 0L);
            if (added > 0) {
                perTopic.append(String.format(" %s %.2f", name.replace(Topics.DEFAULT_PREFIX, ""),
                        (double) added / ids.size()));
            }
        });
        // and which Salesforce saves made those change events: by object, user and fields changed
        Map<String, Long> saves = new TreeMap<>();
        for (JsonNode c : system.salesforceChanges(TENANT, sequenceBefore)) {
            List<String> fields = new ArrayList<>();
            c.path("changedFields").forEach(f -> fields.add(f.asText()));
            fields.sort(null);
            saves.merge(c.path("entityName").asText() + " by " + c.path("commitUser").asText() + " " + fields, 1L,
                    Long::sum);
        }
        StringBuilder perSave = new StringBuilder();
        saves.forEach((kind, count) -> perSave.append(String.format("%n    %.2f %s", (double) count / ids.size(),
                kind)));
        return String.format("%s (sent in %.1f s): p50 %d ms, p95 %d ms, p99 %d ms, max %d ms; Referrals API calls"
                + " %.0f (%.2f per change):%s; CPU ms per change:%s; records per change:%s; Salesforce saves per"
                + " change:%s%n", label, sendSeconds, percentile(latencies, 50), percentile(latencies, 95),
                percentile(latencies, 99), latencies.get(latencies.size() - 1), total, total / ids.size(), perMethod,
                perProcess, perTopic, perSave);
    }

    /** The first partnercenter-writer outcome of each opportunity after its change whose message says it. */
    private static Map<String, Instant> outcomes(LocalSystem system, String topic, Map<String, Instant> changedAt,
            String says) {
        Map<String, Instant> done = new HashMap<>();
        for (LocalSystem.TopicRecord r : system.topicRecords(topic)) {
            try {
                JsonNode outcome = JSON.readTree(r.value());
                String id = outcome.path("opportunityId").asText();
                Instant changed = changedAt.get(id);
                if (changed != null && "SUCCEEDED".equals(outcome.path("status").asText())
                        && outcome.path("message").asText().contains(says) && !r.timestamp().isBefore(changed)) {
                    done.putIfAbsent(id, r.timestamp());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return done;
    }

    private static Map<String, Double> partnerCenterCalls(LocalSystem system) {
        Map<String, Double> calls = new HashMap<>();
        system.metricsAt(system.port(8083)).lines().filter(l -> l.startsWith("cosell_partnercenter_calls_total{")
                && l.contains("tenant=\"" + TENANT + "\"")).forEach(l -> {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("method=\"(\\w+)\"").matcher(l);
                    if (m.find()) {
                        calls.merge(m.group(1), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
                    }
                });
        return calls;
    }

    /** When a snapshot first showed each "opportunity amount" of these opportunities. */
    private static Map<String, Instant> amounts(LocalSystem system, String topic, List<String> ids) {
        Map<String, Instant> shown = new HashMap<>();
        for (LocalSystem.TopicRecord r : system.topicRecords(topic)) {
            if (!TENANT.equals(r.tenant())) {
                continue;
            }
            try {
                JsonNode opportunity = JSON.readTree(r.value()).path("opportunity");
                String id = opportunity.path("id").asText();
                if (ids.contains(id)) {
                    shown.putIfAbsent(id + " " + opportunity.path("fields").path("Amount").asLong(), r.timestamp());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shown;
    }

    private static double ingressQueries(LocalSystem system) {
        return system.metricsAt(system.port(8080)).lines().filter(l -> l.startsWith("cosell_salesforce_calls_total{")
                && l.contains("tenant=\"" + TENANT + "\"") && l.contains("operation=\"query\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
