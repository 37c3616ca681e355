package io.cosellsync.ingress.webhook;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.support.admin.Problem;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.OutboundEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/partner-center/{tenant}}: Partner Center's change notifications. A call is answered 200 only
 * once its notification is on Kafka (acknowledged by the broker), so Partner Center retries anything not safely
 * stored (503). Unknown tenants are 404, unverified calls 401 (or 400 without certificate headers), bodies that are
 * not a known notification 400, oversized ones 413 — and none of these publishes anything.
 */
@Path("/webhooks/partner-center/{tenant}")
public class PartnerCenterWebhookResource {

    private static final Logger LOG = Logger.getLogger(PartnerCenterWebhookResource.class);
    private static final URI SOURCE = EventIntake.source("ingress-service");
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final SignatureVerifier verifier;
    private final WebhookConfig config;
    private final TenancyConfig tenancy;
    private final MutinyEmitter<byte[]> notifications;
    private final MeterRegistry registry;

    public PartnerCenterWebhookResource(SignatureVerifier verifier, WebhookConfig config, TenancyConfig tenancy,
            @Channel("referral-notifications") MutinyEmitter<byte[]> notifications, MeterRegistry registry) {
        this.verifier = verifier;
        this.config = config;
        this.tenancy = tenancy;
        this.notifications = notifications;
        this.registry = registry;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> receive(@PathParam("tenant") String tenantName, @Context HttpHeaders headers, byte[] body) {
        String instance = "/webhooks/partner-center/" + tenantName;
        Optional<TenantId> tenant = served(tenantName);
        if (tenant.isEmpty()) {
            return Uni.createFrom().item(answer("unknown-tenant", "unknown", Problem.response(404, "Unknown tenant",
                    "this service does not serve a tenant named '" + tenantName + "'", instance)));
        }
        String tenantId = tenant.get().value();
        try {
            if (body == null || body.length > config.maxBodyBytes()) {
                throw new WebhookRejected(413, "Webhook body too large", "at most " + config.maxBodyBytes()
                        + " bytes are accepted");
            }
            verifier.verify(headers::getHeaderString, body);
            Optional<ReferralNotification> notification = Notifications.read(body, Instant.now());
            if (notification.isEmpty()) {
                return Uni.createFrom().item(answer("test-event", tenantId, Response.ok().build()));
            }
            return publish(tenant.get(), notification.get())
                    .replaceWith(() -> answer("published", tenantId, Response.ok().build()))
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("tenant %s: a Partner Center notification for referral %s was not stored on Kafka "
                                + "(%s); answering 503 so that Partner Center retries", tenantId,
                                notification.get().referralId(), e.toString());
                        return answer("not-stored", tenantId, Problem.response(503, "Notification not stored",
                                "the event could not be stored; retry later", instance));
                    });
        } catch (WebhookRejected e) {
            LOG.infof("tenant %s: Partner Center webhook refused with %d: %s", tenantId, e.status(), e.getMessage());
            return Uni.createFrom().item(answer("rejected-" + e.status(), tenantId,
                    Problem.response(e.status(), e.title(), e.getMessage(), instance)));
        }
    }

    private Optional<TenantId> served(String name) {
        try {
            TenantId tenant = TenantId.of(name);
            return tenancy.serves(tenant) ? Optional.of(tenant) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Uni<Void> publish(TenantId tenant, ReferralNotification notification) {
        String version = notification.resourceChangeUtcDate() != null
                ? notification.resourceChangeUtcDate().toString() : notification.receivedAt().toString();
        Envelope envelope = Envelope.originating(EventType.REFERRAL_NOTIFICATION, SOURCE, notification.referralId(),
                tenant, version);
        return notifications.sendMessage(OutboundEvents.message(envelope, notification))
                .ifNoItem().after(ACK_TIMEOUT).fail();
    }

    private Response answer(String outcome, String tenant, Response response) {
        registry.counter("cosell.webhooks.received", "tenant", tenant, "outcome", outcome).increment();
        return response;
    }
}
