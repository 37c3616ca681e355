package io.cosellsync.support.admin;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The local run's static admin key ({@code cosell.admin.api-key}) as an authentication mechanism: a request to
 * {@code /admin} whose bearer is exactly the key (compared in constant time) acts as {@value #PRINCIPAL} with the
 * role {@code ops}. Any other bearer is left to the identity provider's token check (quarkus-oidc), which runs after
 * this one.
 */
@ApplicationScoped
public class AdminKeyMechanism implements HttpAuthenticationMechanism {

    public static final String PRINCIPAL = "admin-key";

    private final AdminConfig config;

    public AdminKeyMechanism(AdminConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = config.apiKey().filter(k -> !k.isBlank()).orElse(null);
        String presented = bearer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (key == null || presented == null || !AdminSurface.isAdminPath(context.request().path())
                || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                        key.getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(PRINCIPAL))
                .addRole(Operator.ALL_TENANTS).build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        // the key needs no identity provider; the token type is declared so the mechanism sits beside quarkus-oidc's
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // before quarkus-oidc's bearer check, which would refuse the key as a malformed token
        return DEFAULT_PRIORITY + 100;
    }

    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String value = header.substring(7).trim();
        return value.isEmpty() ? null : value;
    }
}
