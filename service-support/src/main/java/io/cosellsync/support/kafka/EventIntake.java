package io.cosellsync.support.kafka;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.MalformedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiFunction;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The way every consumer takes in a record: read the envelope, decode the payload its type announces, skip
 * tenants this process does not serve, process, then acknowledge. A record that breaks the contract is sent to the
 * service's dead-letter topic with the reason (waiting for the broker's ack) before the original is acknowledged,
 * so nothing is lost and nothing blocks the partition. A processing failure (database or broker unavailable) is
 * retried with exponential backoff and jitter; when retries run out the record is nacked, the channel reports
 * unhealthy and, after a restart, the uncommitted record is consumed again.
 */
public final class EventIntake {

    // ~25 s in all, well below the 60 s after which an unacknowledged record marks the channel unhealthy
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    private static final int RETRIES = 6;

    private final String service;
    private final MutinyEmitter<byte[]> deadLetterTopic;
    private final TenantGate tenants;
    private final MeterRegistry registry;
    private final DeadLetters deadLetters;

    public EventIntake(String service, MutinyEmitter<byte[]> deadLetterTopic, TenantGate tenants,
            MeterRegistry registry) {
        this.service = service;
        this.deadLetterTopic = deadLetterTopic;
        this.tenants = tenants;
        this.registry = registry;
        this.deadLetters = new DeadLetters(service, source(service));
    }

    /** The CloudEvents source of everything a service publishes. */
    public static URI source(String service) {
        return URI.create("/cosell-sync/" + service);
    }

    public <P> Uni<Void> handle(Message<byte[]> message, Accepted<P> accepted,
            BiFunction<InboundEvent, P, Uni<Void>> process) {
        InboundEvent event;
        P payload;
        try {
            event = InboundEvent.of(message);
            payload = event.payload(accepted);
        } catch (MalformedEventException e) {
            return deadLetter(message, "MALFORMED_EVENT", e.getMessage());
        }
        if (!tenants.admits(event)) {
            return ack(message);
        }
        InboundEvent admitted = event;
        return Uni.createFrom().deferred(() -> process.apply(admitted, payload))
                .onFailure().invoke(e -> Log.warnf("%s could not process event %s yet: %s", service,
                        admitted.envelope().id(), e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0.2).atMost(RETRIES)
                .chain(() -> ack(message));
    }

    /** Sends the record to the dead-letter topic with the reason, then acknowledges it. */
    public Uni<Void> deadLetter(Message<byte[]> message, String reasonCode, String reason) {
        Log.warnf("%s dead-letters a record: %s", service, reason);
        registry.counter("cosell.dead.letters", "service", service, "reason", reasonCode).increment();
        return deadLetterTopic.sendMessage(deadLetters.of(message, reasonCode, reason, 1)).chain(() -> ack(message));
    }

    private static Uni<Void> ack(Message<?> message) {
        return Uni.createFrom().completionStage(message.ack());
    }
}
