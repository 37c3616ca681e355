package io.cosellsync.partnercenter.client;

import io.cosellsync.events.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Each tenant's Partner Center credential as a readiness check ({@code partner-center-auth}, the state per tenant as
 * data), so a credential that needs an operator is visible before sync silently stops. When {@code required}, a
 * tenant that is not signed in, or whose token Entra refused, makes the service not ready. Each service that calls
 * Partner Center registers one.
 */
public final class CredentialReadiness {

    private CredentialReadiness() {
    }

    public static Uni<HealthCheckResponse> check(PartnerCenterTokens tokens, List<TenantId> tenants,
            boolean required) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("partner-center-auth").up();
        Uni<Boolean> all = Uni.createFrom().item(true);
        for (TenantId tenant : tenants) {
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
