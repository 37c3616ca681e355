package io.cosellsync.simulator.salesforce.control;

import io.cosellsync.simulator.support.FaultBoard;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * Per-org faults: {@code PUT /_sim/orgs/{tenant}/faults} or {@code salesforce-sim.faults."<tenant>".<fault>=<value>}.
 * REQUEST_LIMIT_EXCEEDED is held for its number of seconds from the moment it is set.
 */
@Singleton
public class Faults extends FaultBoard<Fault> {

    private final SimulatorClock clock;
    private final Map<String, Instant> limitHeldUntil = new ConcurrentHashMap<>();

    public Faults(Config config, SimulatorClock clock) {
        super(Fault.class, config, "salesforce-sim.faults");
        this.clock = clock;
    }

    @Override
    protected boolean isRatio(Fault fault) {
        return fault != Fault.LATENCY && fault != Fault.REQUEST_LIMIT_EXCEEDED;
    }

    @Override
    public void set(String tenant, Map<Fault, Double> values) {
        super.set(tenant, values);
        double seconds = values.getOrDefault(Fault.REQUEST_LIMIT_EXCEEDED, 0.0);
        if (seconds > 0) {
            limitHeldUntil.put(tenant, clock.now().plus(Duration.ofMillis((long) (seconds * 1000))));
        } else {
            limitHeldUntil.remove(tenant);
        }
    }

    /** Whether the org's API is held at its limit now (counted when it is). */
    public boolean limitHeld(String tenant) {
        Instant until = limitHeldUntil.get(tenant);
        boolean held = until != null && clock.now().isBefore(until);
        if (held) {
            count(tenant, Fault.REQUEST_LIMIT_EXCEEDED);
        }
        return held;
    }

    public long latency(String tenant) {
        long millis = (long) magnitude(tenant, Fault.LATENCY);
        if (millis > 0) {
            count(tenant, Fault.LATENCY);
        }
        return millis;
    }

    @Override
    public void reset() {
        super.reset();
        if (limitHeldUntil != null) {
            limitHeldUntil.clear();
        }
    }

    @Override
    public void reset(String tenant) {
        super.reset(tenant);
        limitHeldUntil.remove(tenant);
    }
}
