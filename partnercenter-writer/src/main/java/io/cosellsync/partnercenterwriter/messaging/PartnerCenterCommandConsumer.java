package io.cosellsync.partnercenterwriter.messaging;

import io.cosellsync.events.EventType;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.TenantGate;
import io.cosellsync.support.persistence.ProcessedEventLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes in the commands addressed to Partner Center (create a referral, patch one) and records each in the message
 * log. Creating referrals exactly once and patching with If-Match build on it (issue 11).
 */
@ApplicationScoped
public class PartnerCenterCommandConsumer {

    private static final EventType[] ACCEPTED = {EventType.CREATE_REFERRAL, EventType.UPDATE_REFERRAL};

    private final ProcessedEventLog processed;
    private final EventIntake intake;

    public PartnerCenterCommandConsumer(ProcessedEventLog processed, TenantGate tenants,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic, MeterRegistry registry) {
        this.processed = processed;
        this.intake = new EventIntake("partnercenter-writer", deadLetterTopic, tenants, registry);
    }

    @Incoming("commands")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED,
                (event, command) -> Panache.withTransaction(() -> processed.recordOnce(event.envelope()))
                        .replaceWithVoid());
    }
}
