package io.cosellsync.ingress.persistence;

import io.cosellsync.events.Envelope;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class PublishedVersionRepository implements PanacheRepositoryBase<PublishedVersion, PublishedVersion.Key> {

    /**
     * Whether this version of the record, or a newer one, was already published for the tenant: the same version,
     * or a version the source says was made later than {@code updatedAt}.
     */
    public Uni<Boolean> alreadyPublished(Envelope envelope, String source, Instant updatedAt) {
        return findById(new PublishedVersion.Key(envelope.tenant().value(), source, envelope.subject()))
                .map(last -> last != null && (last.sourceVersion.equals(envelope.sourceVersion())
                        || updatedAt != null && last.sourceUpdatedAt != null
                                && last.sourceUpdatedAt.isAfter(updatedAt)));
    }

    /** When the newest version published of a record was made at the source, if known. */
    public Uni<Instant> newestUpdate(String tenant, String source, String recordId) {
        return findById(new PublishedVersion.Key(tenant, source, recordId))
                .map(last -> last == null ? null : last.sourceUpdatedAt);
    }

    /** Remembers the version just published (insert or replace). */
    public Uni<Void> remember(Envelope envelope, String source, Instant updatedAt) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO published_version
                    (tenant_id, source, record_id, source_version, event_id, published_at, source_updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (tenant_id, source, record_id) DO UPDATE
                    SET source_version = EXCLUDED.source_version, event_id = EXCLUDED.event_id,
                        published_at = EXCLUDED.published_at, source_updated_at = EXCLUDED.source_updated_at""")
                .setParameter(1, envelope.tenant().value())
                .setParameter(2, source)
                .setParameter(3, envelope.subject())
                .setParameter(4, envelope.sourceVersion())
                .setParameter(5, envelope.id())
                .setParameter(6, Instant.now())
                .setParameter(7, updatedAt)
                .executeUpdate())
                .replaceWithVoid();
    }
}
