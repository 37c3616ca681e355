package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.testing.JsonHttp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite (issue 28; profile {@code chaos}, never part of {@code verify}; system-tests README). The local
 * system with both tenants, its database an embedded PostgreSQL this run controls; a workload of mixed changes
 * ({@link ChaosWorkload}) for at least {@code chaos.minutes} and {@code chaos.changes}; during it, each at a random
 * moment, every fault of the issue ({@link #faults}); then, once settled, {@link ChaosChecks}, and its figures
 * printed. {@code -Dchaos.broken=true} runs the partnercenter-writer with its create idempotency switched off,
 * which the checks must catch (duplicated referrals): the run then passes only if they did.
 */
class ChaosRun {

    private static final int OFFSET = 24000;
    private static final List<String> SERVICES = List.of("ingress-service", "mapper-service", "salesforce-writer",
            "partnercenter-writer");
    private static final int WORKERS = 4;

    private final List<String> faultLog = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyFaultAtOnceLosesNothingDuplicatesNothingAndUndoesNoSave() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("chaos.minutes", 10));
        long changes = Long.getLong("chaos.changes", 10_000);
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        boolean broken = Boolean.getBoolean("chaos.broken");
        boolean faulty = !"false".equals(System.getProperty("chaos.faults"));
        Path data = Files.createTempDirectory("cosell-chaos-pg");
        int pgPort;
        try (ServerSocket s = new ServerSocket(0)) {
            pgPort = s.getLocalPort();
        }
        AtomicReference<EmbeddedPostgres> database = new AtomicReference<>(postgres(data, pgPort));
        Map<String, String> env = new HashMap<>();
        env.put("COSELL_DATABASE_SERVER", "127.0.0.1:" + pgPort + ":postgres:");
        if (broken) {
            env.put("PARTNERCENTER_WRITER_BROKEN_FOR_CHAOS_SUITE", "true");
        }
        // each write and what decided it, in the logs the run leaves behind, to trace a failed check afterwards
        env.put("QUARKUS_LOG_CATEGORY__IO_COSELLSYNC_SALESFORCEWRITER_WRITER__LEVEL", "DEBUG");
        env.put("QUARKUS_LOG_CATEGORY__IO_COSELLSYNC_PARTNERCENTERWRITER_WRITER__LEVEL", "DEBUG");
        // the simulator's orgs allow 15 000 API calls a day by default; ten minutes at this pace (the workload's own
        // seller saves and queries count too) needs the allocation of an Enterprise org with a hundred licences
        for (String tenant : List.of("CONTOSO", "FABRIKAM")) {
            env.put("SALESFORCE_SIM_ORGS_" + tenant + "_DAILY_API_REQUESTS", "200000");
        }
        LocalSystem system = LocalSystem.start(OFFSET, env);
        try {
            ChaosLedger ledger = new ChaosLedger();
            Map<String, TenantMapping> mappings = Map.of("contoso", ExpectedSalesforce.of("contoso").mapper()
                    .tenant(), "fabrikam", ExpectedSalesforce.of("fabrikam").mapper().tenant());
            ChaosWorkload workload = new ChaosWorkload(system, ledger, mappings);
            Instant start = Instant.now();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            // paced: the changes asked for spread over the minutes asked for (a quarter more actions than changes,
            // since faults refuse some), a rate the system is meant to keep up with rather than a flood
            long pace = length.toNanos() * 4 / (changes * 5);
            AtomicLong tickets = new AtomicLong();
            long origin = System.nanoTime();
            for (int i = 0; i < WORKERS; i++) {
                Random random = new Random(seed + i);
                workers.submit(() -> {
                    while (!stop.get()) {
                        long due = origin + tickets.getAndIncrement() * pace;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        workload.act(random);
                    }
                });
            }
            ScheduledExecutorService lookups = Executors.newSingleThreadScheduledExecutor();
            lookups.scheduleWithFixedDelay(() -> {
                try {
                    workload.learnIds();
                } catch (RuntimeException e) {
                    // the lookups are made again on the next round
                }
            }, 2, 2, TimeUnit.SECONDS);
            Instant lastFault = faulty ? faults(system, database, data, pgPort, new Random(seed), start, length)
                    : start;
            Awaitility.await("the workload's changes").atMost(length.multipliedBy(3))
                    .pollInterval(Duration.ofSeconds(5)).until(() -> ledger.total() >= changes
                            && Duration.between(start, Instant.now()).compareTo(length) >= 0);
            stop.set(true);
            lookups.shutdownNow();
            workers.shutdown();
            workers.awaitTermination(2, TimeUnit.MINUTES);
            Instant lastChange = Instant.now();

            // settled: every consumer caught up and no simulator write for 30 s. A system that does not settle (a
            // broken build may stall) is checked as it stands, and that it did not settle is a failure too
            Duration settleLimit = Duration.ofMinutes(Long.getLong("chaos.settle-minutes", broken ? 3 : 20));
            AtomicReference<Map<String, Long>> writes = new AtomicReference<>(writeCounts(system));
            boolean settledInTime = true;
            try {
                Awaitility.await("the system to settle").atMost(settleLimit).pollInterval(Duration.ofSeconds(30))
                        .until(() -> {
                            workload.learnIds();
                            Map<String, Long> now = writeCounts(system);
                            boolean quiet = now.equals(writes.getAndSet(now));
                            return quiet && system.lags().values().stream().allMatch(l -> l.values().stream()
                                    .allMatch(v -> v == 0));
                        });
            } catch (ConditionTimeoutException e) {
                settledInTime = false;
            }
            Instant settled = Instant.now().minusSeconds(30);
            ChaosChecks checks = new ChaosChecks(system, ledger);
            List<String> failures = new ArrayList<>();
            if (!settledInTime) {
                failures.add("the system did not settle within " + settleLimit.toMinutes() + " min of the last change"
                        + " (consumer lags " + system.lags() + ")");
            }
            failures.addAll(checks.run());

            StringBuilder out = new StringBuilder("\n=== chaos run (seed " + seed + (broken ? ", BROKEN build" : "")
                    + (faulty ? "" : ", NO faults")
                    + ") ===\n");
            out.append("changes made: ").append(ledger.total()).append(" in ")
                    .append(Duration.between(start, lastChange).toSeconds()).append(" s ").append(ledger.changes())
                    .append("; user actions refused: ").append(workload.failedActions()).append(' ')
                    .append(workload.refusals())
                    .append('\n');
            out.append("faults: ").append(String.join("; ", faultLog)).append('\n');
            out.append(settledInTime ? "time to settle after the last fault: " + Duration.between(lastFault,
                    settled).toSeconds() + " s (after the last change: " + Duration.between(lastChange, settled)
                            .toSeconds() + " s)\n" : "did not settle\n");
            for (String tenant : List.of("contoso", "fabrikam")) {
                out.append("API calls, ").append(tenant).append(": ").append(apiCalls(system, tenant,
                        ledger.total())).append('\n');
            }
            out.append("dead letters: ").append(checks.deadLetters()).append('\n');
            out.append("restarts survived: ").append(faultLog.stream().filter(f -> f.startsWith("restart")).count())
                    .append('\n');
            out.append("logs: ").append(system.state().resolve("logs")).append('\n');
            out.append("checks failed: ").append(failures.size()).append(' ').append(kinds(failures)).append('\n');
            failures.stream().limit(40).forEach(f -> out.append("  ").append(f).append('\n'));
            System.out.println(out);
            if (broken) {
                assertTrue(failures.stream().anyMatch(f -> f.contains("duplicated")),
                        "the broken build was not caught:" + out);
            } else {
                assertTrue(failures.isEmpty(), out.toString());
            }
        } finally {
            system.stop();
            database.get().close();
        }
    }

    /**
     * Every fault of the issue, each at a random moment of the run's first nine tenths (one after another, so each is
     * logged with its time); returns when the last one ended.
     */
    private Instant faults(LocalSystem system, AtomicReference<EmbeddedPostgres> database, Path data, int pgPort,
            Random random, Instant start, Duration length) throws Exception {
        List<String> kinds = new ArrayList<>(List.of("kafka", "postgres", "salesforce-errors", "partner-center-errors",
                "tokens", "gap", "overflow"));
        kinds.addAll(SERVICES);
        Collections.shuffle(kinds, random);
        long window = length.toMillis() * 9 / 10;
        List<Long> moments = new ArrayList<>();
        kinds.forEach(k -> moments.add((long) (random.nextDouble() * window)));
        Collections.sort(moments);
        // 5 % of webhooks never delivered, for the whole run
        for (String tenant : List.of("contoso", "fabrikam")) {
            system.partnerCenterFaults(tenant, Map.of("WEBHOOK_DROP", 0.05));
        }
        faultLog.add("webhooks dropped (5 %) throughout");
        for (int i = 0; i < kinds.size(); i++) {
            Instant at = start.plusMillis(moments.get(i));
            Awaitility.await().atMost(length).pollInterval(Duration.ofMillis(200)).until(() -> !Instant.now()
                    .isBefore(at));
            String kind = kinds.get(i);
            long offset = Duration.between(start, Instant.now()).toSeconds();
            switch (kind) {
                case "kafka" -> system.killAndRestart("kafka");
                case "postgres" -> {
                    database.get().close();
                    database.set(postgres(data, pgPort));
                }
                case "salesforce-errors" -> window(system, "salesforce", Map.of("SERVER_UNAVAILABLE", 0.10,
                        "REQUEST_LIMIT_EXCEEDED", 0.05, "ROW_LOCK", 0.05));
                case "partner-center-errors" -> window(system, "partner-center", Map.of("SERVER_ERROR", 0.10,
                        "THROTTLE", 0.05, "WEBHOOK_DROP", 0.05));
                case "tokens" -> {
                    for (String tenant : List.of("contoso", "fabrikam")) {
                        system.pubsubFault(tenant, "REVOKE_TOKEN");
                    }
                    window(system, "partner-center", Map.of("ACCESS_TOKEN_REVOCATION", 0.5, "WEBHOOK_DROP", 0.05));
                }
                case "gap" -> system.pubsubFault("contoso", "GAP", Map.of("entity", "Opportunity", "changeType",
                        "GAP_UPDATE", "recordIds", List.of(anyOpportunity(system))));
                case "overflow" -> system.pubsubFault("contoso", "OVERFLOW", Map.of("entity", "Opportunity"));
                default -> system.killAndRestart(kind);
            }
            faultLog.add((SERVICES.contains(kind) || kind.equals("kafka") || kind.equals("postgres") ? "restart "
                    : "") + kind + " at " + offset + " s");
        }
        for (String tenant : List.of("contoso", "fabrikam")) {
            system.partnerCenterFaults(tenant, Map.of());
        }
        return Instant.now();
    }

    /** Faults on one side for 30 s, then the side's faults back to what runs throughout. */
    private static void window(LocalSystem system, String side, Map<String, Double> faults) {
        for (String tenant : List.of("contoso", "fabrikam")) {
            if (side.equals("salesforce")) {
                system.salesforceFaults(tenant, faults);
            } else {
                system.partnerCenterFaults(tenant, faults);
            }
        }
        Instant until = Instant.now().plusSeconds(30);
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> !Instant.now().isBefore(until));
        for (String tenant : List.of("contoso", "fabrikam")) {
            if (side.equals("salesforce")) {
                system.salesforceFaults(tenant, Map.of());
            } else {
                system.partnerCenterFaults(tenant, Map.of("WEBHOOK_DROP", 0.05));
            }
        }
    }

    /** Failures counted by kind: the sentence with its ids and numbers taken out. */
    private static Map<String, Long> kinds(List<String> failures) {
        Map<String, Long> byKind = new TreeMap<>();
        failures.forEach(f -> byKind.merge(f.replaceAll("'[^']*'", "'…'").replaceAll("[0-9A-Za-z]*[0-9][0-9A-Za-z.-]*",
                "#"), 1L, Long::sum));
        return byKind;
    }

    private static String anyOpportunity(LocalSystem system) {
        return system.soql("contoso", "SELECT Id FROM Opportunity LIMIT 1").get(0).path("Id").asText();
    }

    private static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }

    private static Map<String, Long> writeCounts(LocalSystem system) {
        Map<String, Long> all = new HashMap<>();
        for (String tenant : List.of("contoso", "fabrikam")) {
            system.simulatorWriteCounts(tenant).forEach((k, v) -> all.put(tenant + " " + k, v));
        }
        return all;
    }

    /** Every REST call the tenant's Salesforce org answered, and the Referrals API calls of Partner Center. */
    private static String apiCalls(LocalSystem system, String tenant, long changes) {
        long salesforce = 0;
        var calls = JsonHttp.send(HttpRequest.newBuilder(URI.create(system.salesforce() + "/_sim/orgs/" + tenant
                + "/counters")).GET()).path("calls");
        for (var it = calls.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().contains("OAuth")) {
                salesforce += e.getValue().asLong();
            }
        }
        long partnerCenter = partnerCenterCalls(system);
        return String.format("Salesforce %d calls (%.2f per change of all tenants); Partner Center, all tenants: %d"
                + " Referrals API calls (%.2f per change)", salesforce, salesforce / (double) changes, partnerCenter,
                partnerCenter / (double) changes);
    }

    private static long partnerCenterCalls(LocalSystem system) {
        long n = 0;
        for (var it = system.getFromPartnerCenter("/_sim/counters").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().contains("Referrals")) {
                n += e.getValue().asLong();
            }
        }
        return n;
    }
}
