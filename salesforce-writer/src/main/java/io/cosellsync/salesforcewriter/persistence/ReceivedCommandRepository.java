package io.cosellsync.salesforcewriter.persistence;

import io.cosellsync.events.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class ReceivedCommandRepository implements PanacheRepositoryBase<ReceivedCommand, ReceivedCommand.Key> {

    /** Records the command unless this tenant already has one with its event id; true when it is new. */
    public Uni<Boolean> recordOnce(Envelope envelope) {
        return Panache.withTransaction(() -> getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}received_command
                    (tenant_id, event_id, command_type, subject, correlation_id, source_version, received_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (tenant_id, event_id) DO NOTHING""")
                .setParameter(1, envelope.tenant().value())
                .setParameter(2, envelope.id())
                .setParameter(3, envelope.type().ceType())
                .setParameter(4, envelope.subject())
                .setParameter(5, envelope.correlationId())
                .setParameter(6, envelope.sourceVersion())
                .setParameter(7, Instant.now())
                .executeUpdate()))
                .map(inserted -> inserted == 1);
    }
}
