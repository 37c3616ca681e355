package io.cosellsync.ingress.admin;

import io.cosellsync.events.TenantId;
import io.cosellsync.ingress.api.Problem;
import io.cosellsync.ingress.partnercenter.auth.NotAuthorized;
import io.cosellsync.ingress.partnercenter.auth.PartnerCenterTokens;
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

    public PartnerCenterSignInResource(PartnerCenterTokens tokens, TenancyConfig tenancy) {
        this.tokens = tokens;
        this.tenancy = tenancy;
    }

    @POST
    @Path("sign-in")
    public Uni<Response> signIn(@PathParam("tenant") String tenant) {
        TenantId id = served(tenant);
        if (id == null) {
            return Uni.createFrom().item(unknown(tenant));
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
        TenantId id = served(tenant);
        if (id == null) {
            return Uni.createFrom().item(unknown(tenant));
        }
        return tokens.describe(id).map(state -> Response.ok(state).build());
    }

    private TenantId served(String tenant) {
        try {
            TenantId id = TenantId.of(tenant);
            return tenancy.serves(id) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response unknown(String tenant) {
        return Problem.response(404, "Unknown tenant", "this service does not serve a tenant named '" + tenant + "'",
                "/admin/tenants/" + tenant);
    }
}
