package io.cosellsync.partnercenter.client;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Wellness check {@code partner-center-auth} ({@code /q/health/well}) of every service that calls Partner Center
 * (ingress and the partnercenter-writer): each served tenant's credential state as data, down while any tenant's
 * credential needs an operator (not signed in, or refused by Entra), so it is visible before sync silently stops.
 * It is not a readiness check: readiness is what the whole pod needs (Kafka, its database), and a pod serving several
 * tenants stays ready — taking webhooks and queueing work — while one of them waits for its sign-in.
 */
@Wellness
@ApplicationScoped
public class PartnerCenterAuthCheck implements AsyncHealthCheck {

    private final PartnerCenterTokens tokens;
    private final TenancyConfig tenancy;

    public PartnerCenterAuthCheck(PartnerCenterTokens tokens, TenancyConfig tenancy) {
        this.tokens = tokens;
        this.tenancy = tenancy;
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
        return all.map(ok -> (ok ? builder.up() : builder.down()).build())
                .onFailure().recoverWithItem(e -> builder.down().withData("error", e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()).build());
    }
}
