package io.cosellsync.simulator.partnercenter.faults;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.Config;

/**
 * Per-tenant fault settings and counters. Set by the control API ({@code PUT /_sim/tenants/{tenant}/faults}) or by
 * configuration ({@code partner-center-sim.faults."<tenant>".<fault>=<value>}, e.g.
 * {@code partner-center-sim.faults."contoso".throttle=0.1}), which is also what a reset returns to.
 */
@ApplicationScoped
public class Faults {

    private final Map<String, Map<Fault, Double>> configured = new ConcurrentHashMap<>();
    private final Map<String, Map<Fault, Double>> settings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();

    public Faults(Config config) {
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("partner-center-sim.faults.")) {
                String rest = name.substring("partner-center-sim.faults.".length()).replace("\"", "");
                int dot = rest.lastIndexOf('.');
                if (dot > 0) {
                    Fault fault = Fault.valueOf(rest.substring(dot + 1).toUpperCase().replace('-', '_'));
                    configured.computeIfAbsent(rest.substring(0, dot), t -> new EnumMap<>(Fault.class))
                            .put(fault, validate(fault, config.getValue(name, Double.class)));
                }
            }
        }
        reset();
    }

    public void set(String tenant, Map<Fault, Double> values) {
        Map<Fault, Double> checked = new EnumMap<>(Fault.class);
        values.forEach((fault, value) -> checked.put(fault, validate(fault, value)));
        settings.put(tenant, checked);
    }

    public Map<Fault, Double> get(String tenant) {
        return Map.copyOf(settings.getOrDefault(tenant, Map.of()));
    }

    /** Rolls the dice for a ratio fault; counts it when it fires. */
    public boolean fires(String tenant, Fault fault) {
        double ratio = settings.getOrDefault(tenant, Map.of()).getOrDefault(fault, 0.0);
        boolean fires = ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio;
        if (fires) {
            count(tenant, fault);
        }
        return fires;
    }

    /** Milliseconds of latency for the tenant (counted when non-zero). */
    public long latency(String tenant) {
        long millis = settings.getOrDefault(tenant, Map.of()).getOrDefault(Fault.LATENCY, 0.0).longValue();
        if (millis > 0) {
            count(tenant, Fault.LATENCY);
        }
        return millis;
    }

    public Map<String, Long> counters(String tenant) {
        Map<String, Long> out = new TreeMap<>();
        injected.forEach((key, count) -> {
            if (key.startsWith(tenant + "/")) {
                out.put(key.substring(tenant.length() + 1), count.sum());
            }
        });
        return out;
    }

    public void reset() {
        settings.clear();
        configured.forEach((tenant, values) -> settings.put(tenant, new EnumMap<>(values)));
        injected.clear();
    }

    private void count(String tenant, Fault fault) {
        injected.computeIfAbsent(tenant + "/" + fault, k -> new LongAdder()).increment();
    }

    private static double validate(Fault fault, Double value) {
        if (value == null || value < 0 || (fault != Fault.LATENCY && value > 1)) {
            throw new IllegalArgumentException(fault + " takes " + (fault == Fault.LATENCY
                    ? "milliseconds >= 0" : "a ratio between 0 and 1") + ", not " + value);
        }
        return value;
    }
}
