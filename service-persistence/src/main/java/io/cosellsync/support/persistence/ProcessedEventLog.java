package io.cosellsync.support.persistence;

import io.cosellsync.events.Envelope;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The message log of a stateful service: each event it handled, once per tenant and event id. Both writers record a
 * command here in a transaction of its own, after the command was applied and its state written; it is not what
 * makes them idempotent (their own state is: the salesforce-writer's sync state and its fingerprints, the
 * partnercenter-writer's referral links). What it gives: the counter {@code cosell_commands_received{duplicate}}
 * (how many commands arrived again) and, for an operator, which events a service has handled.
 */
@ApplicationScoped
public class ProcessedEventLog implements PanacheRepositoryBase<ProcessedEvent, ProcessedEvent.Key> {

    /** Records the event unless this tenant already has one with its id; emits true when it is new. */
    public Uni<Boolean> recordOnce(Envelope envelope) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO processed_event
                    (tenant_id, event_id, event_type, subject, correlation_id, source_version, processed_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (tenant_id, event_id) DO NOTHING""")
                .setParameter(1, envelope.tenant().value())
                .setParameter(2, envelope.id())
                .setParameter(3, envelope.type().ceType())
                .setParameter(4, envelope.subject())
                .setParameter(5, envelope.correlationId())
                .setParameter(6, envelope.sourceVersion())
                .setParameter(7, Instant.now())
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
