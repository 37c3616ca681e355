package io.cosellsync.salesforcewriter.client;

import io.cosellsync.events.TenantId;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.http.OutboundHttp;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceSessions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The writer's Salesforce sessions, one per tenant's org ({@link SalesforceSessions}: client credentials through
 * quarkus-oidc-client; a refused session is dropped and renewed) and the REST client that uses them. Refuses to
 * start without an org for every tenant.
 */
@Startup
@ApplicationScoped
public class SalesforceTokens {

    private final SalesforceSessions sessions;

    public SalesforceTokens(SalesforceConfig config, OidcClients oidcClients, TenancyConfig tenancy) {
        List<String> missing = tenancy.tenants().stream().map(TenantId::value)
                .filter(t -> !config.tenants().containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no Salesforce org configured for tenant(s) " + missing + ": set "
                    + "salesforce.tenants.<tenant>.my-domain-url, .consumer-key and .consumer-secret");
        }
        this.sessions = new SalesforceSessions("salesforce", config.tenants(), oidcClients);
    }

    @Produces
    @Singleton
    SalesforceClient client(SalesforceConfig config, MeterRegistry registry, OutboundHttp http) {
        return new SalesforceClient(config, sessions, registry, http);
    }
}
