package io.cosellsync.simulator.support;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.Config;

/**
 * A simulator's injectable faults, per tenant (or org), off by default, each injection counted. Most faults are
 * ratios in [0, 1] (the share of requests affected); the others take a magnitude (milliseconds, seconds) that
 * {@link #magnitude} reads. Set through a control API, or by configuration
 * ({@code <prefix>."<tenant>".<fault>=<value>}), which is also what {@link #reset} returns to.
 */
public abstract class FaultBoard<F extends Enum<F>> {

    private final Class<F> type;
    private final Map<String, Map<F, Double>> configured = new ConcurrentHashMap<>();
    private final Map<String, Map<F, Double>> settings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();

    protected FaultBoard(Class<F> type, Config config, String prefix) {
        this.type = type;
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix + ".")) {
                String rest = name.substring(prefix.length() + 1).replace("\"", "");
                int dot = rest.lastIndexOf('.');
                if (dot > 0) {
                    F fault = parse(rest.substring(dot + 1));
                    configured.computeIfAbsent(rest.substring(0, dot), t -> new EnumMap<>(type))
                            .put(fault, validate(fault, config.getValue(name, Double.class)));
                }
            }
        }
        reset();
    }

    /** Whether the fault's value is a ratio in [0, 1]; otherwise it is a non-negative magnitude. */
    protected abstract boolean isRatio(F fault);

    /** A fault by name, case-insensitive, dashes for underscores; IllegalArgumentException listing the valid ones. */
    public F parse(String name) {
        try {
            return Enum.valueOf(type, name.toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + name + "' (faults: "
                    + Arrays.toString(type.getEnumConstants()) + ")");
        }
    }

    /** Replaces a tenant's settings. */
    public void set(String tenant, Map<F, Double> values) {
        Map<F, Double> checked = new EnumMap<>(type);
        values.forEach((fault, value) -> checked.put(fault, validate(fault, value)));
        settings.put(tenant, checked);
    }

    /** Replaces a tenant's settings from names to values (a control API's JSON body). */
    public void setByName(String tenant, Map<String, Double> values) {
        Map<F, Double> parsed = new EnumMap<>(type);
        values.forEach((name, value) -> parsed.put(parse(name), value));
        set(tenant, parsed);
    }

    public Map<F, Double> get(String tenant) {
        return Map.copyOf(settings.getOrDefault(tenant, Map.of()));
    }

    /** Rolls the dice for a ratio fault; counts it when it fires. */
    public boolean fires(String tenant, F fault) {
        double ratio = settings.getOrDefault(tenant, Map.of()).getOrDefault(fault, 0.0);
        boolean fires = ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio;
        if (fires) {
            count(tenant, fault);
        }
        return fires;
    }

    /** A magnitude fault's value for the tenant (0 when off); not counted, callers count what they inject. */
    public double magnitude(String tenant, F fault) {
        return settings.getOrDefault(tenant, Map.of()).getOrDefault(fault, 0.0);
    }

    /** What a control API shows: the tenant's settings and what was injected. */
    public Map<String, Object> state(String tenant) {
        return Map.of("settings", get(tenant), "injected", counters(tenant));
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

    /** Resets one tenant to its configured faults and clears its counters. */
    public void reset(String tenant) {
        settings.remove(tenant);
        if (configured.containsKey(tenant)) {
            settings.put(tenant, new EnumMap<>(configured.get(tenant)));
        }
        injected.keySet().removeIf(key -> key.startsWith(tenant + "/"));
    }

    public void count(String tenant, F fault) {
        injected.computeIfAbsent(tenant + "/" + fault, k -> new LongAdder()).increment();
    }

    private double validate(F fault, Double value) {
        if (value == null || value < 0 || (isRatio(fault) && value > 1)) {
            throw new IllegalArgumentException(fault + " takes " + (isRatio(fault)
                    ? "a ratio between 0 and 1" : "a value >= 0") + ", not " + value);
        }
        return value;
    }
}
