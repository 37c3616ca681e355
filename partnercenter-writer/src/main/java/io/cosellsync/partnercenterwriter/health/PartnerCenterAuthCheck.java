package io.cosellsync.partnercenterwriter.health;

import io.cosellsync.partnercenter.client.CredentialReadiness;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.partnercenterwriter.config.WriterConfig;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness shows each tenant's Partner Center credential (ingress's stored sign-in); with
 * {@code partnercenter-writer.readiness-requires-sign-in=true} (the default) a tenant whose credential needs an
 * operator makes the writer not ready, as it makes ingress.
 */
@Readiness
@ApplicationScoped
public class PartnerCenterAuthCheck implements AsyncHealthCheck {

    private final PartnerCenterTokens tokens;
    private final TenancyConfig tenancy;
    private final boolean required;

    public PartnerCenterAuthCheck(PartnerCenterTokens tokens, TenancyConfig tenancy, WriterConfig config) {
        this.tokens = tokens;
        this.tenancy = tenancy;
        this.required = config.readinessRequiresSignIn();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return CredentialReadiness.check(tokens, tenancy.tenants(), required);
    }
}
