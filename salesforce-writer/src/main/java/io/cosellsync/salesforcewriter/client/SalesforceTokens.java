package io.cosellsync.salesforcewriter.client;

import io.cosellsync.events.TenantId;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.salesforce.SalesforceSessions;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The writer's Salesforce sessions, one per tenant's org ({@link SalesforceSessions}: client credentials through
 * quarkus-oidc-client; a refused session is dropped and renewed). Refuses to start without an org for every tenant.
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

    public Uni<SalesforceSessions.Session> session(TenantId tenant) {
        return sessions.session(tenant.value());
    }

    /** The session was refused (401): the next call asks for a new token. */
    public void refused(TenantId tenant, SalesforceSessions.Session session) {
        sessions.refused(tenant.value(), session);
    }
}
