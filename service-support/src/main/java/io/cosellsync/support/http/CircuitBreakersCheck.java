package io.cosellsync.support.http;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness shows the state of each circuit breaker of this process ({@link CallPolicy}): {@code closed},
 * {@code open} (an API keeps failing for a tenant; its calls rest) or {@code half-open}. Always up: one tenant's
 * failing API must not take the service out of rotation for every tenant; the gauge
 * {@code cosell_circuit_breaker_open} is what alerts use.
 */
@Readiness
@ApplicationScoped
public class CircuitBreakersCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("circuit-breakers").up();
        CallPolicy.states().forEach(response::withData);
        return response.build();
    }
}
