package io.cosellsync.simulator.salesforce.control;

import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * API calls per org: the rolling 24-hour usage that {@code Sforce-Limit-Info} and {@code /limits} report and the
 * daily allocation is checked against (counted in one-minute buckets), and counters by endpoint and status for
 * tests and benchmarks ({@code GET /_sim/orgs/{tenant}/counters}).
 */
@ApplicationScoped
public class ApiUsage {

    private final SimulatorClock clock;
    private final Map<String, NavigableMap<Long, LongAdder>> minutes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> counters = new ConcurrentHashMap<>();

    public ApiUsage(SimulatorClock clock) {
        this.clock = clock;
    }

    /** Counts one call toward the org's allocation. */
    public void use(String tenant) {
        long minute = clock.now().getEpochSecond() / 60;
        minutes.computeIfAbsent(tenant, t -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(minute, m -> new LongAdder()).increment();
    }

    /** Calls in the last 24 hours. */
    public long used(String tenant) {
        NavigableMap<Long, LongAdder> buckets = minutes.get(tenant);
        if (buckets == null) {
            return 0;
        }
        Instant now = clock.now();
        long from = now.minus(Duration.ofDays(1)).getEpochSecond() / 60;
        buckets.headMap(from, false).clear();
        return buckets.tailMap(from, false).values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Counts a finished call by endpoint and status ("POST sobjects 201"). */
    public void record(String tenant, String endpoint, int status) {
        counters.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(endpoint + " " + status, k -> new LongAdder()).increment();
    }

    public Map<String, Long> counters(String tenant) {
        Map<String, Long> out = new TreeMap<>();
        counters.getOrDefault(tenant, Map.of()).forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void reset(String tenant) {
        minutes.remove(tenant);
        counters.remove(tenant);
    }

    public void reset() {
        minutes.clear();
        counters.clear();
    }
}
