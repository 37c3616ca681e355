package io.cosellsync.salesforce.client;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per tenant, a Salesforce session from the org's token endpoint (client credentials grant, through
 * quarkus-oidc-client): the access token, the {@code instance_url} and the org and user ids of the identity URL
 * Salesforce returns with it. Salesforce sends no {@code expires_in}: a session is used until Salesforce refuses it
 * (401 {@code INVALID_SESSION_ID}, gRPC {@code UNAUTHENTICATED}); then {@link #refused} drops it and the next caller
 * gets a new one. Tokens are never logged. Each service owns one of these for the orgs it talks to.
 */
public final class SalesforceSessions {

    /**
     * How to reach one org — what each service's configuration of an org extends: its My Domain URL (token endpoint
     * and REST API; client credentials must use it, not login) and the connected app.
     */
    public interface Org {

        URI myDomainUrl();

        /** The connected app's consumer key. */
        String consumerKey();

        /** The connected app's consumer secret (from a secret, as an environment variable). */
        Optional<String> consumerSecret();
    }

    /** A usable session. */
    public record Session(String accessToken, URI instanceUrl, String orgId, String userId) {

        @Override
        public String toString() {
            return "Session[" + instanceUrl + ", org " + orgId + "]";
        }
    }

    private final String name;
    private final Map<String, ? extends Org> orgs;
    private final OidcClients oidcClients;
    private final Map<String, Uni<OidcClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, Uni<Session>> sessions = new ConcurrentHashMap<>();

    /** @param name distinguishes this service's OIDC clients ({@code <name>-<tenant>}) */
    public SalesforceSessions(String name, Map<String, ? extends Org> orgs, OidcClients oidcClients) {
        this.name = name;
        this.orgs = Map.copyOf(orgs);
        this.oidcClients = oidcClients;
    }

    public Uni<Session> session(String tenant) {
        return sessions.computeIfAbsent(tenant, t -> client(t).chain(OidcClient::getTokens)
                .map(tokens -> session(t, tokens)).memoize().indefinitely()
                .onFailure().invoke(() -> sessions.remove(t)));
    }

    /** Salesforce refused this session: the next caller gets a new one. */
    public void refused(String tenant, Session session) {
        Uni<Session> current = sessions.get(tenant);
        if (current != null) {
            sessions.remove(tenant, current);
        }
    }

    private Session session(String tenant, Tokens tokens) {
        String instance = tokens.get("instance_url");
        URI url = instance == null ? org(tenant).myDomainUrl() : URI.create(instance);
        // the identity URL ends in /id/<org id>/<user id>
        String identity = tokens.get("id");
        String[] parts = identity == null ? new String[0] : identity.split("/");
        return new Session(tokens.getAccessToken(), url, parts.length >= 2 ? parts[parts.length - 2] : null,
                parts.length >= 2 ? parts[parts.length - 1] : null);
    }

    private Org org(String tenant) {
        Org org = orgs.get(tenant);
        if (org == null) {
            throw new IllegalStateException("no Salesforce org configured for tenant " + tenant);
        }
        return org;
    }

    private Uni<OidcClient> client(String tenant) {
        return clients.computeIfAbsent(tenant, t -> {
            Org org = org(t);
            String base = org.myDomainUrl().toString().replaceAll("/+$", "");
            OidcClientConfigBuilder builder = new OidcClientConfigBuilder().id(name + "-" + t)
                    .authServerUrl(base).discoveryEnabled(false).tokenPath(base + "/services/oauth2/token")
                    .clientId(org.consumerKey()).grant(OidcClientConfig.Grant.Type.CLIENT);
            org.consumerSecret().ifPresent(builder::credentials);
            return oidcClients.newClient(builder.build()).memoize().indefinitely()
                    .onFailure().invoke(() -> clients.remove(t));
        });
    }
}
