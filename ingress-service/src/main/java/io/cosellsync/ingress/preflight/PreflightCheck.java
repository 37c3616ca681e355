package io.cosellsync.ingress.preflight;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.config.TenancyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import io.smallrye.health.api.Wellness;

/** Wellness, not readiness: down while a tenant fails its preflight; the pod keeps taking every tenant's webhooks. */
@Wellness
@ApplicationScoped
public class PreflightCheck implements HealthCheck {

    private final Preflight preflight;
    private final TenancyConfig tenancy;

    public PreflightCheck(Preflight preflight, TenancyConfig tenancy) {
        this.preflight = preflight;
        this.tenancy = tenancy;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("preflight");
        boolean ok = true;
        for (TenantId tenant : tenancy.tenants()) {
            Preflight.State state = preflight.report(tenant).state();
            builder.withData(tenant.value(), state.name());
            ok &= state != Preflight.State.FAILED;
        }
        return (ok ? builder.up() : builder.down()).build();
    }
}
