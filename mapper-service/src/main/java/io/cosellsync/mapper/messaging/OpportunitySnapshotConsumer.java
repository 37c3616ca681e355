package io.cosellsync.mapper.messaging;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.command.OpportunityImage;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.mapper.config.TenantMappers;
import io.cosellsync.mapper.domain.OpportunityToReferral;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.OutboundEvents;
import io.cosellsync.support.kafka.TenantGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Salesforce → Partner Center: opportunity snapshots in, referral commands out, keyed by the opportunity id so one
 * opportunity's changes stay in order. A new referral becomes a create command; an opportunity with a referral its
 * image, for the partnercenter-writer to apply. What the seller must fix (pre-flight) never reaches Partner Center:
 * it is a failed outcome and, on the opportunity, ✖ and the reason in the Audit trail; a skip the seller should
 * know of (Sync switched off after sharing, pending or closed before sharing) is reported in the Audit trail too.
 * The input is acknowledged only after the broker acknowledged what it became.
 */
@ApplicationScoped
public class OpportunitySnapshotConsumer {

    private static final String SERVICE = "mapper-service";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final Accepted<OpportunitySnapshot> ACCEPTED = Accepted.of(OpportunitySnapshot.class,
            EventType.OPPORTUNITY_SNAPSHOT);

    private final MutinyEmitter<byte[]> partnerCenterCommands;
    private final MutinyEmitter<byte[]> salesforceCommands;
    private final MutinyEmitter<byte[]> outcomes;
    private final TenantMappers mappers;
    private final MeterRegistry registry;
    private final EventIntake intake;

    public OpportunitySnapshotConsumer(
            @Channel("partnercenter-commands") MutinyEmitter<byte[]> partnerCenterCommands,
            @Channel("salesforce-commands") MutinyEmitter<byte[]> salesforceCommands,
            @Channel("outcomes") MutinyEmitter<byte[]> outcomes,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic, TenantGate tenants, TenantMappers mappers,
            MeterRegistry registry) {
        this.partnerCenterCommands = partnerCenterCommands;
        this.salesforceCommands = salesforceCommands;
        this.outcomes = outcomes;
        this.mappers = mappers;
        this.registry = registry;
        this.intake = new EventIntake(SERVICE, deadLetterTopic, tenants, registry);
    }

    @Incoming("opportunity-snapshots")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED, (event, snapshot) -> {
            Envelope in = event.envelope();
            FieldMapper mapper = mappers.of(in.tenant());
            OpportunityToReferral.Plan plan = OpportunityToReferral.plan(snapshot, mapper);
            String id = snapshot.opportunityId();
            registry.counter("cosell.mapper.opportunities", "tenant", in.tenant().value(), "result",
                    plan.getClass().getSimpleName().toLowerCase()).increment();
            if (plan instanceof OpportunityToReferral.Create create) {
                return partnerCenterCommands.sendMessage(OutboundEvents.message(in.follow(EventType.CREATE_REFERRAL,
                        SOURCE, id, in.sourceVersion()), create.command()));
            }
            if (plan instanceof OpportunityToReferral.Update update) {
                UpdateReferralCommand command = new UpdateReferralCommand(update.referralId(), id, List.of(), null,
                        new OpportunityImage(update.image().records(), update.image().collections(),
                                snapshot.systemModstamp(), snapshot.ourFields(), snapshot.fieldClocks()));
                return partnerCenterCommands.sendMessage(OutboundEvents.message(in.follow(EventType.UPDATE_REFERRAL,
                        SOURCE, id, in.sourceVersion()), command));
            }
            if (plan instanceof OpportunityToReferral.Skip skip) {
                return skip.report()
                        ? report(in, id, SyncOutcome.Status.SKIPPED, skip.reasonCode(), skip.message(), null, mapper)
                        : Uni.createFrom().voidItem();
            }
            OpportunityToReferral.Refused refused = (OpportunityToReferral.Refused) plan;
            return report(in, id, SyncOutcome.Status.FAILED, refused.reasonCode(), "not sent to Partner Center: "
                    + refused.message(), UpdateOpportunityCommand.Mark.FAILED, mapper);
        });
    }

    /** The outcome, and the reason on the opportunity (Audit trail, and ✖ for a failure where the tenant shows marks). */
    private Uni<Void> report(Envelope in, String opportunityId, SyncOutcome.Status status, String code, String message,
            UpdateOpportunityCommand.Mark mark, FieldMapper mapper) {
        TenantMapping tenant = mapper.tenant();
        SyncOutcome outcome = new SyncOutcome(SyncDirection.SALESFORCE_TO_PARTNER_CENTER, status, null, opportunityId,
                in.id(), code, message, Instant.now());
        UpdateOpportunityCommand audit = new UpdateOpportunityCommand(opportunityId, Map.of(), message,
                tenant.fieldName(TenantMapping.AUDIT), tenant.checkMark() ? mark : null);
        return outcomes.sendMessage(OutboundEvents.message(in.follow(EventType.SYNC_OUTCOME, SOURCE, opportunityId,
                in.sourceVersion()), outcome))
                .chain(() -> salesforceCommands.sendMessage(OutboundEvents.message(in.follow(
                        EventType.UPDATE_OPPORTUNITY, SOURCE, opportunityId, in.sourceVersion()), audit)));
    }
}
