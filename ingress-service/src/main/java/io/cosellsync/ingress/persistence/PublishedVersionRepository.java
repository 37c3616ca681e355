package io.cosellsync.ingress.persistence;

import io.cosellsync.events.Envelope;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class PublishedVersionRepository implements PanacheRepositoryBase<PublishedVersion, PublishedVersion.Key> {

    /** Whether this exact version of the record was already published for the tenant. */
    public Uni<Boolean> alreadyPublished(Envelope envelope, String source) {
        return findById(new PublishedVersion.Key(envelope.tenant().value(), source, envelope.subject()))
                .map(last -> last != null && last.sourceVersion.equals(envelope.sourceVersion()));
    }

    /** Remembers the version just published (insert or replace). */
    public Uni<Void> remember(Envelope envelope, String source) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}published_version
                    (tenant_id, source, record_id, source_version, event_id, published_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (tenant_id, source, record_id) DO UPDATE
                    SET source_version = EXCLUDED.source_version, event_id = EXCLUDED.event_id,
                        published_at = EXCLUDED.published_at""")
                .setParameter(1, envelope.tenant().value())
                .setParameter(2, source)
                .setParameter(3, envelope.subject())
                .setParameter(4, envelope.sourceVersion())
                .setParameter(5, envelope.id())
                .setParameter(6, Instant.now())
                .executeUpdate())
                .replaceWithVoid();
    }
}
