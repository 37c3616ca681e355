package io.cosellsync.ingress.messaging;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.ingress.partnercenter.hydration.ReferralVersions;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.OutboundEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes a hydrated referral to the mapper. The returned Uni completes only after the broker acknowledged the
 * record, so callers (the hydrator, the poller) advance only then. A version already published is not published
 * again, nor one older than the newest published (by {@code updatedDateTime}); a crash between the ack and
 * remembering the version republishes it once, which the idempotent consumers absorb.
 */
@ApplicationScoped
public class ReferralSnapshotPublisher {

    static final String SOURCE_SYSTEM = ReferralVersions.SOURCE;
    private static final URI SOURCE = EventIntake.source("ingress-service");

    private final MutinyEmitter<byte[]> referralSnapshots;
    private final ReferralVersions published;
    private final TenancyConfig tenancy;
    private final MeterRegistry registry;

    public ReferralSnapshotPublisher(@Channel("referral-snapshots") MutinyEmitter<byte[]> referralSnapshots,
            ReferralVersions published, TenancyConfig tenancy, MeterRegistry registry) {
        this.referralSnapshots = referralSnapshots;
        this.published = published;
        this.tenancy = tenancy;
        this.registry = registry;
    }

    public enum Result {
        PUBLISHED,
        UNCHANGED
    }

    public Uni<Result> publish(TenantId tenant, ReferralSnapshot referral) {
        return publish(tenant, referral, referral.eTag());
    }

    /**
     * Publishes with an explicit source version: a co-sell snapshot also carries Microsoft's side of the engagement,
     * so its version is both eTags, and a change on Microsoft's side alone is a new version.
     */
    public Uni<Result> publish(TenantId tenant, ReferralSnapshot referral, String sourceVersion) {
        if (!tenancy.serves(tenant)) {
            return Uni.createFrom().failure(new IllegalArgumentException("tenant " + tenant + " is not served here"));
        }
        Envelope envelope = Envelope.originating(EventType.REFERRAL_SNAPSHOT, SOURCE, referral.referralId(), tenant,
                sourceVersion);
        return published.last(tenant, referral.referralId())
                .map(last -> last.isPresent() && last.get().covers(sourceVersion, referral.updatedDateTime()))
                .chain(seen -> seen ? Uni.createFrom().item(Result.UNCHANGED)
                        : referralSnapshots.sendMessage(OutboundEvents.message(envelope, referral))
                                .chain(() -> published.remember(envelope, referral.updatedDateTime()))
                                .replaceWith(Result.PUBLISHED))
                .invoke(result -> registry.counter("cosell.snapshots.published", "tenant", tenant.value(),
                        "source", SOURCE_SYSTEM, "result", result.name().toLowerCase()).increment());
    }
}
