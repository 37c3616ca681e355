package io.cosellsync.support.admin;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Set;

/**
 * {@code GET /admin/calls?tenant&since&limit}: the admin calls this service answered, newest first. A release-wide
 * operator ({@code ops}) sees every call; an operator of some tenants sees the calls that named their tenants.
 */
@Path("/admin/calls")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCallsResource {

    static final int MAX_LIST = 1000;

    private final AdminCalls calls;
    private final Operators operators;

    public AdminCallsResource(AdminCalls calls, Operators operators) {
        this.calls = calls;
        this.operators = operators;
    }

    @GET
    public Uni<Response> list(@QueryParam("tenant") String tenant, @QueryParam("since") String since,
            @DefaultValue("100") @QueryParam("limit") int limit) {
        String instance = "/admin/calls";
        if (limit < 1 || limit > MAX_LIST) {
            return Uni.createFrom().item(Problem.response(400, "Bad limit", "limit is 1 to " + MAX_LIST, instance));
        }
        Instant from;
        try {
            from = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            return Uni.createFrom().item(Problem.response(400, "Bad time", "since is an ISO-8601 instant, e.g."
                    + " 2026-12-01T00:00:00Z", instance));
        }
        Collection<String> tenants = operators.current().visibleTenants();
        if (tenant != null) {
            Response refused = operators.refusal(tenant, instance);
            if (refused != null) {
                return Uni.createFrom().item(refused);
            }
            tenants = Set.of(tenant);
        }
        return calls.list(tenants, from, limit).map(list -> Response.ok(list).build());
    }
}
