package io.cosellsync.support.admin;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /admin} call of a service needs the configured bearer key (compared in constant time); without a key
 * the admin API answers 503. The services serve {@code /admin} on their own port, which the chart's Ingress never
 * routes (it routes only ingress's webhook paths).
 */
public class AdminAuthentication {

    private final AdminConfig config;

    public AdminAuthentication(AdminConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(HttpServerRequest request) {
        String path = request.path();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return Optional.empty();
        }
        if (config.apiKey().isEmpty() || config.apiKey().get().isBlank()) {
            return Optional.of(Problem.response(503, "Admin API disabled", "set cosell.admin.api-key to enable "
                    + "the admin API", path));
        }
        String header = request.getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7)
                .trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                config.apiKey().get().getBytes(StandardCharsets.UTF_8))) {
            Response problem = Problem.response(401, "Not authenticated", "the admin API needs "
                    + "'Authorization: Bearer <cosell.admin.api-key>'", path);
            return Optional.of(Response.fromResponse(problem).header("WWW-Authenticate", "Bearer").build());
        }
        return Optional.empty();
    }
}
