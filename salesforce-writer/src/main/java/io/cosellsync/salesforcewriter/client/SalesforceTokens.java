package io.cosellsync.salesforcewriter.client;

import io.cosellsync.events.TenantId;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.cosellsync.support.config.TenancyConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per tenant, an access token from the org's token endpoint (client credentials grant, through quarkus-oidc-client)
 * and the {@code instance_url} Salesforce returns with it. Salesforce sends no {@code expires_in}: a token is used
 * until a call answers 401 {@code INVALID_SESSION_ID}, then {@link #refused} drops it and the next call gets a new one.
 * Tokens are never logged.
 */
@Startup
@ApplicationScoped
public class SalesforceTokens {

    /** A usable session: the token and the instance to call with it. */
    public record Session(String accessToken, URI instanceUrl) {

        @Override
        public String toString() {
            return "Session[" + instanceUrl + "]";
        }
    }

    private final SalesforceConfig config;
    private final OidcClients oidcClients;
    private final Map<String, Uni<OidcClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, Uni<Session>> sessions = new ConcurrentHashMap<>();

    public SalesforceTokens(SalesforceConfig config, OidcClients oidcClients, TenancyConfig tenancy) {
        this.config = config;
        this.oidcClients = oidcClients;
        List<String> missing = tenancy.tenants().stream().map(TenantId::value)
                .filter(t -> !config.tenants().containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no Salesforce org configured for tenant(s) " + missing + ": set "
                    + "salesforce.tenants.<tenant>.my-domain-url, .consumer-key and .consumer-secret");
        }
    }

    public Uni<Session> session(TenantId tenant) {
        return sessions.computeIfAbsent(tenant.value(), t -> client(t).chain(OidcClient::getTokens)
                .map(tokens -> session(t, tokens)).memoize().indefinitely()
                .onFailure().invoke(() -> sessions.remove(t)));
    }

    /** The session was refused (401): the next call asks for a new token. */
    public void refused(TenantId tenant, Session session) {
        Uni<Session> current = sessions.get(tenant.value());
        if (current != null) {
            sessions.remove(tenant.value(), current);
        }
    }

    private Session session(String tenant, Tokens tokens) {
        String instance = tokens.get("instance_url");
        URI url = instance == null ? org(tenant).myDomainUrl() : URI.create(instance);
        return new Session(tokens.getAccessToken(), url);
    }

    private SalesforceConfig.Org org(String tenant) {
        SalesforceConfig.Org org = config.tenants().get(tenant);
        if (org == null) {
            throw new IllegalStateException("no Salesforce org configured for tenant " + tenant
                    + " (salesforce.tenants." + tenant + ".*)");
        }
        return org;
    }

    private Uni<OidcClient> client(String tenant) {
        return clients.computeIfAbsent(tenant, t -> {
            SalesforceConfig.Org org = org(t);
            String base = org.myDomainUrl().toString().replaceAll("/+$", "");
            OidcClientConfigBuilder builder = new OidcClientConfigBuilder().id("salesforce-" + t)
                    .authServerUrl(base).discoveryEnabled(false).tokenPath(base + "/services/oauth2/token")
                    .clientId(org.consumerKey()).grant(OidcClientConfig.Grant.Type.CLIENT);
            org.consumerSecret().ifPresent(builder::credentials);
            return oidcClients.newClient(builder.build()).memoize().indefinitely()
                    .onFailure().invoke(() -> clients.remove(t));
        });
    }
}
