package io.cosellsync.ingress.admin;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.admin.Operators;
import io.cosellsync.support.admin.Problem;
import io.cosellsync.partnercenter.client.NotAuthorized;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.ingress.partnercenter.polling.Leadership;
import io.cosellsync.ingress.partnercenter.polling.Poller;
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
 * Signing a tenant in to Partner Center (device code flow) and seeing how its credential stands:
 * {@code POST /admin/tenants/{tenant}/partner-center/sign-in} answers 202 with the code an operator enters at the
 * verification URL as a Referrals admin; {@code GET …/partner-center/auth} shows the state (never a token).
 */
@Path("/admin/tenants/{tenant}/partner-center")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerCenterSignInResource {

    private final PartnerCenterTokens tokens;
    private final TenancyConfig tenancy;
    private final Poller poller;
    private final Leadership leadership;
    private final Operators operators;

    public PartnerCenterSignInResource(PartnerCenterTokens tokens, TenancyConfig tenancy, Poller poller,
            Leadership leadership, Operators operators) {
        this.tokens = tokens;
        this.tenancy = tenancy;
        this.poller = poller;
        this.leadership = leadership;
        this.operators = operators;
    }

    /** Runs the tenant's reconciliation now, on the replica that leads it (409 elsewhere). */
    @POST
    @Path("poll")
    public Uni<Response> poll(@PathParam("tenant") String tenant) {
        TenantId id = AdminTenants.served(tenancy, tenant);
        if (id == null) {
            return Uni.createFrom().item(AdminTenants.unknown(tenant));
        }
        Response refused = operators.refusal(tenant, "/admin/tenants/" + tenant);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        String instance = "/admin/tenants/" + tenant + "/partner-center/poll";
        return leadership.refresh(id).chain(leads -> !leads
                ? Uni.createFrom().item(Problem.response(409, "Not the leader", "another replica polls tenant "
                        + tenant, instance))
                : poller.run(id).map(run -> Response.ok(run).build())
                        .onFailure().recoverWithItem(e -> Problem.response(503, "Reconciliation failed",
                                e.getMessage(), instance)));
    }

    @POST
    @Path("sign-in")
    public Uni<Response> signIn(@PathParam("tenant") String tenant) {
        TenantId id = AdminTenants.served(tenancy, tenant);
        if (id == null) {
            return Uni.createFrom().item(AdminTenants.unknown(tenant));
        }
        Response refused = operators.refusal(tenant, "/admin/tenants/" + tenant);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return Uni.createFrom().deferred(() -> tokens.startSignIn(id))
                .map(signIn -> Response.accepted(signIn).build())
                .onFailure(NotAuthorized.class).recoverWithItem(e -> Problem.response(409, "Cannot sign in",
                        e.getMessage(), "/admin/tenants/" + tenant + "/partner-center/sign-in"))
                .onFailure().recoverWithItem(e -> Problem.response(502, "Entra did not start the sign-in",
                        e.getMessage(), "/admin/tenants/" + tenant + "/partner-center/sign-in"));
    }

    @GET
    @Path("auth")
    public Uni<Response> auth(@PathParam("tenant") String tenant) {
        TenantId id = AdminTenants.served(tenancy, tenant);
        if (id == null) {
            return Uni.createFrom().item(AdminTenants.unknown(tenant));
        }
        Response refused = operators.refusal(tenant, "/admin/tenants/" + tenant);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return tokens.describe(id).map(state -> Response.ok(state).build());
    }

}
