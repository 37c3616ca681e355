package io.cosellsync.support.persistence;

import io.cosellsync.events.Envelope;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The message log of a stateful service. {@link #recordOnce} is meant to run inside the transaction that changes
 * the service's state, so "what changed" and "what was processed" commit together.
 */
@ApplicationScoped
public class ProcessedEventLog implements PanacheRepositoryBase<ProcessedEvent, ProcessedEvent.Key> {

    /** Records the event unless this tenant already has one with its id; emits true when it is new. */
    public Uni<Boolean> recordOnce(Envelope envelope) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}processed_event
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
