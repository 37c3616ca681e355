package io.cosellsync.ingress.partnercenter.auth;

import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.CredentialReadiness;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness reports each tenant's Partner Center credential, so a credential that needs an operator is visible
 * before sync silently stops. With {@code ingress.partner-center.readiness-requires-sign-in=true} (the default) a
 * tenant that is not signed in, or whose token Entra refused, makes the service not ready.
 */
@Readiness
@ApplicationScoped
public class PartnerCenterAuthCheck implements AsyncHealthCheck {

    private final PartnerCenterTokens tokens;
    private final TenancyConfig tenancy;
    private final boolean required;

    public PartnerCenterAuthCheck(PartnerCenterTokens tokens, TenancyConfig tenancy, PartnerCenterConfig config) {
        this.tokens = tokens;
        this.tenancy = tenancy;
        this.required = config.readinessRequiresSignIn();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return CredentialReadiness.check(tokens, tenancy.tenants(), required);
    }
}
