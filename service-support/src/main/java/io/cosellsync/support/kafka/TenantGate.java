package io.cosellsync.support.kafka;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.config.TenancyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps tenants apart on shared topics: a record of a tenant this process does not serve is skipped (never
 * processed with another tenant's configuration or credentials) and counted.
 */
@ApplicationScoped
public class TenantGate {

    private final TenancyConfig tenancy;
    private final MeterRegistry registry;

    public TenantGate(TenancyConfig tenancy, MeterRegistry registry) {
        this.tenancy = tenancy;
        this.registry = registry;
    }

    public boolean admits(InboundEvent event) {
        TenantId tenant = event.envelope().tenant();
        if (tenancy.serves(tenant)) {
            return true;
        }
        registry.counter("cosell.records.skipped", "reason", "foreign-tenant", "topic", String.valueOf(event.topic()))
                .increment();
        Log.debugf("skipping event %s of tenant %s, not served here", event.envelope().id(), tenant);
        return false;
    }
}
