package io.cosellsync.ingress.webhook;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /webhooks/partner-center/{tenant}} on the service's own port (inside the cluster; the public port,
 * {@link PublicWebhookPort}, takes the same calls from outside): {@link WebhookIntake} says how each is answered.
 */
@Path("/webhooks/partner-center/{tenant}")
public class PartnerCenterWebhookResource {

    private final WebhookIntake intake;

    public PartnerCenterWebhookResource(WebhookIntake intake) {
        this.intake = intake;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> receive(@PathParam("tenant") String tenantName, @Context HttpHeaders headers, byte[] body) {
        return intake.receive(tenantName, headers::getHeaderString, body).map(WebhookAnswer::response);
    }
}
