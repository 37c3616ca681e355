package io.cosellsync.ingress.partnercenter.auth;

import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
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
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("partner-center-auth").up();
        Uni<Boolean> all = Uni.createFrom().item(true);
        for (TenantId tenant : tenancy.tenants()) {
            all = all.chain(ok -> tokens.state(tenant).map(state -> {
                builder.withData(tenant.value(), state.name());
                return ok && state.healthy();
            }));
        }
        return all.map(ok -> (ok || !required ? builder.up() : builder.down()).build())
                .onFailure().recoverWithItem(e -> builder.down().withData("error", e.getClass().getSimpleName())
                        .build());
    }
}
