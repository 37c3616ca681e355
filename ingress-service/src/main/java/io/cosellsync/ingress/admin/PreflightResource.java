package io.cosellsync.ingress.admin;

import io.cosellsync.events.TenantId;
import io.cosellsync.ingress.preflight.Preflight;
import io.cosellsync.support.admin.Operators;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A tenant's preflight on the admin surface: {@code GET /admin/tenants/{tenant}/preflight} the last report,
 * {@code POST} to check now (after fixing the org, say). 200 either way; the report's {@code state} says PASSED,
 * FAILED (with each problem and its fix) or PENDING (not checked yet, or Salesforce could not be asked).
 */
@Path("/admin/tenants/{tenant}/preflight")
@Produces(MediaType.APPLICATION_JSON)
public class PreflightResource {

    private final Preflight preflight;
    private final TenancyConfig tenancy;
    private final Operators operators;

    public PreflightResource(Preflight preflight, TenancyConfig tenancy, Operators operators) {
        this.preflight = preflight;
        this.tenancy = tenancy;
        this.operators = operators;
    }

    @GET
    public Response last(@PathParam("tenant") String tenant) {
        Response refused = refusal(tenant);
        return refused != null ? refused : Response.ok(preflight.report(TenantId.of(tenant))).build();
    }

    @POST
    public Uni<Response> now(@PathParam("tenant") String tenant) {
        Response refused = refusal(tenant);
        return refused != null ? Uni.createFrom().item(refused)
                : preflight.run(TenantId.of(tenant)).map(report -> Response.ok(report).build());
    }

    private Response refusal(String tenant) {
        return AdminTenants.served(tenancy, tenant) == null ? AdminTenants.unknown(tenant)
                : operators.refusal(tenant, "/admin/tenants/" + tenant + "/preflight");
    }
}
