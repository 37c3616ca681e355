package io.cosellsync.ingress.partnercenter.hydration;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.ingress.preflight.Preflight;
import io.cosellsync.events.Accepted;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.ingress.messaging.ReferralSnapshotPublisher;
import io.cosellsync.partnercenter.client.ReferralWire;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.partnercenter.client.NotAuthorized;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.TenantGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Turns verified webhooks into referral snapshots: reads the referral a notification names and, for a co-sell
 * referral, Microsoft's side of the engagement (one list of the engagement), then publishes the snapshot; for a
 * {@code related-referral-*} event, the other party's referral is read for its engagement, whose one list gives
 * ours and theirs (two calls in all). A notification no newer than the version already published needs no
 * read (duplicates and late arrivals of a burst are dropped that way); a version older than the newest published is
 * never published over it. Notifications are keyed by referral, so one referral's are handled in order. Without a
 * usable credential the hydrator waits (the auth health is red meanwhile) and goes on after a new sign-in; any other
 * failure that outlasts the retries leaves the notification unacknowledged: it is read again, never lost.
 */
@ApplicationScoped
public class Hydrator {

    private static final Logger LOG = Logger.getLogger(Hydrator.class);
    private static final String SERVICE = "ingress-service";
    private static final Accepted<ReferralNotification> ACCEPTED = Accepted.of(ReferralNotification.class,
            EventType.REFERRAL_NOTIFICATION);
    static final Duration AUTH_FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration AUTH_MAX_BACKOFF = Duration.ofSeconds(15);

    private final ReferralsApi api;
    private final Preflight preflight;
    private final ReferralSnapshotPublisher publisher;
    private final ReferralVersions published;
    private final EventIntake intake;
    private final MeterRegistry registry;

    public Hydrator(ReferralsApi api, ReferralSnapshotPublisher publisher, ReferralVersions published,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetters, TenantGate tenants, MeterRegistry registry,
            Preflight preflight) {
        this.preflight = preflight;
        this.api = api;
        this.publisher = publisher;
        this.published = published;
        this.registry = registry;
        this.intake = new EventIntake(SERVICE, deadLetters, tenants, registry);
    }

    @Incoming("referral-notifications-in")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED, (event, notification) -> hydrate(event.envelope().tenant(),
                notification)
                // no usable credential (an operator must sign in) or a failed preflight (an admin must fix the
                // org): wait, keeping the notification
                .onFailure(e -> e instanceof NotAuthorized || e instanceof Preflight.Failed).retry()
                .withBackOff(AUTH_FIRST_BACKOFF, AUTH_MAX_BACKOFF)
                .indefinitely()
                .replaceWithVoid());
    }

    /** What happened to one notification. */
    public enum Outcome {
        PUBLISHED, UNCHANGED, ALREADY_NEWER, NOT_FOUND
    }

    public Uni<Outcome> hydrate(TenantId tenant, ReferralNotification notification) {
        return preflight.gate(tenant).chain(() -> hydrateNow(tenant, notification));
    }

    private Uni<Outcome> hydrateNow(TenantId tenant, ReferralNotification notification) {
        Uni<Outcome> done = notification.aboutRelatedReferral()
                // the other party's referral: its engagement, listed once, holds ours and theirs
                ? api.get(tenant, notification.referralId()).chain(theirs -> publishEngagement(tenant, theirs
                        .map(f -> ReferralWire.text(f.referral(), "engagementId")).orElse(null)))
                : alreadyPublished(tenant, notification.referralId(), notification).chain(stale -> stale
                        ? Uni.createFrom().item(Outcome.ALREADY_NEWER)
                        : fetchAndPublish(tenant, notification.referralId()));
        return done.invoke(outcome -> registry.counter("cosell.hydrations", "tenant", tenant.value(), "outcome",
                outcome.name().toLowerCase()).increment());
    }

    /**
     * Whether a version at least as new as the notification's change was already published: then the notification is
     * stale and needs no read.
     */
    private Uni<Boolean> alreadyPublished(TenantId tenant, String referralId, ReferralNotification notification) {
        if (notification.resourceChangeUtcDate() == null) {
            return Uni.createFrom().item(false);
        }
        return published.last(tenant, referralId).map(last -> last.map(ReferralVersions.Last::updatedAt)
                .filter(newest -> !newest.isBefore(notification.resourceChangeUtcDate())).isPresent());
    }

    /** Reads the referral (and Microsoft's side of a co-sell engagement) and publishes it. */
    public Uni<Outcome> fetchAndPublish(TenantId tenant, String referralId) {
        return api.get(tenant, referralId).chain(found -> {
            if (found.isEmpty()) {
                LOG.infof("tenant %s: referral %s is not visible in Partner Center; nothing to publish",
                        tenant.value(), referralId);
                return Uni.createFrom().item(Outcome.NOT_FOUND);
            }
            return publish(tenant, found.get().referral(), found.get().eTag());
        });
    }

    /**
     * Publishes a referral already read (one of a list), with Microsoft's side of a co-sell engagement. Microsoft's
     * side itself is not ours to publish: a change on it is published through our referral of the engagement.
     */
    public Uni<Outcome> publish(TenantId tenant, JsonNode referral, String eTagHeader) {
        if (ReferralWire.microsofts(referral)) {
            return publishEngagement(tenant, ReferralWire.text(referral, "engagementId"));
        }
        return microsoftsSide(tenant, referral).chain(microsofts -> publish(tenant, referral, eTagHeader,
                microsofts));
    }

    private Uni<Outcome> publish(TenantId tenant, JsonNode referral, String eTagHeader, JsonNode microsofts) {
        ReferralSnapshot snapshot = ReferralWire.snapshot(referral, eTagHeader, microsofts);
        String theirs = microsofts == null ? null : ReferralWire.text(microsofts, "eTag");
        String version = theirs == null ? snapshot.eTag() : snapshot.eTag() + " " + theirs;
        return publisher.publish(tenant, snapshot, version).map(result -> result
                == ReferralSnapshotPublisher.Result.PUBLISHED ? Outcome.PUBLISHED : Outcome.UNCHANGED);
    }

    /**
     * Our referral of an engagement, published with Microsoft's side (when it is a co-sell one), both from one list
     * of the engagement (which holds whole referrals, with their eTags): no further read.
     */
    private Uni<Outcome> publishEngagement(TenantId tenant, String engagement) {
        if (engagement == null) {
            return Uni.createFrom().item(Outcome.NOT_FOUND);
        }
        return api.list(tenant, "engagementId eq '" + engagement + "'", null).collect().asList().chain(all -> {
            JsonNode ours = all.stream().filter(r -> !ReferralWire.microsofts(r)).findFirst().orElse(null);
            if (ours == null) {
                return Uni.createFrom().item(Outcome.NOT_FOUND);
            }
            JsonNode microsofts = "Shared".equalsIgnoreCase(ReferralWire.text(ours, "type"))
                    ? all.stream().filter(ReferralWire::microsofts).findFirst().orElse(null) : null;
            return publish(tenant, ours, null, microsofts);
        });
    }

    private Uni<JsonNode> microsoftsSide(TenantId tenant, JsonNode referral) {
        String engagement = ReferralWire.text(referral, "engagementId");
        if (engagement == null || !"Shared".equalsIgnoreCase(ReferralWire.text(referral, "type"))) {
            return Uni.createFrom().nullItem();
        }
        return api.list(tenant, "engagementId eq '" + engagement + "'", null)
                .filter(ReferralWire::microsofts)
                .toUni();
    }
}
