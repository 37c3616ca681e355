package io.cosellsync.partnercenter.client;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code partner-center-auth} of every service that calls Partner Center (ingress and the
 * partnercenter-writer): each served tenant's credential state as data, so a credential that needs an operator is
 * visible before sync silently stops. With {@code cosell.partner-center.readiness-requires-sign-in=true} (the
 * default; env {@code COSELL_PARTNER_CENTER_READINESS_REQUIRES_SIGN_IN}) a tenant that is not signed in, or whose
 * token Entra refused, makes the service not ready.
 */
@Readiness
@ApplicationScoped
public class PartnerCenterAuthCheck implements AsyncHealthCheck {

    /** The check's setting, shared by every service that has the check. */
    @ConfigMapping(prefix = "cosell.partner-center")
    public interface Settings {

        /** Whether a tenant whose credential needs an operator makes the service not ready. */
        @WithDefault("true")
        boolean readinessRequiresSignIn();
    }

    private final PartnerCenterTokens tokens;
    private final TenancyConfig tenancy;
    private final boolean required;

    public PartnerCenterAuthCheck(PartnerCenterTokens tokens, TenancyConfig tenancy, Settings settings) {
        this.tokens = tokens;
        this.tenancy = tenancy;
        this.required = settings.readinessRequiresSignIn();
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
                .onFailure().recoverWithItem(e -> builder.down().withData("error", e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()).build());
    }
}
