package io.cosellsync.salesforcewriter.messaging;

import io.cosellsync.events.EventType;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.TenantGate;
import io.cosellsync.support.persistence.ProcessedEventLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Takes in the commands addressed to Salesforce and records each once per tenant and event id, the writer's
 * message log. Applying them to Salesforce builds on this log (issue 8).
 */
@ApplicationScoped
public class SalesforceCommandConsumer {

    private static final EventType[] ACCEPTED = {EventType.UPSERT_OPPORTUNITY, EventType.UPDATE_OPPORTUNITY};

    private final ProcessedEventLog processed;
    private final MeterRegistry registry;
    private final EventIntake intake;

    public SalesforceCommandConsumer(ProcessedEventLog processed, TenantGate tenants,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic, MeterRegistry registry) {
        this.processed = processed;
        this.registry = registry;
        this.intake = new EventIntake("salesforce-writer", deadLetterTopic, tenants, registry);
    }

    @Incoming("commands")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED, (event, command) -> Panache.withTransaction(
                () -> processed.recordOnce(event.envelope()))
                .invoke(fresh -> registry.counter("cosell.commands.received",
                        "tenant", event.envelope().tenant().value(), "duplicate", Boolean.toString(!fresh))
                        .increment())
                .replaceWithVoid());
    }
}
