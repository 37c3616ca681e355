package io.cosellsync.mapper.messaging;

import io.cosellsync.events.EventType;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.mapper.domain.ReferralToOpportunity;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.OutboundEvents;
import io.cosellsync.support.kafka.TenantGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Referral snapshots in, Salesforce upsert commands out, same key (the referral id) so one referral's changes stay
 * in order. The input is acknowledged only after the broker acknowledged the command.
 */
@ApplicationScoped
public class ReferralSnapshotConsumer {

    private static final String SERVICE = "mapper-service";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final EventType[] ACCEPTED = {EventType.REFERRAL_SNAPSHOT};

    private final MutinyEmitter<byte[]> salesforceCommands;
    private final EventIntake intake;

    public ReferralSnapshotConsumer(@Channel("salesforce-commands") MutinyEmitter<byte[]> salesforceCommands,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic, TenantGate tenants,
            MeterRegistry registry) {
        this.salesforceCommands = salesforceCommands;
        this.intake = new EventIntake(SERVICE, deadLetterTopic, tenants, registry);
    }

    @Incoming("referral-snapshots")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED, (event, payload) -> {
            ReferralSnapshot referral = (ReferralSnapshot) payload;
            UpsertOpportunityCommand command = ReferralToOpportunity.map(referral);
            var envelope = event.envelope().follow(EventType.UPSERT_OPPORTUNITY, SOURCE, command.referralId(),
                    referral.eTag());
            return salesforceCommands.sendMessage(OutboundEvents.message(envelope, command));
        });
    }
}
