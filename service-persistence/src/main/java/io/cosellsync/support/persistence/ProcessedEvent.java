package io.cosellsync.support.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * An event a stateful service has processed, once per tenant and event id: the service's message log. Each such
 * service creates the {@code processed_event} table in its own schema (its Flyway migrations).
 */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent {

    @Embeddable
    public record Key(@Column(name = "tenant_id") String tenantId, @Column(name = "event_id") String eventId)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "subject", nullable = false)
    public String subject;

    @Column(name = "correlation_id", nullable = false)
    public String correlationId;

    @Column(name = "source_version")
    public String sourceVersion;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
