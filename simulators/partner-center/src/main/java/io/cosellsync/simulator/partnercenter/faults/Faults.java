package io.cosellsync.simulator.partnercenter.faults;

import io.cosellsync.simulator.support.FaultBoard;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Per-tenant fault settings and counters. Set by the control API ({@code PUT /_sim/tenants/{tenant}/faults}) or by
 * configuration ({@code partner-center-sim.faults."<tenant>".<fault>=<value>}, e.g.
 * {@code partner-center-sim.faults."contoso".throttle=0.1}), which is also what a reset returns to.
 */
@Singleton
public class Faults extends FaultBoard<Fault> {

    public Faults(Config config) {
        super(Fault.class, config, "partner-center-sim.faults");
    }

    @Override
    protected boolean isRatio(Fault fault) {
        return fault != Fault.LATENCY;
    }

    /** Milliseconds of latency for the tenant (counted when non-zero). */
    public long latency(String tenant) {
        long millis = (long) magnitude(tenant, Fault.LATENCY);
        if (millis > 0) {
            count(tenant, Fault.LATENCY);
        }
        return millis;
    }
}
