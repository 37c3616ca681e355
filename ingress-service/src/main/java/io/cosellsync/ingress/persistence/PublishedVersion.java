package io.cosellsync.ingress.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The version of a source record that ingress last published. */
@Entity
@Table(name = "published_version")
public class PublishedVersion {

    @Embeddable
    public record Key(@Column(name = "tenant_id") String tenantId, @Column(name = "source") String source,
            @Column(name = "record_id") String recordId) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "source_version", nullable = false)
    public String sourceVersion;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "published_at", nullable = false)
    public Instant publishedAt;

    /** When the source says this version was made (null where the source has no such time). */
    @Column(name = "source_updated_at")
    public Instant sourceUpdatedAt;
}
