package io.cosellsync.support.admin;

import io.quarkus.logging.Log;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The record of every admin call a service answers ({@code admin_call}): who (the operator, {@code anonymous} for a
 * refused caller), what (method and path with its query), for which tenant (the one the path or query names), when,
 * and the HTTP status. Written as the answer leaves; a failure to record is logged and does not fail the call.
 */
@ApplicationScoped
public class AdminCalls {

    /** One recorded call. */
    public record Call(Instant at, String actor, String method, String target, String tenant, int status) {
    }

    private final Pool pool;
    private final CurrentIdentityAssociation identities;

    public AdminCalls(Pool pool, CurrentIdentityAssociation identities) {
        this.pool = pool;
        this.identities = identities;
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (!AdminSurface.isAdminPath(path)) {
            return Uni.createFrom().voidItem();
        }
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        String target = path + (query == null ? "" : "?" + query);
        String tenant = request.getUriInfo().getPathParameters().getFirst("tenant");
        if (tenant == null) {
            tenant = request.getUriInfo().getQueryParameters().getFirst("tenant");
        }
        String named = tenant;
        return identities.getDeferredIdentity()
                .map(identity -> Operator.of(identity).name())
                .onFailure().recoverWithItem("anonymous")
                .chain(actor -> pool.preparedQuery("INSERT INTO admin_call (actor, method, target, tenant_id, status)"
                        + " VALUES ($1, $2, $3, $4, $5)").execute(Tuple.tuple(Arrays.asList(actor,
                                request.getMethod(), target, named, response.getStatus()))))
                .onFailure().invoke(e -> Log.warnf("admin call %s %s not recorded: %s", request.getMethod(), target,
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * The recorded calls, newest first.
     *
     * @param tenants only calls naming one of these tenants (null: every call, those naming no tenant included)
     */
    public Uni<List<Call>> list(Collection<String> tenants, Instant since, int limit) {
        List<Object> values = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (tenants != null) {
            values.add(tenants.toArray(new String[0]));
            where.add("tenant_id = ANY($" + values.size() + ")");
        }
        if (since != null) {
            values.add(since.atOffset(ZoneOffset.UTC));
            where.add("at >= $" + values.size());
        }
        values.add(limit);
        String sql = "SELECT at, actor, method, target, tenant_id, status FROM admin_call"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY at DESC LIMIT $" + values.size();
        return pool.preparedQuery(sql).execute(Tuple.tuple(values)).map(rows -> {
            List<Call> calls = new ArrayList<>();
            for (Row row : rows) {
                calls.add(new Call(row.getOffsetDateTime("at").toInstant(), row.getString("actor"),
                        row.getString("method"), row.getString("target"), row.getString("tenant_id"),
                        row.getInteger("status")));
            }
            return calls;
        });
    }
}
