package io.cosellsync.support.admin;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The gate of {@code /admin}: every call needs an operator — a bearer token of the identity provider carrying
 * {@code ops} or {@code ops:<tenant>}, or the local run's static key — else 401 (no or a bad credential) or 403 (a
 * valid token without an operator role), as problem details. Which tenants an operator may touch is checked by the
 * resource that names the tenant ({@link Operators}). With neither an identity provider nor a key the surface
 * answers 503. The services serve {@code /admin} on their own port under a path the chart's Ingress never routes
 * (ADR 0005).
 */
@ApplicationScoped
public class AdminSurface {

    private final AdminConfig config;
    private final boolean identityProvider;
    private final CurrentIdentityAssociation identities;

    public AdminSurface(AdminConfig config, CurrentIdentityAssociation identities,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean identityProvider) {
        this.config = config;
        this.identities = identities;
        this.identityProvider = identityProvider;
    }

    /**
     * Whether a request path is under {@code /admin}, judged on its normalized form (repeated slashes and dot
     * segments folded), so {@code //admin/…} or {@code /x/../admin/…} cannot slip past the gate.
     */
    public static boolean isAdminPath(String path) {
        if (path == null) {
            return false;
        }
        String normalized;
        try {
            normalized = URI.create(path.replaceAll("/{2,}", "/")).normalize().getPath();
        } catch (IllegalArgumentException e) {
            return true; // a path that is not even a URI is refused like an admin call, never let through
        }
        return normalized != null && (normalized.equals("/admin") || normalized.startsWith("/admin/"));
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> check(HttpServerRequest request) {
        String path = request.path();
        if (!isAdminPath(path)) {
            return Uni.createFrom().nullItem();
        }
        if (!identityProvider && config.apiKey().filter(k -> !k.isBlank()).isEmpty()) {
            return Uni.createFrom().item(Problem.response(503, "Admin API disabled", "configure the identity"
                    + " provider (quarkus.oidc.*) or, for a local run, cosell.admin.api-key", path));
        }
        return identities.getDeferredIdentity()
                .invoke(identity -> identities.setIdentity(identity)) // resolved now: resources read it directly
                .map(identity -> refusal(identity, path))
                .onFailure(AuthenticationFailedException.class).recoverWithItem(e -> unauthenticated(path,
                        "the bearer token was not accepted"));
    }

    private static Response refusal(SecurityIdentity identity, String path) {
        if (identity.isAnonymous()) {
            return unauthenticated(path, "the admin API needs 'Authorization: Bearer <token>' (an operator's token,"
                    + " or the local run's cosell.admin.api-key)");
        }
        if (!Operator.of(identity).isOperator()) {
            return Problem.response(403, "Not an operator", "the token carries neither the role 'ops' nor"
                    + " 'ops:<tenant>'", path);
        }
        return null;
    }

    private static Response unauthenticated(String path, String detail) {
        return Response.fromResponse(Problem.response(401, "Not authenticated", detail, path))
                .header("WWW-Authenticate", "Bearer").build();
    }
}
