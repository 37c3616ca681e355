package io.cosellsync.ingress.webhook;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.OutboundEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * One Partner Center webhook call, from whichever port: the tenant served, the tenant's rate (a SmallRye Fault
 * Tolerance rate limit per tenant: 429 with {@code Retry-After} past it, before any signature work), the body's
 * size, the signature, the notification — answered 200 only once it is on Kafka (acknowledged by the broker), so
 * Partner Center retries anything not safely stored (503). Unknown tenants are 404, unverified calls 401 (or 400
 * without certificate headers), bodies that are not a known notification 400, oversized ones 413 — and none of these
 * publishes anything. Blocking (a certificate may be fetched): call it on a worker thread.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    private static final URI SOURCE = EventIntake.source("ingress-service");
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final SignatureVerifier verifier;
    private final WebhookConfig config;
    private final TenancyConfig tenancy;
    private final MutinyEmitter<byte[]> notifications;
    private final MeterRegistry registry;
    private final Map<String, Guard> rates = new ConcurrentHashMap<>();

    public WebhookIntake(SignatureVerifier verifier, WebhookConfig config, TenancyConfig tenancy,
            @Channel("referral-notifications") MutinyEmitter<byte[]> notifications, MeterRegistry registry) {
        this.verifier = verifier;
        this.config = config;
        this.tenancy = tenancy;
        this.notifications = notifications;
        this.registry = registry;
    }

    /**
     * @param header a request header by name (any casing), null when absent
     * @param body   the body as received (at most {@code max-body-bytes} + 1 bytes need be read)
     */
    public Uni<WebhookAnswer> receive(String tenantName, Function<String, String> header, byte[] body) {
        String instance = "/webhooks/partner-center/" + tenantName;
        Optional<TenantId> tenant = served(tenantName);
        if (tenant.isEmpty()) {
            return Uni.createFrom().item(answer("unknown-tenant", "unknown", WebhookAnswer.problem(404,
                    "Unknown tenant", "this service does not serve a tenant named '" + tenantName + "'", instance)));
        }
        String tenantId = tenant.get().value();
        long wait = admitted(tenantId);
        if (wait > 0) {
            return Uni.createFrom().item(answer("rate-limited", tenantId, new WebhookAnswer(429,
                    "Too many webhook calls", "more than " + config.ratePerSecond() + " calls a second for tenant "
                            + tenantId + "; retry after " + wait + " s", instance, wait)));
        }
        try {
            if (body == null || body.length > config.maxBodyBytes()) {
                throw new WebhookRejected(413, "Webhook body too large", "at most " + config.maxBodyBytes()
                        + " bytes are accepted");
            }
            verifier.verify(header::apply, body);
            Optional<ReferralNotification> notification = Notifications.read(body, Instant.now());
            if (notification.isEmpty()) {
                return Uni.createFrom().item(answer("test-event", tenantId, WebhookAnswer.OK));
            }
            return publish(tenant.get(), notification.get())
                    .replaceWith(() -> answer("published", tenantId, WebhookAnswer.OK))
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("tenant %s: a Partner Center notification for referral %s was not stored on Kafka "
                                + "(%s); answering 503 so that Partner Center retries", tenantId,
                                notification.get().referralId(), e.toString());
                        return answer("not-stored", tenantId, WebhookAnswer.problem(503, "Notification not stored",
                                "the event could not be stored; retry later", instance));
                    });
        } catch (WebhookRejected e) {
            LOG.infof("tenant %s: Partner Center webhook refused with %d: %s", tenantId, e.status(), e.getMessage());
            return Uni.createFrom().item(answer("rejected-" + e.status(), tenantId,
                    WebhookAnswer.problem(e.status(), e.title(), e.getMessage(), instance)));
        }
    }

    /** 0 when the tenant's call is within its rate, else the seconds to wait (at least 1). */
    private long admitted(String tenant) {
        Guard rate = rates.computeIfAbsent(tenant, t -> Guard.create()
                .withDescription("webhook calls of " + t)
                .withRateLimit().limit(config.ratePerSecond()).window(1, ChronoUnit.SECONDS).done()
                .build());
        try {
            rate.call(() -> Boolean.TRUE, Boolean.class);
            return 0;
        } catch (RateLimitException e) {
            return Math.max(1, (e.getRetryAfterMillis() + 999) / 1000);
        } catch (Exception e) {
            throw new IllegalStateException("the webhook rate limit failed", e);
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

    private WebhookAnswer answer(String outcome, String tenant, WebhookAnswer answer) {
        registry.counter("cosell.webhooks.received", "tenant", tenant, "outcome", outcome).increment();
        return answer;
    }
}
