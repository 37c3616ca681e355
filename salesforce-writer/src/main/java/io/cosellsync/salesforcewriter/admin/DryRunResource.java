package io.cosellsync.salesforcewriter.admin;

import io.cosellsync.events.TenantId;
import io.cosellsync.salesforcewriter.dryrun.DryRunLog;
import io.cosellsync.support.admin.Operators;
import io.cosellsync.support.admin.Problem;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /admin/tenants/{tenant}/dry-run?limit=}: whether the tenant is in dry run, and what both writers would
 * have written for it, newest first (operators only, as every {@code /admin} path).
 */
@Path("/admin/tenants/{tenant}/dry-run")
@Produces(MediaType.APPLICATION_JSON)
public class DryRunResource {

    private final DryRunLog log;
    private final TenancyConfig tenancy;
    private final Operators operators;

    public DryRunResource(DryRunLog log, TenancyConfig tenancy, Operators operators) {
        this.log = log;
        this.tenancy = tenancy;
        this.operators = operators;
    }

    @GET
    public Uni<Response> lines(@PathParam("tenant") String tenant,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        String instance = "/admin/tenants/" + tenant + "/dry-run";
        TenantId id;
        try {
            id = TenantId.of(tenant);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null || !tenancy.serves(id)) {
            return Uni.createFrom().item(Problem.response(404, "Unknown tenant", "tenant '" + tenant
                    + "' is not served here", instance));
        }
        Response refused = operators.refusal(tenant, instance);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        if (limit < 1 || limit > DeadLetterResource.MAX_LIST) {
            return Uni.createFrom().item(Problem.response(400, "Bad request", "limit must be 1.."
                    + DeadLetterResource.MAX_LIST, instance));
        }
        boolean dryRun = tenancy.dryRun(id);
        return log.lines(id, limit).map(lines -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenant", tenant);
            out.put("dryRun", dryRun);
            out.put("lines", lines);
            return Response.ok(out).build();
        });
    }
}
