package io.cosellsync.mapper.messaging;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.EventType;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralStatus;
import io.cosellsync.mapper.config.TenantMappers;
import io.cosellsync.mapper.domain.MappingResult;
import io.cosellsync.mapper.domain.ReferralToOpportunity;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.OwnedValues;
import io.cosellsync.support.kafka.DeadLetters;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.InboundEvent;
import io.cosellsync.support.kafka.OutboundEvents;
import io.cosellsync.support.kafka.TenantGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Referral snapshots in, Salesforce upsert commands out, same key (the referral id) so one referral's changes stay
 * in order. Where the tenant gives Salesforce values that also travel to Partner Center, an open referral's change
 * also asks partnercenter-writer to set those values back where Partner Center changed them (a restore command, keyed
 * by the opportunity when the referral names ours, else by the referral). A referral that cannot be mapped is
 * dead-lettered with the reason (kept for a replay after the mapping is fixed) and reported as a failed outcome; a
 * skipped one (a lead) is reported as skipped. The input is acknowledged only after the broker acknowledged what it
 * became.
 */
@ApplicationScoped
public class ReferralSnapshotConsumer {

    private static final String SERVICE = "mapper-service";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final Accepted<ReferralSnapshot> ACCEPTED = Accepted.of(ReferralSnapshot.class,
            EventType.REFERRAL_SNAPSHOT);

    private final MutinyEmitter<byte[]> salesforceCommands;
    private final MutinyEmitter<byte[]> partnerCenterCommands;
    private final MutinyEmitter<byte[]> outcomes;
    private final MutinyEmitter<byte[]> deadLetterTopic;
    private final TenantMappers mappers;
    private final MeterRegistry registry;
    private final EventIntake intake;
    private final DeadLetters deadLetters = new DeadLetters(SERVICE, SOURCE);

    public ReferralSnapshotConsumer(@Channel("salesforce-commands") MutinyEmitter<byte[]> salesforceCommands,
            @Channel("partnercenter-commands") MutinyEmitter<byte[]> partnerCenterCommands,
            @Channel("outcomes") MutinyEmitter<byte[]> outcomes,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic, TenantGate tenants, TenantMappers mappers,
            MeterRegistry registry) {
        this.salesforceCommands = salesforceCommands;
        this.partnerCenterCommands = partnerCenterCommands;
        this.outcomes = outcomes;
        this.deadLetterTopic = deadLetterTopic;
        this.mappers = mappers;
        this.registry = registry;
        this.intake = new EventIntake(SERVICE, deadLetterTopic, tenants, registry);
    }

    @Incoming("referral-snapshots")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED, (event, referral) -> {
            FieldMapper mapper = mappers.of(event.envelope().tenant());
            MappingResult result = ReferralToOpportunity.map(referral, mapper);
            count(event, result);
            if (result instanceof MappingResult.Command c) {
                Uni<Void> upsert = salesforceCommands.sendMessage(OutboundEvents.message(event.envelope().follow(
                        EventType.UPSERT_OPPORTUNITY, SOURCE, referral.referralId(), referral.eTag()), c.command()));
                if (referral.status() == ReferralStatus.CLOSED || !OwnedValues.salesforceOwnsAny(mapper)) {
                    return upsert;
                }
                String opportunityId = ReferralToOpportunity.ourOpportunity(referral);
                return upsert.chain(() -> partnerCenterCommands.sendMessage(OutboundEvents.message(event.envelope()
                        .follow(EventType.UPDATE_REFERRAL, SOURCE, opportunityId != null ? opportunityId
                                : referral.referralId(), referral.eTag()),
                        UpdateReferralCommand.restoreSalesforceOwned(referral.referralId(), opportunityId))));
            }
            if (result instanceof MappingResult.Skipped s) {
                return outcome(event, referral, SyncOutcome.Status.SKIPPED, s.reasonCode(), s.message());
            }
            MappingResult.Failed f = (MappingResult.Failed) result;
            Log.warnf("tenant %s: referral %s cannot be mapped: %s", event.envelope().tenant().value(),
                    referral.referralId(), f.message());
            return deadLetterTopic.sendMessage(deadLetters.of(message, f.reasonCode(), f.message(), 1))
                    .chain(() -> outcome(event, referral, SyncOutcome.Status.FAILED, f.reasonCode(), f.message()));
        });
    }

    private Uni<Void> outcome(InboundEvent event, ReferralSnapshot referral, SyncOutcome.Status status,
            String reasonCode, String message) {
        SyncOutcome outcome = new SyncOutcome(SyncDirection.PARTNER_CENTER_TO_SALESFORCE, status,
                referral.referralId(), null, event.envelope().id(), reasonCode, message, Instant.now());
        return outcomes.sendMessage(OutboundEvents.message(event.envelope().follow(EventType.SYNC_OUTCOME, SOURCE,
                referral.referralId(), referral.eTag()), outcome));
    }

    private void count(InboundEvent event, MappingResult result) {
        String kind = result instanceof MappingResult.Command ? "command"
                : result instanceof MappingResult.Skipped ? "skipped" : "failed";
        registry.counter("cosell.mapper.referrals", "tenant", event.envelope().tenant().value(), "result", kind)
                .increment();
    }
}
